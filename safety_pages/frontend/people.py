"""The person page (/personer/<id>-<namn>/): a person's roles in the forums and meetings the reader may see, and the
paragraphs they presented or are named in, among those the reader may read.

The page shows a person only through pages that list them (safety_pages.models.people): a person no forum or
record the reader may see lists answers 404, exactly as an id that does not exist (ids are easy to guess, and a
person sitting only in a closed forum is that forum's content). Search finds the same person by the same rule: each
listing page gives a hit with its own readers.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render

from safety_pages.access import secrecy
from safety_pages.access.ids import row_id
from safety_pages.access.visibility import visible
from safety_pages.models import Attendance, ForumPage, MeetingRecordPage, Membership, Paragraph, Person, SectionPage
from safety_pages.models.people import paragraph_numbers

# The paragraph fields a person is named in: the text a reader reads (the motions name who moved them by hand).
NAMING_FIELDS = ("title", "background", "summary", "proposal", "decision", "reservations", "disqualifications")


def person_or_404(request, key):
    """(person, forums, records): the person and the forums and records listing them that the reader may see."""
    person_id, _sep, _slug = key.partition("-")
    pk = row_id(person_id)
    person = Person.objects.filter(pk=pk).first() if pk is not None else None
    if person is None:
        raise Http404
    listed = Q(pk__in=Membership.objects.filter(person=person).values("forum_id"))
    for name in ForumPage.FUNCTIONS:
        listed |= Q(**{name: person})
    forums = list(visible(ForumPage.objects.filter(listed), request).order_by("path"))
    attended = Attendance.objects.filter(person=person).values("record_id")
    records = list(
        visible(MeetingRecordPage.objects.filter(pk__in=attended), request).order_by("-meeting_date", "-path")
    )
    if not forums and not records:
        raise Http404
    return person, forums, records


def _sections(pages):
    """{page id: its municipality's title} in one query."""
    paths = {page.path[:end] for page in pages for end in range(page.steplen, len(page.path), page.steplen)}
    sections = dict(SectionPage.objects.filter(path__in=paths).values_list("path", "title"))
    found = {}
    for page in pages:
        found[page.pk] = next((title for path, title in sections.items() if page.path.startswith(path)), "")
    return found


def _forum_titles(records):
    forums = dict(
        ForumPage.objects.filter(path__in={r.path[: -r.steplen] for r in records}).values_list("path", "title")
    )
    return {record.pk: forums.get(record.path[: -record.steplen], "") for record in records}


def _named_in(person, request):
    """The paragraphs the reader may read that name the person in their text, with the records they are on."""
    named = Q()
    for field in NAMING_FIELDS:
        named |= Q(**{f"{field}__icontains": person.name})
    records = visible(MeetingRecordPage.objects.all(), request).values("pk")
    return list(Paragraph.objects.filter(named, record__in=records).select_related("record"))


def _presented(records, person):
    """The paragraphs the person's attendance row names on each record ("handläggare §§ 35–36")."""
    wanted = {}
    for record in records:
        for row in record.attendance_list():
            wanted.setdefault(record.pk, set()).update(paragraph_numbers(row.description))
    numbers = set().union(set(), *wanted.values())
    if not numbers:
        return []
    found = Paragraph.objects.filter(record_id__in=list(wanted), number__in=numbers).select_related("record")
    return [p for p in found if p.number in wanted[p.record_id]]


def paragraphs_of(request, person, records):
    """(paragraph, why) for the paragraphs the person presented or is named in, in date order. A sekretess
    paragraph only for those who may read its text: that it names the person is part of it."""
    rows = {p.pk: (p, "presented") for p in _presented(records, person)}
    for paragraph in _named_in(person, request):
        rows.setdefault(paragraph.pk, (paragraph, "named"))
    shown = [row for row in rows.values() if not row[0].secret or secrecy.may_read_secret(request, row[0].record)]
    shown.sort(key=lambda row: (row[0].record.meeting_date is None, row[0].record.meeting_date, row[0].number))
    return shown


def person_detail(request, key):
    person, forums, records = person_or_404(request, key)
    if key != person.address_key:
        # An address with an old or no name (a renamed person): the page's own, once the reader may see it.
        return redirect(person.get_absolute_url(), permanent=False)
    ForumPage.prepare_people(forums)
    MeetingRecordPage.prepare_attendances(records, persons={person.pk})
    sections = _sections(forums)
    roles = [
        {"forum": forum, "section": sections[forum.pk], "role": role}
        for forum in forums
        for role in forum.people_roles(persons={person.pk}).get(person, [])
    ]
    paragraphs = paragraphs_of(request, person, records)
    # The forums of the meetings and of the paragraphs, in one query.
    forum_titles = _forum_titles(records + [p.record for p, _why in paragraphs])
    for paragraph, _why in paragraphs:
        paragraph.forum_title = forum_titles[paragraph.record_id]
    meetings = [
        {"record": record, "forum_title": forum_titles[record.pk], "role": role}
        for record in records
        for role in record.people_roles(persons={person.pk}).get(person, [])
    ]
    context = {
        "person": person,
        "current_roles": [row for row in roles if not row["role"].is_past()],
        "past_roles": [row for row in roles if row["role"].is_past()],
        "meetings": meetings,
        "paragraphs": paragraphs,
    }
    return render(request, "safety_pages/person.html", context)
