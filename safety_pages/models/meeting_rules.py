"""The rules of meeting records: quorum, paragraph numbering and the order of their dates.

Kept apart from the models so the admin form, the importer and the tests use one implementation of each
rule. Below the record model: these rules read a record's fields and its forum's methods, never import them.
Who may read a record before justering is `readers.py`; a rättelse is `safety_pages.meetings.corrections`.
"""

import copy
import datetime
from dataclasses import dataclass
from functools import cache

import holidays
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from safety_pages.models.choices import (
    DECIDING_KINDS,
    ORDINARY_SEAT_ROLES,
    AttendanceFunction,
    InstructionStatus,
    MeetingStatus,
    QuorumRule,
)
from safety_pages.models.instructions import InstructionPage

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
    instructions = list(
        InstructionPage.objects.child_of(forum).filter(status=InstructionStatus.ADOPTED).order_by("-valid_from")
    )
    for instruction in instructions:
        if instruction.is_in_force(on=on) and instruction.ordinary_seats:
            return instruction
    return None


def quorum_for(record, attendances=None):
    """Present ordinary members plus serving substitutes against the forum's seats and quorum rule."""
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


# --- the record's title ------------------------------------------------------------------------------


def record_title(forum, meeting_date):
    """A meeting's record is titled by its forum and day, "Trygghetsrådet 2026-05-04": the demo's form, and what
    *Skapa protokoll* and the importer both give."""
    return f"{forum.title} {meeting_date.isoformat()}"


# --- paragraph numbering: one running sequence per forum and year ---------------------------------------


def duplicate_message(number, year, record):
    return _("§ %(number)s är redan använd %(year)s i protokollet ”%(record)s”. Välj ett annat nummer.") % {
        "number": number,
        "year": year,
        "record": record.title,
    }


def assign_numbers(used, year, paragraphs):
    """Give paragraphs without a number the next free ones; return {index: error} for duplicates.

    `used`: {number: record} of the forum's other records that year (`MeetingRecordPage.numbers_used_elsewhere`).
    `paragraphs` are objects with a `number` attribute (None: to be assigned), in the record's order.
    """
    errors = {}
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


# --- justering and anslag (kommunallagen 8 kap. 12 §, 13 kap. 5 §) ------------------------------------

# The anslag goes up no later than the second day after justering (kommunallagen 8 kap. 12 §).
ANSLAG_LATEST_DAYS = 2


@cache
def _swedish_holidays(year):
    """Sweden's public holidays of one year, and the eves on which municipal offices are closed as on a Sunday
    (midsommarafton, julafton, nyårsafton): none of them is a working day."""
    days = set(holidays.Sweden(years=year))
    midsummer_eve = next(
        datetime.date(year, 6, day) for day in range(19, 26) if datetime.date(year, 6, day).weekday() == 4
    )
    return frozenset(days | {midsummer_eve, datetime.date(year, 12, 24), datetime.date(year, 12, 31)})


def is_working_day(day):
    return day.weekday() < 5 and day not in _swedish_holidays(day.year)


def proposed_anslag_day(justering_day):
    """The next working day after justering, but no later than the second day after it.

    When the next working day lies further off (a justering on a Friday, or before a holiday), the second day is
    proposed: the digital notice board needs nobody in the office, and the law's limit is in calendar days.
    """
    latest = justering_day + datetime.timedelta(days=ANSLAG_LATEST_DAYS)
    day = justering_day + datetime.timedelta(days=1)
    while day < latest and not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


# Three weeks from the day the justering was announced on the notice board (kommunallagen 13 kap. 5 §).
APPEAL_PERIOD = datetime.timedelta(weeks=3)


def appeal_period_end(posted_on):
    """The last day to appeal against decisions in minutes whose justering was announced on `posted_on`.

    A period that would end on a Saturday, Sunday, public holiday, midsommarafton, julafton or nyårsafton runs
    to the next working day (lagen (1930:173) om beräkning av lagstadgad tid, 2 §).
    """
    day = posted_on + APPEAL_PERIOD
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _signer_errors(signers):
    errors = []
    if not any(signer.function == AttendanceFunction.CHAIR for signer in signers):
        errors.append(
            _("Närvaron anger ingen ordförande. Ordföranden justerar protokollet tillsammans med justerarna.")
        )
    if not any(signer.function == AttendanceFunction.ADJUSTER for signer in signers):
        errors.append(_("Närvaron anger ingen justerare."))
    for signer in signers:
        if signer.user is None:
            errors.append(
                _("%(name)s (%(function)s) har inget aktivt användarkonto och kan inte justera.")
                % {"name": signer.name, "function": signer.function_label}
            )
    return errors


def justering_errors(record, on, signers):
    """Why `record` cannot be justerat on the day `on` by `signers` (its chair and justerare): Swedish messages,
    empty when nothing stands in the way. Granskning shows them as warnings; the justering refuses to start."""
    if record.status != MeetingStatus.HELD:
        return [_("Bara ett genomfört sammanträde har ett protokoll att justera.")]
    errors = []
    if record.meeting_date and record.meeting_date > on:
        errors.append(
            _("Sammanträdet hålls %(date)s: protokollet kan inte justeras före sammanträdet.")
            % {"date": date_format(record.meeting_date, "Y-m-d")}
        )
    errors += _signer_errors(signers)
    would_be = copy.copy(record)
    would_be.adjusted_on = on
    errors += [message for field, message in lifecycle_errors(would_be).items() if field != "adjusted_on"]
    return errors
