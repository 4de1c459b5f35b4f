"""Front-end views that are not pages in the tree: the case page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from safety_pages.access import secrecy, visibility
from safety_pages.models import Case, ForumPage, MeetingRecordPage, Paragraph
from safety_pages.models.generation import Lazy, digest, generation
from safety_pages.models.lookups import section_or_404


def case_detail(request, section, number):
    """Every paragraph the user may read that handled the case, in any forum, in date order.

    A case no paragraph the user may read uses answers 404, as a case that does not exist: its title is content
    (the importer registers cases from drafts never published, and case numbers are easy to guess).
    """
    generation(request)  # before the case and its paragraphs are loaded: see safety_pages/fragments.py
    municipality = section_or_404(request, section)
    case = get_object_or_404(Case, municipality=municipality, normalised_number=number)
    records = visibility.visible(MeetingRecordPage.objects.descendant_of(municipality), request)
    handled = Paragraph.objects.filter(case=case, record__in=records.values("pk")).select_related("record")
    # A sekretess paragraph counts only for those who may read its text: its case is part of that text.
    rows = [
        p
        for p in handled.order_by("record__meeting_date", "record__starts_at", "number")
        if not p.secret or secrecy.may_read_secret(request, p.record)
    ]
    if not rows:
        raise Http404

    def paragraphs():
        forum_paths = {p.record.path[: -p.record.steplen] for p in rows}
        forums = dict(ForumPage.objects.filter(path__in=forum_paths).values_list("path", "title"))
        for paragraph in rows:
            paragraph.forum_title = forums.get(paragraph.record.path[: -paragraph.record.steplen], "")
        return rows

    # The table is cached under the content generation and the paragraphs this reader may read (case.html).
    return render(
        request,
        "safety_pages/case.html",
        {
            "case": case,
            "municipality": municipality,
            "paragraphs": Lazy(paragraphs),
            "reader_key": digest(sorted(p.pk for p in rows)),
        },
    )
