"""Skapa protokoll: the record drafted from the held meeting (issue 21, item 3).

The meeting and its record are one page. Once the meeting is held, the secretary presses *Skapa protokoll* in the
page's header and the latest version of the page gets, as a new draft revision (never published here):

- one § paragraph per item of the föredragningslista, in its order: the title, the case (Dnr), the beslutsförslag as
  the proposal and the handlingar as beslutsunderlag;
- the attendance from the forum's memberships active on the meeting day and the förhinder: everyone present by
  default, a ledamot with förhinder left out and the ersättare called in for them tjänstgörande in their place; the
  föredragande of each item noted with their paragraphs;
- the title from the forum and the date, unless the title already names the date;
- § numbers continuing the forum's running series for the year in meeting order: after the last paragraph of the
  forum's meetings held before this one that year. Later meetings of the year whose minutes are not justerade are
  renumbered after these (a new revision each: published at once when the live page had no other changes and the
  secretary may publish it; a draft never published has its rows renumbered with it). A justerat protokoll's numbers
  never change, nor do those of a live record with other unpublished changes: when one is in the way, the new
  paragraphs take the numbers after the year's last instead, with a warning.

A record that already has paragraphs is not filled again.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail.blocks import StreamValue, StructValue
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

from safety_pages.models import (
    Absence,
    Attendance,
    CallIn,
    MeetingRecordPage,
    MeetingStatus,
    Paragraph,
    meeting_rules,
)
from safety_pages.models.choices import AttendanceFunction, AttendanceKind, MemberRole
from safety_pages.models.meetings import numbers_in_use
from safety_pages.models.notices import memberships_on

# How each role of the forum attends, in the order the attendance lists them; a role not here is not called.
ATTENDANCE_OF_ROLE = {
    MemberRole.CHAIR: (AttendanceKind.MEMBER, AttendanceFunction.CHAIR),
    MemberRole.VICE_CHAIR: (AttendanceKind.MEMBER, AttendanceFunction.VICE_CHAIR),
    MemberRole.CONVENER: (AttendanceKind.MEMBER, AttendanceFunction.NONE),
    MemberRole.MEMBER: (AttendanceKind.MEMBER, AttendanceFunction.NONE),
    MemberRole.PERMANENT: (AttendanceKind.MEMBER, AttendanceFunction.NONE),
    MemberRole.SUBSTITUTE: (AttendanceKind.SUBSTITUTE, AttendanceFunction.NONE),
    MemberRole.SECRETARY: (AttendanceKind.OTHER, AttendanceFunction.SECRETARY),
    MemberRole.PRESENTER: (AttendanceKind.OTHER, AttendanceFunction.NONE),
    MemberRole.CO_OPTED: (AttendanceKind.OTHER, AttendanceFunction.NONE),
}
ROLE_ORDER = {role: position for position, role in enumerate(ATTENDANCE_OF_ROLE)}
KIND_ORDER = {AttendanceKind.MEMBER: 0, AttendanceKind.SERVING_SUBSTITUTE: 1, AttendanceKind.SUBSTITUTE: 2}


@dataclass
class Filled:
    """What the filling did: the new draft, its paragraph numbers, the later records renumbered, warnings."""

    record: MeetingRecordPage
    numbers: list
    present: int
    attendance_kept: bool = False
    renumbered: list = field(default_factory=list)  # [(record, old numbers, new numbers)]
    warnings: list = field(default_factory=list)


def fill_errors(record):
    """Why this version of the meeting cannot be filled (Swedish messages); empty when it can."""
    if record.status != MeetingStatus.HELD:
        return [_("Protokollet skapas när sammanträdet är genomfört: ändra statusen till ”genomfört” och spara först.")]
    errors = []
    if record.meeting_date is None:
        errors.append(_("Ange sammanträdesdatum innan protokollet skapas."))
    if record.forum is None:
        errors.append(_("Sammanträdet ligger inte under ett forum."))
    if record.adjusted_on is not None:
        errors.append(_("Protokollet är redan justerat."))
    if list(record.paragraphs.all()):
        errors.append(
            _(
                "Protokollet har redan paragrafer och fylls inte i en gång till. Lägg till fler paragrafer under "
                "fliken ”Protokoll”."
            )
        )
    return errors


def fill(page, record, user):
    """Fill `record`, the latest version of the held meeting `page`, from its agenda, memberships and förhinder; saved
    as a new draft revision. Call inside a transaction, after `fill_errors` found nothing."""
    items = record.agenda_list()
    forum = record.forum
    numbers, renumbering, warnings = _numbers(page, record, forum, len(items), user)
    record.paragraphs = [
        _paragraph(item, number, position) for position, (item, number) in enumerate(zip(items, numbers, strict=True))
    ]
    # Attendance someone already entered is theirs: it is kept, not replaced.
    attendance_kept = bool(list(record.attendances.all()))
    if not attendance_kept:
        record.attendances = _attendance(record, items, numbers)
    if record.meeting_date.isoformat() not in record.title:
        record.title = meeting_rules.record_title(forum, record.meeting_date)
    # A draft revision leaves the live rows as they were, so their references (which Wagtail's index reads, one query
    # per stream of every item) stay right: not re-read on this save.
    with disable_reference_index_auto_update():
        record.save_revision(user=user, log_action=True)
    filled = Filled(
        record=record,
        numbers=numbers,
        present=len(record.attendances.all()),
        attendance_kept=attendance_kept,
        warnings=warnings,
    )
    for other_page, other, new_numbers in renumbering:
        filled.renumbered.append((other, renumber(other_page, other, new_numbers, user), new_numbers))
    return filled


# --- the paragraphs ---------------------------------------------------------------------------------


def _paragraph(item, number, position):
    # The order is stored, not only kept in memory: the edit form orders the rows by it.
    return Paragraph(
        sort_order=position,
        number=number,
        title=item.title,
        case_id=item.case_id,
        proposal=item.proposal,
        basis=_basis(item),
    )


def _basis(item):
    """The item's handlingar as the paragraph's beslutsunderlag: the same documents, given as the ones `agenda_list`
    read for all items, so that saving the revision (Wagtail's reference index reads every stream) asks no query per
    paragraph."""
    stream_block = Paragraph._meta.get_field("basis").stream_block
    child = stream_block.child_blocks["document"]
    return StreamValue(
        stream_block,
        [
            ("document", StructValue(child, [("label", label), ("document", document)]))
            for label, document in item.paper_items()
        ],
    )


# --- the attendance ---------------------------------------------------------------------------------


def _attendance(record, items, numbers):
    absent = set(Absence.objects.filter(record_id=record.pk).values_list("person_id", flat=True))
    call_ins = list(CallIn.objects.filter(record_id=record.pk).order_by("called_at", "pk"))
    replaced = {call_in.person_id: call_in.replaces_id for call_in in call_ins}

    def serving_for(person_id):
        """Whom a called-in ersättare serves for: an ersättare called in for an ersättare who then reported
        förhinder serves for the ledamot the first one was called in for."""
        seen = set()
        while person_id in replaced and person_id not in seen:
            seen.add(person_id)
            person_id = replaced[person_id]
        return person_id

    rows = {}
    for membership in sorted(
        memberships_on(record).filter(role__in=list(ATTENDANCE_OF_ROLE)),
        key=lambda m: (ROLE_ORDER[m.role], m.substitute_order or 0, m.sort_order or 0, m.pk),
    ):
        if membership.person_id in absent or membership.person_id in rows:
            continue
        kind, function = ATTENDANCE_OF_ROLE[membership.role]
        rows[membership.person_id] = Attendance(person=membership.person, kind=kind, function=function)
    for call_in in call_ins:
        if call_in.person_id in absent:
            continue
        row = rows.get(call_in.person_id) or Attendance(person_id=call_in.person_id, function=AttendanceFunction.NONE)
        row.kind = AttendanceKind.SERVING_SUBSTITUTE
        row.serving_for_id = serving_for(call_in.person_id)
        rows[call_in.person_id] = row

    presenting = {}
    for item, number in zip(items, numbers, strict=True):
        if item.presenter_id:
            presenting.setdefault(item.presenter_id, (item.presenter, []))[1].append(number)
    for person_id, (person, paragraphs) in presenting.items():
        row = rows.get(person_id)
        if row is None:
            row = rows[person_id] = Attendance(person=person, kind=AttendanceKind.OTHER)
        # As the person page reads it (models/people.py `paragraph_numbers`): "föredragande §§ 5, 7".
        listed = f"§ {paragraphs[0]}" if len(paragraphs) == 1 else "§§ " + ", ".join(map(str, paragraphs))
        note = f"föredragande {listed}"  # the minutes' own text: Swedish whatever the admin's language
        row.description = f"{row.description}, {note}" if row.description else note

    ordered = sorted(rows.values(), key=lambda row: KIND_ORDER.get(row.kind, 3))  # stable: the roles' order within
    for position, row in enumerate(ordered):
        row.sort_order = position
    return ordered


# --- the § numbers: the forum's series for the year in meeting order ------------------------------------


def _position(record):
    return (record.meeting_date, record.starts_at or datetime.time.min, record.path)


def _own_numbers(record):
    return [p.number for p in sorted(record.paragraphs.all(), key=lambda p: p.sort_order or 0) if p.number]


def _series(forum, year, exclude_pk):
    """[(page, latest version)] of the forum's other records of the year, in meeting order: the numbers as their
    latest versions (drafts too) hold them, read without a query per record."""
    pages = (
        MeetingRecordPage.objects.child_of(forum)
        .exclude(pk=exclude_pk)
        .filter(Q(meeting_date__year=year) | Q(has_unpublished_changes=True))
        .select_related("latest_revision")
    )
    found = []
    for page in pages:
        latest = page.with_content_json(page.latest_revision.content) if page.latest_revision_id else page
        if latest.meeting_date and latest.meeting_date.year == year:
            found.append((page, latest))
    return sorted(found, key=lambda pair: _position(pair[1]))


def _is_justerat(page, latest):
    return page.adjusted_on is not None or latest.adjusted_on is not None


def _renumberable(page, latest, user):
    """Whether a later record may be renumbered: its minutes are not justerade, the secretary may edit it, and the new
    numbers reach the rows the form's duplicate check reads (`numbers_in_use`): a draft never published (its rows
    follow its revision), or a live record without other unpublished changes that the secretary may publish."""
    if _is_justerat(page, latest) or not may_fill(page, user):
        return False
    if not page.live:
        return True
    return not page.has_unpublished_changes and page.permissions_for_user(user).can_publish()


def _numbers(page, record, forum, count, user):
    """The numbers of the new paragraphs, the later records to renumber [(page, latest, new numbers)], warnings.

    A later record that may not be renumbered (`_renumberable`) keeps its numbers, as a justerat one does."""
    series = _series(forum, record.meeting_date.year, page.pk)
    here = _position(record)
    earlier = [latest for _page, latest in series if _position(latest) < here]
    later = [(other_page, latest) for other_page, latest in series if _position(latest) >= here]
    last = max((n for latest in earlier for n in _own_numbers(latest)), default=0)
    numbers = list(range(last + 1, last + 1 + count))
    renumbering, kept = [], set()
    current = numbers[-1] if numbers else last
    for other_page, latest in later:
        own = _own_numbers(latest)
        if not own:
            continue
        if not _renumberable(other_page, latest, user):
            kept.update(own)
            current = max(current, *own)
        elif min(own) <= current:
            new = list(range(current + 1, current + 1 + len(own)))
            renumbering.append((other_page, latest, new))
            current = new[-1]
        else:
            current = max(own)
    planned = numbers + [n for _page, _latest, new in renumbering for n in new]
    if kept & set(planned):
        # A justerat protokoll's numbers never change: the new paragraphs go after the year's last number, as the
        # latest versions and the stored rows hold them.
        every = [n for _page, latest in series for n in _own_numbers(latest)]
        last = max(every + list(numbers_in_use(forum, record.meeting_date.year, exclude_record_id=page.pk)), default=0)
        warning = _(
            "Ett senare sammanträdes protokoll kan inte numreras om (det är justerat eller har ändringar som inte är "
            "publicerade), så paragraferna fick nummer efter årets sista (§ %(number)s) i stället för i "
            "sammanträdesordning."
        ) % {"number": last}
        return list(range(last + 1, last + 1 + count)), [], [warning]
    return numbers, renumbering, []


def renumber(page, latest, numbers, user):
    """A later record's paragraphs given `numbers` in their order, as a new revision: published at once when the page
    is live (`_renumberable`: it had no other unpublished changes, so the numbers are all that changes); a draft's
    rows take the numbers too."""
    old = _own_numbers(latest)
    paragraphs = sorted(latest.paragraphs.all(), key=lambda p: p.sort_order or 0)
    for paragraph, number in zip([p for p in paragraphs if p.number], numbers, strict=True):
        paragraph.number = number
    latest.paragraphs = paragraphs
    revision = latest.save_revision(user=user, log_action=True)
    if page.live:
        revision.publish(user=user)
    else:
        rows = {p.pk: p.number for p in paragraphs if p.pk}
        stored = list(Paragraph.objects.filter(record_id=page.pk, pk__in=list(rows)))
        for row in stored:
            row.number = rows[row.pk]
        Paragraph.objects.bulk_update(stored, ["number"])
    return old


# --- the admin action -----------------------------------------------------------------------------


def may_fill(page, user):
    """Whether `user` may create the record of this meeting: those who may edit the page."""
    return page.permissions_for_user(user).can_edit()


@require_POST
def create_record_view(request, page_id):
    """*Skapa protokoll* (a POST from the page's header): fills the record and returns to its edit view with what was
    done, or with why nothing was. Anyone who may not edit the page gets the answer a missing page gets (404)."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, MeetingRecordPage) or not may_fill(page, request.user):
        raise Http404
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    with transaction.atomic():
        # A second press arriving meanwhile waits here, then finds the paragraphs and is refused.
        Page.objects.select_for_update().filter(pk=page.pk).values_list("pk", flat=True).first()
        page = type(page).objects.select_related("latest_revision").get(pk=page.pk)
        record = page.get_latest_revision_as_object()
        errors = fill_errors(record)
        filled = None if errors else fill(page, record, request.user)
    if errors:
        for error in errors:
            messages.error(request, error)
        return redirect(edit_url)
    if filled.numbers:
        paragraphs = ngettext(
            "%(count)s paragraf (§ %(first)s)",
            "%(count)s paragrafer (§ %(first)s–%(last)s)",
            len(filled.numbers),
        ) % {"count": len(filled.numbers), "first": filled.numbers[0], "last": filled.numbers[-1]}
    else:
        paragraphs = _("inga paragrafer (föredragningslistan är tom)")
    messages.success(
        request,
        _(
            "Protokollet är ifyllt från sammanträdet och sparat som utkast: %(paragraphs)s och %(present)s "
            "närvarande. Granska det och skicka det sedan till granskning."
        )
        % {"paragraphs": paragraphs, "present": filled.present},
    )
    for other, old, new in filled.renumbered:
        messages.info(
            request,
            _("”%(title)s” har numrerats om till § %(first)s–%(last)s (var § %(old_first)s–%(old_last)s).")
            % {"title": other.title, "first": new[0], "last": new[-1], "old_first": old[0], "old_last": old[-1]},
        )
    if filled.attendance_kept:
        messages.info(request, _("Närvaron var redan ifylld och har inte ändrats."))
    for warning in filled.warnings:
        messages.warning(request, warning)
    return redirect(edit_url)
