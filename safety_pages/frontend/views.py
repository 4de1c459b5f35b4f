"""Views for safety content that is not one page in the tree. Thin: the rules live in models and visibility."""

from django.apps import apps
from django.http import Http404
from django.shortcuts import render
from taggit.models import Tag
from wagtail.models import Page

from safety_pages.access.visibility import visible


def tagged_page_types():
    """Every safety page type with tags; a new page type with a `tags` manager is listed without changes here."""
    return [
        model
        for model in apps.get_app_config("safety_pages").get_models()
        if issubclass(model, Page) and hasattr(model, "tagged_items") and hasattr(model, "tags")
    ]


def tag_index(request, slug):
    """The pages with the tag that the reader may see; a tag on none of them answers 404, as a missing tag does
    (a tag used only by hidden pages is their content: its name would tell that they exist)."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404
    pages = []
    for model in tagged_page_types():
        pages += visible(model.objects.filter(tags__slug=slug), request).distinct()
    if not pages:
        raise Http404
    pages.sort(key=lambda page: page.title.lower())
    return render(request, "safety_pages/tag_index.html", {"tag": tag, "pages": pages})
