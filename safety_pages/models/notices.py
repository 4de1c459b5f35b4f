"""Kallelse and förhinder: who is called to a meeting, the log of each e-mail, absences and ersättare called in.

The rules are here, beside the rows they read: who receives the kallelse (the forum's members and ersättare on
the meeting day, with an address), and which ersättare is called in when someone reports förhinder. Sending the
e-mails is the meetings feature's (`safety_pages/meetings/notices.py`): it reads these rules and writes the log.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safety_pages.models.choices import ORDINARY_SEAT_ROLES, MemberRole
from safety_pages.models.mail import Delivery
from safety_pages.models.meetings import MeetingRecordPage
from safety_pages.models.memberships import Membership
from safety_pages.models.readers import active_membership_q
from safety_pages.models.registers import Person

# Who is called: those who sit in the forum (ordinary seats, permanent members, the convener) and its ersättare,
# who are kept informed so that they can step in.
CALLED_ROLES = ORDINARY_SEAT_ROLES | {MemberRole.CONVENER, MemberRole.PERMANENT, MemberRole.SUBSTITUTE}


class NoticeKind(models.TextChoices):
    NOTICE = "kallelse", _("kallelse")
    CALL_IN = "inkallelse", _("inkallelse av ersättare")


class NoticeDelivery(Delivery):
    """One e-mail to one person about one meeting: queued, sent, or failed with its error and attempts."""

    record = models.ForeignKey(MeetingRecordPage, on_delete=models.CASCADE, related_name="notice_deliveries")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    kind = models.CharField(_("slag"), max_length=20, choices=NoticeKind.choices, default=NoticeKind.NOTICE)

    class Meta:
        verbose_name = _("utskick")
        verbose_name_plural = _("utskick")
        constraints = [
            models.UniqueConstraint(fields=["record", "person", "kind"], name="one_notice_per_person_and_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.person} ({self.get_status_display()})"


class Absence(models.Model):
    """A förhinder: the person will not attend the meeting."""

    record = models.ForeignKey(MeetingRecordPage, on_delete=models.CASCADE, related_name="absences")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    reported_at = models.DateTimeField(_("anmäld"), auto_now_add=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("förhinder")
        verbose_name_plural = _("förhinder")
        constraints = [models.UniqueConstraint(fields=["record", "person"], name="one_absence_per_person")]

    def __str__(self):
        return str(self.person)


class CallIn(models.Model):
    """An ersättare called in to serve at the meeting for someone who reported förhinder."""

    record = models.ForeignKey(MeetingRecordPage, on_delete=models.CASCADE, related_name="call_ins")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("ersättare"))
    replaces = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("i stället för"))
    called_at = models.DateTimeField(_("inkallad"), auto_now_add=True)

    class Meta:
        verbose_name = _("inkallad ersättare")
        verbose_name_plural = _("inkallade ersättare")
        constraints = [models.UniqueConstraint(fields=["record", "person"], name="one_call_in_per_person")]

    def __str__(self):
        return str(self.person)


def memberships_on(record):
    """The forum's memberships of named persons active on the meeting day, ersättare in their call order."""
    return (
        Membership.objects.filter(forum_id=record.forum.pk, person__isnull=False, person__active=True)
        .filter(active_membership_q(on=record.meeting_date))
        .select_related("person", "person__user")
        .order_by("substitute_order", "sort_order", "pk")
    )


def address_of(person):
    """Where a person's kallelse goes: the register's address, else their user account's."""
    if person.email:
        return person.email
    user = person.user
    return user.email if user is not None and user.is_active and user.email else ""


def called_persons(record):
    """The persons called to the meeting (one each, in the forum's order): members and ersättare."""
    persons = {}
    for membership in memberships_on(record).filter(role__in=CALLED_ROLES):
        persons.setdefault(membership.person_id, membership.person)
    return list(persons.values())


def is_called(record, person):
    return memberships_on(record).filter(role__in=CALLED_ROLES, person=person).exists()


def needs_stand_in(record, person):
    """Whether someone's förhinder calls in an ersättare: they hold a seat, or are an ersättare already called in."""
    holds_seat = memberships_on(record).filter(role__in=ORDINARY_SEAT_ROLES, person=person).exists()
    return holds_seat or CallIn.objects.filter(record=record, person=person).exists()


def next_substitute(record):
    """The next ersättare in call order who is neither called in already nor has reported förhinder (or None)."""
    taken = set(CallIn.objects.filter(record=record).values_list("person_id", flat=True))
    taken |= set(Absence.objects.filter(record=record).values_list("person_id", flat=True))
    for membership in memberships_on(record).filter(role=MemberRole.SUBSTITUTE):
        if membership.person_id not in taken:
            return membership.person
    return None


def expected_attendance(record):
    """For the secretary: who is expected (seats without förhinder, and the ersättare called in), who reported
    förhinder, and who was called in for whom."""
    absences = list(Absence.objects.filter(record=record).select_related("person").order_by("reported_at"))
    absent = {a.person_id for a in absences}
    call_ins = list(CallIn.objects.filter(record=record).select_related("person", "replaces").order_by("called_at"))
    seats = {}
    for membership in memberships_on(record).filter(role__in=ORDINARY_SEAT_ROLES | {MemberRole.PERMANENT}):
        seats.setdefault(membership.person_id, membership)
    expected = [m.person for m in seats.values() if m.person_id not in absent]
    expected += [c.person for c in call_ins if c.person_id not in absent]
    return {"expected": expected, "absences": absences, "call_ins": call_ins}
