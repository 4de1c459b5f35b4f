"""The rules of minutes: who may read them, quorum, paragraph numbering, lifecycle and corrections.

Kept apart from the models so the admin form, the importer, the demo loader
and the tests use one implementation of each rule.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safety_pages.access import roles, visibility

# --- who may read minutes that are not yet justerat --------------------------------------------------

EDITOR_GROUPS = (roles.EDITORS, roles.REVIEWERS)


def _active_membership_q(prefix="", on=None):
    on = on or timezone.localdate()
    return (Q(**{f"{prefix}starts_on__isnull": True}) | Q(**{f"{prefix}starts_on__lte": on})) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def editor_principals():
    return frozenset(
        visibility.group_principal(pk)
        for pk in Group.objects.filter(name__in=EDITOR_GROUPS).values_list("pk", flat=True)
    )


def closed_minutes_principals(forum):
    """The forum's members with a user account (active seats today), its local roles and the editors.

    The local roles (reader, editor and justering groups) matter beside the
    members: a justerargrupp need not hold seats, and the reader group is what
    the nightly sync keeps in step when a membership starts or ends on a date.
    """
    members = frozenset()
    if forum is not None:
        user_ids = (
            forum.memberships.filter(_active_membership_q(), person__user__isnull=False)
            .values_list("person__user_id", flat=True)
            .distinct()
        )
        members = frozenset(visibility.user_principal(pk) for pk in user_ids)
        members |= visibility.forum_reader_principals(forum)
    return members | editor_principals()


def _member_forum_paths(request_or_user):
    """Tree paths of the forums where this user holds an active seat or a local role (cached on the request)."""
    request = request_or_user if hasattr(request_or_user, "user") else None
    if request is not None and hasattr(request, "_member_forum_paths"):
        return request._member_forum_paths
    from safety_pages.models import ForumLocalRoles, ForumPage

    user = getattr(request_or_user, "user", request_or_user)
    paths = []
    if user is not None and user.is_authenticated:
        paths = list(
            ForumPage.objects.filter(_active_membership_q("memberships__"), memberships__person__user=user).values_list(
                "path", flat=True
            )
        )
        # The forums whose local roles (reader, editor, justering group) include one of the user's groups.
        group_ids = visibility.principal_group_ids(visibility.user_principals(request_or_user))
        if group_ids:
            roles = ForumLocalRoles.objects.naming_any_of(group_ids)
            paths += list(ForumPage.objects.filter(local_roles__in=roles).values_list("path", flat=True))
    if request is not None:
        request._member_forum_paths = paths
    return paths


def closed_minutes_rule(queryset, request_or_user):
    """visibility.TYPE_RULES entry: drop minutes not yet justerat unless the user is a member or an editor.

    The same rule as MeetingRecordPage.extra_read_principals(), as one subquery for listings and feeds.
    """
    from safety_pages.models import MeetingRecordPage

    if not issubclass(MeetingRecordPage, queryset.model):
        return queryset  # a queryset of another page type can hold no record
    if visibility.user_principals(request_or_user) & editor_principals():
        return queryset
    closed = MeetingRecordPage.objects.filter(status="genomfort", adjusted_on__isnull=True)
    for forum_path in _member_forum_paths(request_or_user):
        closed = closed.exclude(path__startswith=forum_path)
    return queryset.exclude(pk__in=closed.values("pk"))


visibility.TYPE_RULES.append(closed_minutes_rule)


# --- quorum ------------------------------------------------------------------------------------------


@dataclass
class Quorum:
    seats: int | None
    present: int
    required: int | None
    quorate: bool | None  # None: the number of seats is unknown
    rule_label: str
    source: str
    lowest_present: int  # after those who left early
    quorate_throughout: bool | None

    @property
    def message(self):
        if self.quorate is None:
            return _("Beslutförheten kan inte bedömas: antalet ledamöter är okänt.")
        if not self.quorate:
            return _(
                "Sammanträdet var inte beslutfört: %(present)s av %(seats)s ledamöter närvarande, "
                "minst %(required)s krävs."
            ) % {"present": self.present, "seats": self.seats, "required": self.required}
        if not self.quorate_throughout:
            return _(
                "Beslutfört vid början (%(present)s av %(seats)s), men efter att ledamöter lämnat var bara "
                "%(lowest)s kvar; minst %(required)s krävs."
            ) % {"present": self.present, "seats": self.seats, "lowest": self.lowest_present, "required": self.required}
        return _("Beslutfört: %(present)s av %(seats)s ledamöter närvarande (minst %(required)s krävs).") % {
            "present": self.present,
            "seats": self.seats,
            "required": self.required,
        }


def _instruction_in_force(forum, on):
    from safety_pages.models import InstructionPage, InstructionStatus

    instructions = list(
        InstructionPage.objects.child_of(forum).filter(status=InstructionStatus.ADOPTED).order_by("-valid_from")
    )
    for instruction in instructions:
        if instruction.is_in_force(on=on) and instruction.ordinary_seats:
            return instruction
    return None


def quorum_for(record, attendances=None):
    """Present ordinary members plus serving substitutes against the forum's seats and quorum rule."""
    from safety_pages.models import QuorumRule
    from safety_pages.models.forums import ORDINARY_SEAT_ROLES
    from safety_pages.models.meetings import DECIDING_KINDS

    forum = record.forum
    on = record.meeting_date or timezone.localdate()
    seats, rule, source = None, QuorumRule.MORE_THAN_HALF, ""
    instruction = _instruction_in_force(forum, on) if forum is not None else None
    if instruction is not None:
        seats, rule, source = instruction.ordinary_seats, instruction.quorum_rule, _("uppdragsbeskrivningen")
    elif forum is not None:
        counted = [m for m in forum.active_memberships(on=on) if m.role in ORDINARY_SEAT_ROLES]
        if counted:
            seats, source = len(counted), _("forumets ledamotsförteckning")

    if attendances is None:
        attendances = record.attendances.all()
    deciding = [a for a in attendances if a.kind in DECIDING_KINDS]
    present = len(deciding)
    lowest = present - sum(1 for a in deciding if a.left_at is not None)
    if rule == QuorumRule.NONE:
        required = 0
    elif seats is None:
        required = None
    elif rule == QuorumRule.HALF:
        required = (seats + 1) // 2
    else:
        required = seats // 2 + 1
    quorate = None if required is None else present >= required
    throughout = None if required is None else lowest >= required
    return Quorum(seats, present, required, quorate, QuorumRule(rule).label, source, lowest, throughout)


