"""Justering as personal signatures: who signed which text, when; and who asked for a change.

Under kommunallagen a protokoll is justerat when the chair and the appointed justerare have signed it.
Each signature is a row of its own, kept outside the page's revisions (a revision is what was signed, not
part of it), with a digest of the exact text: a change to the text after a signature leaves that signature
on an older digest, so it no longer counts (`valid_signers`). A request for a change voids every signature
given, and the record goes back to the secretary.

Keyed to Wagtail's page, not to the record model: the justering task works with any page that speaks the
justering protocol (see `safety_pages/editing/workflows.py`).
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SignatureAction(models.TextChoices):
    SIGNED = "justerat", _("justerat")
    CHANGE_REQUESTED = "andring_begard", _("begärt ändring")


class JusteringSignature(models.Model):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("användare"), on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("namn"), max_length=200, blank=True)
    role = models.CharField(_("funktion vid sammanträdet"), max_length=20, blank=True)
    action = models.CharField(_("åtgärd"), max_length=20, choices=SignatureAction.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    digest = models.CharField(_("kontrollsumma för texten"), max_length=64)
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)
    voided_at = models.DateTimeField(_("upphävd"), null=True, blank=True)

    class Meta:
        verbose_name = _("justeringssignatur")
        verbose_name_plural = _("justeringssignaturer")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.signer_name or self.user} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


def digest_of(content):
    """SHA-256 of a JSON-serialisable structure, keys sorted, so that the same text gives the same digest."""
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def text_digest(page):
    """The digest of what the signers sign: the page's own `justering_text()`, else its latest revision."""
    text = getattr(page, "justering_text", None)
    if callable(text):
        return digest_of(text())
    return digest_of({"revision": page.get_latest_revision().pk if page.pk else None})


def signatures_of(page):
    return JusteringSignature.objects.filter(page_id=page.pk)


def valid_signatures(page, digest):
    """Signatures that still count: not voided, and given to exactly this text."""
    return signatures_of(page).filter(action=SignatureAction.SIGNED, voided_at__isnull=True, digest=digest)


def valid_signers(page, digest):
    return set(valid_signatures(page, digest).values_list("user_id", flat=True))


def void_signatures(page):
    return (
        signatures_of(page)
        .filter(action=SignatureAction.SIGNED, voided_at__isnull=True)
        .update(voided_at=timezone.now())
    )
