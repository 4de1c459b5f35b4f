"""Step 4: an unpublished draft record of a forum from the parsed minutes, and the records it would duplicate."""

import hashlib

from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from safety_pages.access.ids import row_id
from safety_pages.meetings.importer.read import MinutesImportError
from safety_pages.models import (
    Attendance,
    Case,
    ForumPage,
    MeetingRecordPage,
    Paragraph,
    Person,
    SectionPage,
    meeting_rules,
    normalise_case_number,
)
from safety_pages.models.choices import AttendanceFunction, AttendanceKind
from safety_pages.models.meetings import numbers_in_use


class NumbersRefused(MinutesImportError):
    """Paragraph numbers already used that year, or twice in the minutes: `errors` is {paragraph index: message}."""

    def __init__(self, errors):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def find_forum(identifier):
    """The forum page by id, slug, or "section/slug" when a slug is used by several municipalities."""
    identifier = (identifier or "").strip().strip("/")
    if identifier.isdigit():
        forum_id = row_id(identifier)
        forum = ForumPage.objects.filter(pk=forum_id).first() if forum_id else None
        if forum is None:
            raise MinutesImportError(_("det finns inget forum med id %(id)s") % {"id": identifier})
        return forum
    section_slug, _sep, slug = identifier.rpartition("/")
    forums = ForumPage.objects.filter(slug=slug)
    if section_slug:
        section = SectionPage.objects.filter(slug=section_slug).first()
        forums = forums.descendant_of(section) if section else forums.none()
    forums = list(forums)
    if not forums:
        raise MinutesImportError(_("det finns inget forum ”%(forum)s”") % {"forum": identifier})
    if len(forums) > 1:
        raise MinutesImportError(
            _("forumet ”%(forum)s” finns i flera kommuner; skriv kommun/forum, t.ex. %(example)s")
            % {
                "forum": identifier,
                "example": ", ".join(sorted(f.url_path.strip("/").split("/")[-3] + "/" + slug for f in forums)),
            }
        )
    return forums[0]


def file_digest(data):
    """The SHA-256 of a minutes file's bytes, as the record stores it (`import_digest`): the same file, whatever its
    name, and unchanged by a better parser reading it differently."""
    return hashlib.sha256(data).hexdigest()


def duplicates(forum, meeting_date, digest):
    """[(record, reason)] of the records a new import would duplicate: any record imported from the same file
    ("file"), and the forum's records of the same meeting date ("date"). The caller decides what it may name."""
    found = {}
    if digest:
        for record in MeetingRecordPage.objects.filter(import_digest=digest).order_by("pk"):
            found[record.pk] = (record, "file")
    if meeting_date:
        for record in MeetingRecordPage.objects.child_of(forum).filter(meeting_date=meeting_date).order_by("pk"):
            found.setdefault(record.pk, (record, "date"))
    return list(found.values())


def duplicate_reason(record, reason, file_name):
    """Why the import would duplicate `record`, in Swedish, naming the record (the caller may show its title)."""
    if reason == "file":
        return _("%(file)s är redan importerad som ”%(title)s”") % {"file": file_name, "title": record.title}
    return _("forumet har redan protokollet ”%(title)s” från samma sammanträdesdatum") % {"title": record.title}


def create_draft_record(forum, parsed, source_name, user=None, digest=""):
    """An unpublished MeetingRecordPage under `forum` with the parsed meeting, attendance, anslag and paragraphs;
    never published. `digest` is the file's (`file_digest`), kept to notice a second import.

    Call inside a transaction: a refused number or case leaves nothing behind.
    """
    # Every parsed paragraph has its number, so the rule assigns none: it only refuses numbers already used.
    year = parsed.meeting_date.year if parsed.meeting_date else None
    used = numbers_in_use(forum, year) if year else {}
    errors = meeting_rules.assign_numbers(used, year, parsed.paragraphs)
    if errors:
        raise NumbersRefused(errors)
    municipality = SectionPage.objects.ancestor_of(forum).first()
    record = MeetingRecordPage(
        title=_record_title(forum, parsed, source_name),
        slug=_free_slug(forum, parsed, source_name),
        meeting_date=parsed.meeting_date,
        place=_text(parsed.place),
        starts_at=parsed.starts_at,
        ends_at=parsed.ends_at,
        adjusted_place=_text(parsed.adjusted_place),
        adjusted_on=parsed.adjusted_on,
        posted_on=parsed.posted_on,
        taken_down_on=parsed.taken_down_on,
        kept_at=_text(parsed.kept_at),
        import_digest=digest,
        live=False,
    )
    record.paragraphs = [_paragraph(item, municipality) for item in parsed.paragraphs]
    record.attendances = _attendance(parsed.attendance, parsed.adjusters)
    # Wagtail re-indexes the whole page's references after each paragraph row is saved, which made a long
    # import quadratic in its paragraphs: index the record's references once, when all its rows are saved.
    with disable_reference_index_auto_update():
        forum.add_child(instance=record)
        record.save_revision(user=user, log_action=True)
    ReferenceIndex.create_or_update_for_object(record)
    return record


