"""The log of one queued e-mail and how it is tried: shared by the kallelse (meetings/notices.py) and the
bevakningar (following/digests.py), so that both go through the same queue, the same SMTP path and the same
retries, logged the same way.

Here, below the features, because both features use it and neither may import the other. Each feature keeps its
own task (a few lines: find its row, build its message) and hands the attempt to `attempt()`.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The django-tasks backend of every e-mail (settings.TASKS["notices"], a database queue): the default one is
# Wagtail's, which must stay immediate (see the settings).
NOTICE_BACKEND = "notices"
# What the mail server or the network may answer with: logged on the delivery and tried again; anything else is a
# fault of ours and fails the task.
SEND_ERRORS = (smtplib.SMTPException, OSError)


class DeliveryStatus(models.TextChoices):
    QUEUED = "koad", _("i kö")
    SENT = "skickad", _("skickad")
    RETRYING = "nytt_forsok", _("misslyckades, försöker igen")
    FAILED = "misslyckad", _("misslyckades")


class Delivery(models.Model):
    """One e-mail to one address: queued, sent, or failed with its error and attempts."""

    address = models.EmailField(_("e-postadress"))
    status = models.CharField(_("status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    error = models.TextField(_("senaste fel"), blank=True)
    queued_at = models.DateTimeField(_("köad"), auto_now_add=True)
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)

    class Meta:
        abstract = True


def attempt(delivery, build_message, requeue):
    """Send the delivery's e-mail once (`build_message()` gives it, or None when there is nothing to send any
    more), and log the outcome on the row. When the mail server fails, the error is logged and `requeue(run_after)`
    queues the next attempt, later each time, up to settings.NOTICE_MAX_ATTEMPTS. Returns the status."""
    message = build_message()
    if message is None:
        return None
    delivery.attempts += 1
    try:
        message.send()
    except SEND_ERRORS as error:
        delivery.error = f"{type(error).__name__}: {error}"[:2000]
        retry = delivery.attempts < settings.NOTICE_MAX_ATTEMPTS
        delivery.status = DeliveryStatus.RETRYING if retry else DeliveryStatus.FAILED
        delivery.save(update_fields=["attempts", "error", "status"])
        logger.warning(
            "E-mail %s %s to %s failed (attempt %s): %s",
            type(delivery).__name__,
            delivery.pk,
            delivery.address,
            delivery.attempts,
            delivery.error,
        )
        if retry:
            delay = settings.NOTICE_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
            requeue(timezone.now() + datetime.timedelta(seconds=delay))
        return delivery.status
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.error = ""
    delivery.save(update_fields=["attempts", "error", "status", "sent_at"])
    return delivery.status
