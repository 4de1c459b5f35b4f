"""The case register (diarium): one row per Dnr, so a decision can be followed across forums.

A municipality writes its case numbers in several ways (`KS/2017:152`,
`KS 2021/331`, `KS2007/0459-10`). The register keeps the number as written
for display and a normalised key for lookup and URLs. Case numbers are unique
per municipality (each has its own registry), not across the intranet.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

# Series (letters), year, number, and an optional document suffix within the case:
#   KS/2017:152   KS 2021/331   KS2007/0459-10   Dnr KS2009/126-00   2017/152
CASE_NUMBER_PATTERN = (
    r"(?:(?P<series>[A-ZÅÄÖ]{1,6})\s*[/.]?\s*)?"
    r"(?P<year>(?:19|20)\d{2})\s*[/:.]\s*"
    r"(?P<number>\d{1,6})"
    r"(?:\s*-\s*(?P<suffix>\d{1,4}))?"
)
_CASE_NUMBER_RE = re.compile(r"^\s*(?:(?:Dnr|Diarienummer)\.?:?\s*)?" + CASE_NUMBER_PATTERN + r"\s*$", re.IGNORECASE)
# For finding a case number inside running text (the importer).
CASE_NUMBER_IN_TEXT_RE = re.compile(r"(?<![\w/])" + CASE_NUMBER_PATTERN + r"(?![\w/:])")

INVALID_CASE_NUMBER = _(
    "Diarienumret känns inte igen. Skriv det t.ex. som KS/2017:152, KS 2021/331 eller KS2007/0459-10."
)


def normalise_case_number(raw):
    """The lookup key of a case number, e.g. 'ks-2017-152', or None when it is not one.

    Leading zeros and the document suffix ('-10' in KS2007/0459-10 is the
    tenth document in the case) are dropped: they name the same case.
    """
    match = _CASE_NUMBER_RE.match(raw or "")
    if not match:
        return None
    series = (match["series"] or "").lower()
    key = f"{match['year']}-{int(match['number'])}"
    return f"{series}-{key}" if series else key


class CaseStatus(models.TextChoices):
    OPEN = "pagaende", _("pågående")
    CLOSED = "avslutat", _("avslutat")


class Case(index.Indexed, models.Model):
    municipality = models.ForeignKey(
        "safety_pages.SectionPage",
        verbose_name=_("kommun"),
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("Kommunen vars diarium ärendet hör till."),
    )
    number = models.CharField(
        _("diarienummer"), max_length=60, help_text=_("Som det skrivs i diariet, t.ex. KS/2017:152 eller KS 2021/331.")
    )
    normalised_number = models.CharField(_("sökbart diarienummer"), max_length=60, editable=False, db_index=True)
    title = models.CharField(_("ärendemening"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)

    search_fields = [
        index.SearchField("number", boost=5),
        index.SearchField("normalised_number"),
        index.SearchField("title", boost=2),
        index.AutocompleteField("number"),
        index.FilterField("municipality"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["-normalised_number"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "normalised_number"], name="unique_case_per_municipality")
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        self._normalise_number()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("safety_pages:case", args=[self.municipality.slug, self.normalised_number])

    def clean(self):
        key = self._normalise_number()
        duplicates = Case.objects.filter(municipality_id=self.municipality_id, normalised_number=key)
        if self.municipality_id and duplicates.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"number": _("Ärendet %(number)s finns redan i kommunens diarium.") % {"number": key}}
            )

    def _normalise_number(self):
        """Store the number as written (trimmed) and its searchable form; refuse one that is no case number."""
        key = normalise_case_number(self.number)
        if key is None:
            raise ValidationError({"number": INVALID_CASE_NUMBER})
        self.number = self.number.strip()
        self.normalised_number = key
        return key

    @classmethod
    def lookup(cls, municipality, raw_number):
        key = normalise_case_number(raw_number)
        if key is None:
            return None
        return cls.objects.filter(municipality=municipality, normalised_number=key).first()
