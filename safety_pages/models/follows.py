"""Bevakningar: a user follows a forum, a municipality (its section page) or a tag, and hears by e-mail of what is
published there: a daily digest, and a kallelse of the followed forum at once.

The rows only: what is followed, and the log of each e-mail (`FollowDelivery`, tried and logged like the kallelse
through models/mail.py). What a digest holds is decided when it is sent, as the follower (following/digests.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.models import Page

from safety_pages.models.mail import Delivery
from safety_pages.models.meetings import MeetingRecordPage


class Frequency(models.TextChoices):
    # Daily only for now: the field is where a weekly digest would be chosen.
    DAILY = "daglig", _("varje dag")


class Follow(models.Model):
    """One user following one forum or municipality (a page) or one tag. A kallelse of a followed forum is sent at
    once whatever the frequency, which is that of the digest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(_("hur ofta"), max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    created_at = models.DateTimeField(_("sedan"), auto_now_add=True)

    class Meta:
        verbose_name = _("bevakning")
        verbose_name_plural = _("bevakningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(page__isnull=False, tag__isnull=True) | Q(page__isnull=True, tag__isnull=False),
                name="follow_one_target",
            ),
            models.UniqueConstraint(fields=["user", "page"], condition=Q(page__isnull=False), name="follow_page_once"),
            models.UniqueConstraint(fields=["user", "tag"], condition=Q(tag__isnull=False), name="follow_tag_once"),
        ]

    def __str__(self):
        return f"{self.user}: {self.page_id or self.tag}"


class FollowKind(models.TextChoices):
    DIGEST = "sammanfattning", _("sammanfattning")
    NOTICE = "kallelse", _("kallelse")


class FollowDelivery(Delivery):
    """One e-mail to a follower: a digest of what was published in (since, until], or a kallelse of a followed
    forum's meeting."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("slag"), max_length=20, choices=FollowKind.choices, default=FollowKind.DIGEST)
    record = models.ForeignKey(MeetingRecordPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(_("från"), null=True, blank=True)
    until = models.DateTimeField(_("till"))

    class Meta:
        verbose_name = _("utskick till bevakare")
        verbose_name_plural = _("utskick till bevakare")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "record"], condition=Q(kind="kallelse"), name="one_followed_kallelse_per_user"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user} ({self.get_status_display()})"
