from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page

from safety_pages.visibility import visible


def search(request):
    query = request.GET.get("q", "").strip()[:500]
    results = visible(Page.objects.all(), request).search(query) if query else Page.objects.none()
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"search_query": query, "results": page})
