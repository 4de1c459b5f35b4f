"""Registers shared by the page types: persons, organisations and the decisions that shape forums."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "forvaltning", _("förvaltning")
        MUNICIPAL_COMPANY = "kommunalt_bolag", _("kommunalt bolag")
        AGENCY = "myndighet", _("myndighet")
        REGION = "region", _("region")
        ASSOCIATION = "forening", _("förening")
        FAITH_COMMUNITY = "trossamfund", _("trossamfund")
        BUSINESS = "naringsliv", _("näringsliv")
        EDUCATION = "utbildning", _("utbildning")
        OTHER = "annan", _("annan")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    internal = models.BooleanField(
        _("intern"), default=False, help_text=_("Kryssa i för kommunens egna förvaltningar, enheter och bolag.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self):
        return self.name


class Person(models.Model):
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    party = models.CharField(
        _("parti"), max_length=20, blank=True, help_text=_("Partiförkortning för förtroendevalda, t.ex. S eller M.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("förvaltning eller organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="persons",
    )
    email = models.EmailField(_("e-post"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    active = models.BooleanField(_("aktiv"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användarkonto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text=_("Kopplar personen till en inloggning, så att ledamöter kan läsa sitt forums slutna handlingar."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self):
        return f"{self.name} ({self.party})" if self.party else self.name

    def get_absolute_url(self):
        return reverse("safety_pages:person", args=[self.address_key])

    @property
    def address_key(self):
        """The last part of the person page's address: the id, which finds the row, and the name as a slug, which
        only makes the address readable (safety_pages.frontend.people redirects a renamed person's old one)."""
        slug = slugify(self.name)
        return f"{self.pk}-{slug}" if slug else str(self.pk)


class Decision(models.Model):
    """A decision that founded, changed, adopted or dissolved something, e.g. KS 2016-12-07."""

    body = models.CharField(_("beslutande organ"), max_length=200, help_text=_("Till exempel ”Kommunstyrelsen”."))
    body_abbreviation = models.CharField(_("förkortning"), max_length=20, blank=True, help_text=_("T.ex. KS, KF."))
    date = models.DateField(_("datum"))
    paragraph = models.CharField(_("paragraf (§)"), max_length=20, blank=True, help_text=_("Bara numret, t.ex. 174."))
    case_number = models.CharField(_("diarienummer"), max_length=60, blank=True, help_text=_("T.ex. KS/2016:37."))
    summary = models.CharField(_("vad beslutet gällde"), max_length=300, blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")

    def __str__(self):
        parts = [self.body_abbreviation or self.body, date_format(self.date, "Y-m-d")]
        if self.paragraph:
            parts.append(f"§ {self.paragraph}")
        label = " ".join(parts)
        return f"{label} (Dnr {self.case_number})" if self.case_number else label
