"""The intranet's look per Wagtail site: name, logo, favicon and the colours of text, links and the header.

Kept by editors under Inställningar → Utseende (wagtail.contrib.settings). A colour that would leave text below
WCAG 2.1 AA against its background (4.5:1) is refused by the form with a Swedish message, so no saved combination
can make the intranet unreadable.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting

from safety_pages.models.contrast import AA_TEXT, HEX_COLOUR, contrast_ratio

DEFAULT_NAME = "Trygghetsportalen"
WHITE = "#ffffff"

# The stylesheet's own colours (intranet.css), which a row without choices keeps.
DEFAULT_TEXT_COLOUR = "#1b1f24"
DEFAULT_LINK_COLOUR = "#0b4f8a"
DEFAULT_HEADER_COLOUR = "#07335a"

colour_validator = RegexValidator(
    HEX_COLOUR, gettext_lazy("Ange färgen som # följt av sex hexadecimala siffror, till exempel #0b4f8a.")
)


def _colour_field(verbose_name, default, help_text):
    return models.CharField(
        verbose_name, max_length=7, default=default, validators=[colour_validator], help_text=help_text
    )


class BrandingForm(WagtailAdminModelForm):
    """Refuses a colour whose text would not reach 4.5:1 against what it is read on."""

    # (field, the colour it is read against, how the message names that pair)
    PAIRS = (
        ("text_colour", WHITE, gettext_lazy("brödtext på vit bakgrund")),
        ("link_colour", WHITE, gettext_lazy("länkar på vit bakgrund och vit text på knappar")),
        ("header_colour", WHITE, gettext_lazy("vit text i sidhuvudet")),
    )

    def clean(self):
        cleaned_data = super().clean()
        for field, background, usage in self.PAIRS:
            colour = (cleaned_data.get(field) or "").lower()
            if not HEX_COLOUR.match(colour):
                continue  # the field's own validator refuses it, after this (model validation comes last)
            cleaned_data[field] = colour
            ratio = contrast_ratio(colour, background)
            if ratio < AA_TEXT:
                self.add_error(
                    field,
                    _(
                        "Färgen %(colour)s ger kontrasten %(ratio)s:1 för %(usage)s. WCAG 2.1 AA kräver minst "
                        "4,5:1 för text: välj en mörkare färg."
                    )
                    % {"colour": colour, "ratio": f"{ratio:.2f}".replace(".", ","), "usage": usage},
                )
        return cleaned_data


class Branding(BaseSiteSetting):
    name = models.CharField(
        gettext_lazy("webbplatsens namn"),
        max_length=80,
        blank=True,
        help_text=gettext_lazy(
            "Visas i sidhuvudet, i fönstrets titel och som logotypens alternativtext. Tomt: Trygghetsportalen."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=gettext_lazy("logotyp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy("Visas i sidhuvudet för alla inloggade, även om bilden ligger i en stängd samling."),
    )
    favicon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=gettext_lazy("favoritikon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=gettext_lazy("Den lilla ikonen i webbläsarens flik, helst kvadratisk. Tom: standardikonen."),
    )
    text_colour = _colour_field(
        gettext_lazy("textfärg"), DEFAULT_TEXT_COLOUR, gettext_lazy("Brödtext på vit bakgrund.")
    )
    link_colour = _colour_field(
        gettext_lazy("länk- och knappfärg"), DEFAULT_LINK_COLOUR, gettext_lazy("Länkar, och knappar med vit text.")
    )
    header_colour = _colour_field(
        gettext_lazy("sidhuvudets färg"), DEFAULT_HEADER_COLOUR, gettext_lazy("Bakgrunden bakom sidhuvudets vita text.")
    )

    # One query for the setting with its images on every page.
    select_related = ["logo", "favicon"]
    base_form_class = BrandingForm
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("logo"), FieldPanel("favicon")]),
        MultiFieldPanel(
            [FieldPanel("text_colour"), FieldPanel("link_colour"), FieldPanel("header_colour")],
            heading=gettext_lazy("Färger (WCAG 2.1 AA: minst 4,5:1 mot bakgrunden)"),
        ),
    ]

    class Meta:
        verbose_name = gettext_lazy("utseende")
        verbose_name_plural = gettext_lazy("utseenden")

    @classmethod
    def for_site(cls, site):
        """The site's row, or an unsaved one with the defaults: Wagtail's own creates the row, and a write on a
        reader's GET would bump the content generation (emptying every cached page) on each new site. The
        settings form saves the unsaved one the first time an editor saves."""
        if site is None:
            raise cls.DoesNotExist(f"{cls} does not exist for site None.")
        return cls.base_queryset().filter(site=site).first() or cls(site=site)

    @property
    def site_name(self):
        return self.name or DEFAULT_NAME

    def css_custom_properties(self):
        """The stylesheet's custom properties these colours replace, for a `<style>` in the base template; a value
        that is not `#rrggbb` (written around the form) is left out rather than written into the page."""
        pairs = (("--ink", self.text_colour), ("--brand", self.link_colour), ("--brand-dark", self.header_colour))
        return "; ".join(f"{name}: {value}" for name, value in pairs if HEX_COLOUR.match(value or ""))

    @classmethod
    def images_for_every_employee(cls):
        """The ids of the images every logged-in employee may load, whatever pages use them: the logo is in every
        page's header (`visibility.can_view_image` asks this)."""
        return set(cls.objects.exclude(logo=None).values_list("logo_id", flat=True))