# --- paragraph numbering: one running sequence per forum and year ---------------------------------------


def numbers_in_use(forum, year, exclude_record_id=None):
    """{number: record} for the paragraphs of the forum's other records of that year."""
    from safety_pages.models import Paragraph

    paragraphs = Paragraph.objects.filter(
        record__path__startswith=forum.path, record__depth=forum.depth + 1, record__meeting_date__year=year
    ).select_related("record")
    if exclude_record_id:
        paragraphs = paragraphs.exclude(record_id=exclude_record_id)
    return {p.number: p.record for p in paragraphs}


def next_free_number(forum, year, exclude_record_id=None, also_taken=()):
    taken = set(numbers_in_use(forum, year, exclude_record_id)) | set(also_taken)
    return max(taken, default=0) + 1


def duplicate_message(number, year, record):
    return _("§ %(number)s är redan använd %(year)s i protokollet ”%(record)s”. Välj ett annat nummer.") % {
        "number": number,
        "year": year,
        "record": record.title,
    }


def assign_numbers(forum, meeting_date, paragraphs, exclude_record_id=None):
    """Give paragraphs without a number the next free ones; return {index: error} for duplicates.

    `paragraphs` are objects with a `number` attribute (None: to be assigned), in the record's order.
    """
    errors = {}
    year = meeting_date.year if meeting_date else None
    used = numbers_in_use(forum, year, exclude_record_id) if (forum is not None and year) else {}
    own = {}
    for index, paragraph in enumerate(paragraphs):
        if paragraph.number is None:
            continue
        if paragraph.number in own:
            errors[index] = _("§ %(number)s finns två gånger i det här protokollet.") % {"number": paragraph.number}
        elif paragraph.number in used:
            errors[index] = duplicate_message(paragraph.number, year, used[paragraph.number])
        own[paragraph.number] = paragraph
    for index, paragraph in enumerate(paragraphs):
        if paragraph.number is None:
            if year is None:
                errors[index] = _("Ange sammanträdesdatum, så föreslås nästa lediga paragrafnummer.")
                continue
            paragraph.number = max(set(used) | set(own), default=0) + 1
            own[paragraph.number] = paragraph
    return errors


# --- lifecycle ---------------------------------------------------------------------------------------


def lifecycle_errors(record):
    """Field errors (field -> message) for dates that contradict the order meeting → justering → anslag."""
    from safety_pages.models.meetings import MeetingStatus

    errors = {}
    if record.starts_at and record.ends_at and record.ends_at <= record.starts_at:
        errors["ends_at"] = _("Sammanträdet måste sluta efter att det börjat.")
    if record.adjusted_on:
        if record.status != MeetingStatus.HELD:
            errors["adjusted_on"] = _("Bara ett genomfört sammanträde har ett protokoll att justera.")
        elif record.meeting_date and record.adjusted_on < record.meeting_date:
            errors["adjusted_on"] = _("Protokollet kan inte justeras före sammanträdet.")
    if record.posted_on:
        # A planned anslag day ahead may be set before justering: the workflow then publishes on that day.
        if not record.adjusted_on and record.posted_on <= timezone.localdate():
            errors["posted_on"] = _("Protokollet måste vara justerat innan justeringen anslås.")
        elif record.adjusted_on and record.posted_on < record.adjusted_on:
            errors["posted_on"] = _("Anslaget kan inte sättas upp före justeringen.")
    if record.taken_down_on:
        if not record.posted_on:
            errors["taken_down_on"] = _("Ange först när anslaget sattes upp.")
        elif record.taken_down_on < record.appeal_period_ends:
            errors["taken_down_on"] = _(
                "Anslaget får tas ned tidigast när överklagandetiden har gått ut, %(date)s."
            ) % {"date": date_format(record.appeal_period_ends, "Y-m-d")}
    return errors


LOCKED_PAGE_FIELDS = ("meeting_date", "starts_at", "ends_at", "place", "status", "adjusted_on", "adjusted_place")


class RecordLocked(Exception):
    pass


def correct(record, *, description, reason, change, user=None, paragraph_number=None, publish=True):
    """Change a justerat record through a rättelse: the change and its reason land in one new revision.

    `change(page)` edits the latest revision of the record in memory. Returns the new revision.
    """
    from safety_pages.models import Correction

    if not (reason or "").strip():
        raise RecordLocked(_("En rättelse måste ha ett skäl."))
    page = record.get_latest_revision_as_object()
    for relation in ("paragraphs", "attendances", "corrections"):
        # In memory, so `change` edits the rows that this revision will hold.
        setattr(page, relation, list(getattr(page, relation).all()))
    change(page)
    page.corrections.add(
        Correction(
            made_on=timezone.localdate(),
            paragraph_number=paragraph_number,
            description=description,
            reason=reason,
            made_by=user,
        )
    )
    revision = page.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return revision
