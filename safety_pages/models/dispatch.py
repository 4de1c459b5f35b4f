"""Expediering: a decision sent to the recipients its paragraph names (*Beslutet skickas till*), noted per recipient.

After justering each decision is sent, usually as a protokollsutdrag, to every recipient on the paragraph's list;
the secretary notes when, how and by whom. A recipient is a line of that list, kept as written: the list is the
record's text, fixed at justering, so the line is how the note finds its recipient again.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safety_pages.models.meetings import Paragraph


class DispatchMethod(models.TextChoices):
    EMAIL = "e-post", _("E-post")
    POST = "post", _("Post")
    INTERNAL_MAIL = "internpost", _("Internpost")
    CASE_SYSTEM = "arendesystem", _("Ärendehanteringssystemet")
    BY_HAND = "personligen", _("Lämnat personligen")
    OTHER = "annat", _("Annat sätt")


class Dispatch(models.Model):
    paragraph = models.ForeignKey(
        Paragraph, verbose_name=_("paragraf"), related_name="dispatches", on_delete=models.CASCADE
    )
    recipient = models.CharField(_("mottagare"), max_length=300)
    dispatched_on = models.DateField(_("expedierat den"), default=timezone.localdate)
    method = models.CharField(_("hur"), max_length=20, choices=DispatchMethod.choices, default=DispatchMethod.EMAIL)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("expedierat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    noted_at = models.DateTimeField(_("noterat"), auto_now_add=True)

    class Meta:
        verbose_name = _("expediering")
        verbose_name_plural = _("expedieringar")
        ordering = ["paragraph__sort_order", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["paragraph", "recipient"], name="one_dispatch_per_recipient"),
        ]

    def __str__(self):
        return f"{self.recipient} ({self.dispatched_on:%Y-%m-%d})"

    @property
    def dispatched_by_name(self):
        user = self.dispatched_by
        return (user.get_full_name() or user.get_username()) if user else ""


def undispatched_recipients(paragraph, dispatched=None):
    """The paragraph's recipients not yet noted as sent to; `dispatched`: the noted recipients, read already."""
    if dispatched is None:
        dispatched = set(paragraph.dispatches.values_list("recipient", flat=True))
    return [recipient for recipient in paragraph.recipients if recipient not in dispatched]
