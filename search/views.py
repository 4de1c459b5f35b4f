"""The search page, the JSON API and autocomplete: thin views over `search.service`."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from search import service


@require_GET
def search(request):
    context = {"search_query": request.GET.get("q", ""), "facet_labels": service.FACET_LABELS}
    try:
        query, filters, page = service.parse(request.GET)
    except service.BadRequest as error:
        return render(request, "search/search.html", {**context, "error": str(error)}, status=400)
    searched = bool(query.strip() or any(filters.values()))
    outcome = service.search(request, query, filters, page) if searched else None
    context.update({"outcome": outcome, "searched": searched})
    if outcome is not None:
        context["first_number"] = (page - 1) * outcome.per_page + 1
        base = [(k, v) for k in request.GET for v in request.GET.getlist(k) if k != "page"]
        context["page_url"] = lambda n: "?" + urlencode(base + [("page", n)])
        context["previous_url"] = context["page_url"](page - 1) if page > 1 else ""
        context["next_url"] = context["page_url"](page + 1) if page < outcome.pages else ""
        context["suggestion_url"] = "?" + urlencode({"q": outcome.suggestion}) if outcome.suggestion else ""
    return render(request, "search/search.html", context)


def _unauthenticated():
    return JsonResponse({"error": _("Logga in för att söka.")}, status=401)


@login_not_required
@require_GET
def api(request):
    """GET /api/search/: results, facets and engine as JSON, with the reader's access (session login)."""
    if not request.user.is_authenticated:
        return _unauthenticated()
    try:
        query, filters, page = service.parse(request.GET)
    except service.BadRequest as error:
        return JsonResponse({"error": str(error)}, status=400)
    outcome = service.search(request, query, filters, page)
    return JsonResponse(
        {
            "query": outcome.query,
            "total": outcome.total,
            "page": outcome.page,
            "results": [
                {
                    "title": r.title,
                    "url": r.url,
                    "type": r.type,
                    "excerpt": r.excerpt,
                    "date": r.date.isoformat() if r.date else None,
                    "forum": r.forum,
                    "score": r.score,
                }
                for r in outcome.results
            ],
            "facets": {
                name: [{"value": i["value"], "label": str(i["label"]), "count": i["count"]} for i in items]
                for name, items in outcome.facets.items()
            },
            "engine": outcome.engine,
            "took_ms": outcome.took_ms,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_not_required
@require_GET
def autocomplete(request):
    """Page titles for the header search box (the reader's access applies)."""
    if not request.user.is_authenticated:
        return _unauthenticated()
    return JsonResponse({"results": service.autocomplete(request, request.GET.get("q", ""))})
