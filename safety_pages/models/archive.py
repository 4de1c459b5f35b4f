"""The archive copy: a justerat protokoll or protokollsutdrag as PDF/A, drawn by WeasyPrint.

The PDF is drawn from the same template partials as the page it copies (`includes/record_body.html`,
`includes/extract_body.html`), so whatever the page hides from a reader the PDF hides too. It is drawn for each
request and cached nowhere: readers may differ in what they see, and a shared cache would hand one reader's copy
to the next. The routes (`MeetingRecordPage.pdf` and `extract_pdf`) run under the record's `serve()`, which has
asked `safety_pages.access.visibility` before anything here runs.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher

# PDF/A-3b: the archival profile WeasyPrint writes (ISO 19005-3, level B: the look is preserved, fonts embedded).
PDF_VARIANT = "pdf/a-3b"
TEMPLATE = "safety_pages/record_pdf.html"


def _no_fetching():
    """A fetcher that fetches nothing: the PDF's template links to nothing it needs (its stylesheet is inline,
    minutes take no images), and a rendering server that follows addresses in content could be made to ask the
    intranet or a cloud's metadata service on the reader's behalf."""
    return URLFetcher(allowed_protocols=())


def filename(record, paragraph=None):
    """A plain-ASCII file name, e.g. `protokoll-trygghetsutskottet-2026-10-28.pdf` or
    `protokollsutdrag-trygghetsutskottet-2026-10-28-paragraf-12.pdf` (slugify drops å, ä, ö to a, a, o)."""
    forum = record.forum
    parts = ["protokollsutdrag" if paragraph else "protokoll", forum.slug if forum else record.slug]
    if record.meeting_date:
        parts.append(record.meeting_date.isoformat())
    if paragraph:
        parts.append(f"paragraf-{paragraph.number}")
    return slugify("-".join(parts)) + ".pdf"


def render_pdf(request, context):
    """The archive PDF of the context's record (or its `paragraph`), as bytes."""
    html = render_to_string(TEMPLATE, context, request=request)
    document = HTML(string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_no_fetching())
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def pdf_response(request, context, name):
    response = HttpResponse(render_pdf(request, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # Only the reader's own browser may keep it, and asks again: readers change when pages do (as documents are
    # served, access/media.py).
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