def _text(value, length=200):
    return (value or "").strip()[:length]


def _same_name(name):
    return " ".join((name or "").split()).casefold()


def _attendance(attendees, adjusters):
    """The attendance rows: each linked to the person of the register with exactly that name (when only one has it),
    the justerare given their function on the row of the same name, or a row of their own when the attendance
    does not list them (a justerare is a ledamot of the meeting: the name is not lost)."""
    names = {attendee.name.strip() for attendee in attendees} | {name.strip() for name in adjusters}
    people = {}
    for person in Person.objects.filter(name__in=names):
        people.setdefault(person.name, []).append(person)
    rows = []
    for attendee in attendees:
        rows.append(
            Attendance(
                name=_text(attendee.name),
                kind=attendee.kind or AttendanceKind.MEMBER,
                function=attendee.function or AttendanceFunction.NONE,
                description=_text(attendee.description),
            )
        )
    for name in adjusters:
        row = next((row for row in rows if _same_name(row.name) == _same_name(name)), None)
        if row is None:
            rows.append(Attendance(name=_text(name), kind=AttendanceKind.MEMBER, function=AttendanceFunction.ADJUSTER))
        elif not row.function:
            row.function = AttendanceFunction.ADJUSTER
    for position, row in enumerate(rows):
        row.sort_order = position
        found = people.get(row.name.strip(), [])
        if len(found) == 1:
            # The register's person names the row; the free-text name is only for those not in it.
            row.person, row.name = found[0], ""
    return rows


def _paragraph(item, municipality):
    return Paragraph(
        number=item.number,
        title=(item.title or _("(rubrik saknas)"))[:300],
        case=_case(item, municipality),
        background=_rich_text(item.text("background")),
        summary=_rich_text(item.text("summary")),
        basis=[
            {"type": "document", "value": {"label": line, "document": None}}
            for line in (item.text("basis") or "").split("\n")
            if line.strip()
        ],
        motions=[{"type": "motion", "value": motion} for motion in item.motions()],
        proposal_heading=item.proposal_heading[:300],
        proposal=_rich_text(item.text("proposal")),
        decision_heading=item.decision_heading[:300],
        decision=_rich_text(item.text("decision")),
        reservations=item.text("reservations") or "",
        disqualifications=item.text("disqualifications") or "",
        sent_to="\n".join(item.sent_to),
    )


def _case(item, municipality):
    """The municipality's case for the paragraph's Dnr, registered when it is new; None without a valid Dnr."""
    if not (item.case_number and municipality is not None and normalise_case_number(item.case_number)):
        return None
    case = Case.lookup(municipality, item.case_number)
    if case is None:
        case = Case(municipality=municipality, number=item.case_number, title=item.title[:300] or item.case_number)
        case.full_clean()
        case.save()
    return case


def _rich_text(text):
    if not text:
        return ""
    return "".join(f"<p>{escape(block)}</p>" for block in text.split("\n\n") if block.strip())


def _record_title(forum, parsed, source_name):
    if parsed.meeting_date:
        return meeting_rules.record_title(forum, parsed.meeting_date)
    title = _("Importerat protokoll: %(file)s") % {"file": source_name}
    longest = Page._meta.get_field("title").max_length
    if len(title) > longest:
        raise MinutesImportError(
            _(
                "protokollet saknar datum, så filnamnet blir sidans titel, men den blir %(length)s tecken "
                "(högst %(max)s); byt till ett kortare filnamn"
            )
            % {"length": len(title), "max": longest}
        )
    return title


def _free_slug(forum, parsed, source_name):
    """The meeting date (or the file name) as a slug, numbered when the forum already has a record by that slug."""
    base_slug = (
        slugify(parsed.meeting_date.isoformat() if parsed.meeting_date else f"import-{source_name}")[:60] or "import"
    )
    slug, counter = base_slug, 2
    while not Page._slug_is_available(slug, forum):
        slug, counter = f"{base_slug}-{counter}", counter + 1
    return slug
