"""Sending the kallelse: one queued task per recipient (django-tasks, the database backend), each e-mail logged in
`NoticeDelivery` and tried again later when the mail server fails. Also the inkallelse of an ersättare after a
förhinder, through the same task, and the signed förhinder link each e-mail carries.

The e-mail carries no content beyond the page itself: the time, the place, the titles and Dnr of the items and
links. It goes only to the forum's members and ersättare (`notices.called_persons`).
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

from safety_pages.access import signals, visibility
from safety_pages.models import (
    DeliveryStatus,
    MeetingRecordPage,
    MeetingStatus,
    NoticeDelivery,
    NoticeKind,
    Person,
    mail,
)
from safety_pages.models import notices as rules
from safety_pages.models.choices import UPCOMING_STATUSES

TOKEN_SALT = "safety_pages.forhinder"
NOTICE_BACKEND = mail.NOTICE_BACKEND
# The page history's entry for a kallelse sent (registered in meetings/admin.py).
SEND_ACTION = "safety_pages.send_kallelse"


# --- the signed förhinder link -------------------------------------------------------------------


def absence_token(record, person):
    """A token for this meeting and this person only; `read_absence_token` refuses it after the meeting day."""
    return signing.dumps({"r": record.pk, "p": person.pk}, salt=TOKEN_SALT, compress=True)


class TokenError(Exception):
    """A förhinder link that does not hold: the message says why, in Swedish, without naming the meeting."""


def read_absence_token(token):
    """(record, person) of a valid token for a meeting not yet held, else TokenError."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        record_id, person_id = int(data["r"]), int(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        message = _("Länken är inte giltig. Kontrollera att hela adressen från e-postmeddelandet kom med.")
        raise TokenError(message) from error
    record = MeetingRecordPage.objects.live().filter(pk=record_id).first()
    person = Person.objects.filter(pk=person_id, active=True).select_related("user").first()
    if record is None or person is None or not rules.is_called(record, person):
        raise TokenError(_("Länken är inte giltig."))
    # A member with an account reads the meeting as the page's rule says (a restriction added since the e-mail).
    if person.user is not None and not visibility.can_view(person.user, record):
        raise TokenError(_("Länken är inte giltig."))
    if record.status not in UPCOMING_STATUSES:
        raise TokenError(_("Länken gäller inte längre: sammanträdet är inte planerat."))
    if record.meeting_date is None or record.meeting_date < timezone.localdate():
        raise TokenError(_("Länken har gått ut: sammanträdet har redan hållits."))
    return record, person


def absence_url(record, person):
    """The förhinder link, on the site that serves the meeting page."""
    parts = record.get_url_parts()
    root = parts[1] if parts else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/") + reverse("safety_pages:absence", args=[absence_token(record, person)])


# --- queueing ------------------------------------------------------------------------------------


def recipients(record):
    """(person, address) of everyone the kallelse goes to; address '' for those it cannot reach."""
    return [(person, rules.address_of(person)) for person in rules.called_persons(record)]


def queue(record, person, kind):
    """Log and queue one e-mail, once the saving transaction commits (the worker must find the row). A person
    already sent this kind of e-mail for the meeting gets none again. Returns the delivery, or None without an
    address."""
    address = rules.address_of(person)
    if not address:
        return None
    delivery, created = NoticeDelivery.objects.get_or_create(
        record=record, person=person, kind=kind, defaults={"address": address}
    )
    if created:
        transaction.on_commit(lambda: send_notice.enqueue(delivery.pk))
    return delivery


def send_kallelse(record, user):
    """Publish the meeting as "kallelse utskickad" and queue one e-mail per recipient. Returns the deliveries.

    The caller has decided that `user` may send it (`roles.may_send_kallelse`) and that the revision is only a
    kallelse (`kallelse.kallelse_errors`): a redaktör sends it without the right to publish, so the publishing is done
    on her behalf, in her name, and the page history says who sent the kallelse to how many.
    """
    with transaction.atomic():
        record.status = MeetingStatus.NOTICE_SENT
        record.save_revision(user=user, log_action=True).publish(user=user, skip_permission_checks=True)
        deliveries = [queue(record, person, NoticeKind.NOTICE) for person, _address in recipients(record)]
        sent = [d for d in deliveries if d is not None]
        log(instance=record, action=SEND_ACTION, user=user, data={"recipients": len(sent)})
        # The followers of the forum hear of it at once (following/digests.py), inside the same transaction.
        signals.kallelse_sent.send(sender=type(record), record=record)
    return sent


def report_absence(record, person, user=None):
    """Record the förhinder and, when the person's seat needs one, call in the next ersättare (logged and mailed
    through the same queue). Returns the ersättare called in, or None."""
    with transaction.atomic():
        absence, created = rules.Absence.objects.get_or_create(
            record=record, person=person, defaults={"reported_by": user if user and user.is_authenticated else None}
        )
        if not created or not rules.needs_stand_in(record, person):
            return None
        substitute = rules.next_substitute(record)
        if substitute is None:
            return None
        rules.CallIn.objects.create(record=record, person=substitute, replaces=person)
        queue(record, substitute, NoticeKind.CALL_IN)
    return substitute


# --- the task --------------------------------------------------------------------------------------


# Its own backend (settings.TASKS["notices"], a database queue), shared with the bevakningar (models/mail.py).
@task(backend=NOTICE_BACKEND)
def send_notice(delivery_id):
    """Send one logged e-mail; when the mail server fails, log the error and queue a new attempt later."""
    delivery = NoticeDelivery.objects.select_related("record", "person").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == DeliveryStatus.SENT:
        return "nothing to do"
    return mail.attempt(
        delivery,
        lambda: _message(delivery),
        lambda run_after: send_notice.using(run_after=run_after).enqueue(delivery.pk),
    )


def _message(delivery):
    """The e-mail, in Swedish: subject with the forum and the day; time, place, the items' titles, links."""
    record = delivery.record.specific
    with translation.override(settings.LANGUAGE_CODE):
        forum = record.forum
        day = date_format(record.meeting_date, "Y-m-d") if record.meeting_date else ""
        if delivery.kind == NoticeKind.CALL_IN:
            subject = _("Inkallelse till %(forum)s %(day)s") % {"forum": forum.title, "day": day}
        else:
            subject = _("Kallelse till %(forum)s %(day)s") % {"forum": forum.title, "day": day}
        body = render_to_string(
            "safety_pages/email/kallelse.txt",
            {
                "record": record,
                "forum": forum,
                "person": delivery.person,
                "call_in": delivery.kind == NoticeKind.CALL_IN,
                "items": record.agenda_list(),
                "page_url": record.get_full_url(),
                "absence_url": absence_url(record, delivery.person),
            },
        )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [delivery.address])
