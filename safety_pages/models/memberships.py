"""Memberships: the seats and representations of a forum, its child rows in the admin (an inline panel)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from safety_pages.models.choices import ORDINARY_SEAT_ROLES, MemberRole
from safety_pages.models.forums import ForumPage


class Membership(Orderable):
    """One seat or representation in a forum: a named person, or an organisation's representative."""

    forum = ParentalKey(ForumPage, related_name="memberships", on_delete=models.CASCADE)
    person = models.ForeignKey(
        "safety_pages.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        "safety_pages.Organisation",
        verbose_name=_("företräder organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text=_(
            "Organisationen som personen företräder, eller som utser en representant när ingen person är namngiven."
        ),
    )
    role = models.CharField(_("roll"), max_length=30, choices=MemberRole.choices, default=MemberRole.MEMBER)
    substitute_order = models.PositiveSmallIntegerField(
        _("inkallelseordning"), null=True, blank=True, help_text=_("För ersättare: i vilken ordning de kallas in.")
    )
    starts_on = models.DateField(_("från"), null=True, blank=True)
    ends_on = models.DateField(_("till"), null=True, blank=True)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("person"), FieldPanel("organisation")]),
        FieldRowPanel([FieldPanel("role"), FieldPanel("substitute_order")]),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")

    def clean(self):
        super().clean()
        errors = {}
        if not self.person_id and not self.organisation_id:
            errors["person"] = _("Ange en person, eller den organisation som utser en representant.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Slutdatumet kan inte ligga före startdatumet.")
        if self.substitute_order is not None and self.role != MemberRole.SUBSTITUTE:
            errors["substitute_order"] = _("Inkallelseordning anges bara för ersättare.")
        if errors:
            raise ValidationError(errors)

    @property
    def holds_ordinary_seat(self):
        return self.role in ORDINARY_SEAT_ROLES

    def is_active(self, on=None):
        on = on or timezone.localdate()
        return (self.starts_on is None or self.starts_on <= on) and (self.ends_on is None or self.ends_on >= on)

    def __str__(self):
        who = self.person or self.organisation or _("vakant")
        return f"{who}, {self.get_role_display()}"
