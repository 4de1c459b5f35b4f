"""Views for safety content that is not one page in the tree. Thin: the rules live in models and visibility."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET
from taggit.models import Tag
from wagtail.models import Site

from safety_pages.models import Branding
from safety_pages.models.tags import readable_pages_with_tag

# Square, and large enough for a high-density tab; browsers take a PNG at /favicon.ico.
FAVICON_RENDITION = "fill-64x64|format-png"


def tag_index(request, slug):
    """The pages with the tag that the reader may see; a tag on none of them answers 404, as a missing tag does
    (a tag used only by hidden pages is their content: its name would tell that they exist)."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404
    pages = readable_pages_with_tag(tag, request)
    if not pages:
        raise Http404
    pages.sort(key=lambda page: page.title.lower())
    return render(request, "safety_pages/tag_index.html", {"tag": tag, "pages": pages})


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for by themselves (also on the login page, so it answers without a login):
    the favicon of the site's Branding, or a redirect to the default icon. Only the image an editor chose as the
    favicon is ever served here."""
    brand = Branding.for_request(request) if Site.find_for_request(request) else None
    if brand is None or brand.favicon is None:
        return redirect(static("intranet/favicon.svg"))
    try:
        rendition = brand.favicon.get_rendition(FAVICON_RENDITION)
        file = rendition.file.open("rb")
    except OSError:  # the file is gone from storage (Wagtail's SourceImageIOError is one too)
        return redirect(static("intranet/favicon.svg"))
    response = FileResponse(file, content_type="image/png")
    # A day in the browser: the page links it with the image's id, so a new favicon is fetched at once there.
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
