"""Personal calendar subscriptions: a secret feed address per user, for clients that send no session.

Outlook and phone calendars fetch an .ics address on their own, without the
intranet's login. Each user gets a secret token in the address; it names the
user, and the feed then shows exactly what that user may read.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarSubscription(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="calendar_subscription",
    )
    # The token is derived from this salt and the site's SECRET_KEY (safety_pages/calendar_subscriptions.py);
    # only its hash is stored, so the database alone gives no one a working address.
    salt = models.CharField(max_length=64, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    renewed_at = models.DateTimeField(_("förnyad"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("kalenderprenumeration")
        verbose_name_plural = _("kalenderprenumerationer")

    def __str__(self):
        return str(self.user)
