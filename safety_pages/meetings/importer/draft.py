"""Step 4: an unpublished draft record of a forum from the parsed minutes."""

from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from safety_pages.access.ids import row_id
from safety_pages.meetings.importer.read import MinutesImportError
from safety_pages.models import (
    Case,
    ForumPage,
    MeetingRecordPage,
    Paragraph,
    SectionPage,
    meeting_rules,
    normalise_case_number,
)
from safety_pages.models.meetings import numbers_in_use


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


def create_draft_record(forum, parsed, source_name, user=None):
    """An unpublished MeetingRecordPage under `forum` with the parsed paragraphs; never published.

    Call inside a transaction: a refused number or case leaves nothing behind.
    """
    # Every parsed paragraph has its number, so the rule assigns none: it only refuses numbers already used.
    year = parsed.meeting_date.year if parsed.meeting_date else None
    used = numbers_in_use(forum, year) if year else {}
    errors = meeting_rules.assign_numbers(used, year, parsed.paragraphs)
    if errors:
        raise MinutesImportError(" ".join(errors.values()))
    municipality = SectionPage.objects.ancestor_of(forum).first()
    record = MeetingRecordPage(
        title=_record_title(parsed, source_name),
        slug=_free_slug(forum, parsed, source_name),
        meeting_date=parsed.meeting_date,
        live=False,
    )
    record.paragraphs = [_paragraph(item, municipality) for item in parsed.paragraphs]
    # Wagtail re-indexes the whole page's references after each paragraph row is saved, which made a long
    # import quadratic in its paragraphs: index the record's references once, when all its rows are saved.
    with disable_reference_index_auto_update():
        forum.add_child(instance=record)
        record.save_revision(user=user, log_action=True)
    ReferenceIndex.create_or_update_for_object(record)
    return record


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


def _record_title(parsed, source_name):
    if parsed.meeting_date:
        return _("Sammanträde %(date)s") % {"date": parsed.meeting_date.isoformat()}
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
