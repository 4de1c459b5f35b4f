"""Instructions (uppdragsbeskrivningar): a forum's mandate and working methods, versioned."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from safety_pages.access.visibility import can_view
from safety_pages.models.choices import InstructionStatus, QuorumRule
from safety_pages.models.tags import InstructionPageTag


class InstructionSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("rubrik"), help_text=_("T.ex. Uppdrag, Sammansättning, Sammanträden."))
    body = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "doc-full"
        label = _("avsnitt")
        template = "safety_pages/blocks/instruction_section.html"


def meeting_frequency(low, high):
    """ "4 gånger per år", "3–4 gånger per år" (the words the page shows) for the search index, or "". In the site's
    language whoever's request indexes the page: the index is analysed as Swedish."""
    with translation.override(settings.LANGUAGE_CODE):
        if low and high and low != high:
            return gettext("%(low)s–%(high)s gånger per år") % {"low": low, "high": high}
        if low or high:
            count = low or high
            return ngettext("%(count)s gång per år", "%(count)s gånger per år", count) % {"count": count}
    return ""


class InstructionPage(Page):
    sections = StreamField([("section", InstructionSectionBlock())], verbose_name=_("avsnitt"), blank=True)

    ordinary_seats = models.PositiveSmallIntegerField(_("ordinarie ledamöter"), null=True, blank=True)
    substitute_seats = models.PositiveSmallIntegerField(_("ersättare"), null=True, blank=True)
    quorum_rule = models.CharField(
        _("beslutförhet"), max_length=20, choices=QuorumRule.choices, default=QuorumRule.MORE_THAN_HALF
    )
    meetings_per_year_min = models.PositiveSmallIntegerField(_("sammanträden per år, minst"), null=True, blank=True)
    meetings_per_year_max = models.PositiveSmallIntegerField(_("sammanträden per år, högst"), null=True, blank=True)
    referrers = models.CharField(
        _("vem som får överlämna ärenden"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. ”utskottets ordförande, kommunchefen och utvecklingschefen”."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=InstructionStatus.choices, default=InstructionStatus.PROPOSAL
    )
    adopted_by = models.ForeignKey(
        "safety_pages.Decision",
        verbose_name=_("antagen genom beslut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adopted_instructions",
    )
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("ersätter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    tags = ClusterTaggableManager(through=InstructionPageTag, blank=True, verbose_name=_("etiketter"))

    content_panels = Page.content_panels + [FieldPanel("sections"), FieldPanel("tags")]
    rules_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("ordinary_seats"), FieldPanel("substitute_seats")]),
                FieldPanel("quorum_rule"),
                FieldRowPanel([FieldPanel("meetings_per_year_min"), FieldPanel("meetings_per_year_max")]),
                FieldPanel("referrers"),
            ],
            heading=_("Regler"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("adopted_by"),
                FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
                FieldPanel("supersedes"),
            ],
            heading=_("Beslut och giltighet"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Innehåll")),
            ObjectList(rules_panels, heading=_("Regler och beslut")),
            ObjectList(Page.promote_panels, heading=_("Publicering")),
            ObjectList(Page.settings_panels, heading=_("Inställningar")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("sections"),
        index.SearchField("referrers"),
        # "4 gånger per år", as the page shows it: what "hur ofta sammanträder utskottet" asks for.
        index.SearchField("meeting_frequency"),
        index.FilterField("status"),
    ]

    parent_page_types = ["safety_pages.ForumPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("uppdragsbeskrivning")
        verbose_name_plural = _("uppdragsbeskrivningar")

    def clean(self):
        super().clean()
        errors = {}
        low, high = self.meetings_per_year_min, self.meetings_per_year_max
        if low is not None and high is not None and low > high:
            errors["meetings_per_year_max"] = _(
                "Högsta antalet sammanträden per år kan inte vara lägre än det lägsta (%(min)s)."
            ) % {"min": low}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Uppdragsbeskrivningen kan inte sluta gälla innan den börjar gälla.")
        if self.supersedes_id and self.pk and self.supersedes_id == self.pk:
            errors["supersedes"] = _("En uppdragsbeskrivning kan inte ersätta sig själv.")
        if self.status == InstructionStatus.ADOPTED and not self.adopted_by_id:
            errors["adopted_by"] = _("Ange beslutet som antog uppdragsbeskrivningen.")
        if errors:
            raise ValidationError(errors)

    @property
    def forum(self):
        return self.get_parent().specific

    def meeting_frequency(self):
        return meeting_frequency(self.meetings_per_year_min, self.meetings_per_year_max)

    def supersedes_chain(self, request):
        """Earlier and later versions this user may read, oldest first, this one included."""
        chain, seen = [self], {self.pk}
        earlier = self.supersedes
        while earlier is not None and earlier.pk not in seen:
            seen.add(earlier.pk)
            if can_view(request, earlier):
                chain.insert(0, earlier)
            earlier = earlier.supersedes
        later = self.superseded_by.first()
        while later is not None and later.pk not in seen:
            seen.add(later.pk)
            if can_view(request, later):
                chain.append(later)
            later = later.superseded_by.first()
        return chain

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        forum = self.forum
        context["forum"] = forum
        context["chain"] = self.supersedes_chain(request)
        context["in_force"] = self.is_in_force()
        previous = self.supersedes
        if previous is not None and can_view(request, previous):
            context["compare_url"] = forum.compare_url(previous, self)
        context["tags"] = list(self.tags.all())
        return context

    def is_in_force(self, on=None):
        on = on or timezone.localdate()
        return (
            self.status == InstructionStatus.ADOPTED
            and (self.valid_from is None or self.valid_from <= on)
            and (self.valid_to is None or self.valid_to >= on)
        )
