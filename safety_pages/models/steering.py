"""Steering documents (styrdokument): action plans, police agreements, situation pictures, with review cycles.

A document's next review date is what the follow-up dashboard watches, so it is
stored (for filtering in the database) and recomputed on every save from the
adoption date, the last review and the revision interval, unless an editor
sets it by hand.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from safety_pages.access.visibility import visible
from safety_pages.models import schedule
from safety_pages.models.generation import GenerationPageMixin, Lazy, digest
from safety_pages.models.personal_data_review import PersonalDataPanel
from safety_pages.models.placement import ParentsFromSetting
from safety_pages.models.rich_text import PAGE_FEATURES
from safety_pages.models.tags import SteeringDocumentIndexPageTag, SteeringDocumentPageTag


class SteeringDocumentKind(models.TextChoices):
    ACTION_PLAN = "handlingsplan", _("handlingsplan")
    ACTION_PROGRAMME = "handlingsprogram", _("handlingsprogram")
    POLICE_AGREEMENT = "samverkansoverenskommelse", _("samverkansöverenskommelse")
    CITIZEN_PLEDGE = "medborgarlofte", _("medborgarlöfte")
    SITUATION_PICTURE = "lagesbild", _("lägesbild")
    MEASURES_PLAN = "atgardsplan", _("åtgärdsplan")
    PROGRAMME = "program", _("program")
    STRATEGY = "strategi", _("strategi")
    RULES = "reglemente", _("reglemente")
    OTHER = "annat", _("annat")


class SteeringDocumentStatus(models.TextChoices):
    IN_FORCE = "gallande", _("gällande")
    UNDER_REVISION = "under_revidering", _("under revidering")
    REPEALED = "upphavd", _("upphävd")


# Documents that still steer the work, and so have reviews to keep.
ACTIVE_STATUSES = (SteeringDocumentStatus.IN_FORCE, SteeringDocumentStatus.UNDER_REVISION)


class SteeringDocumentIndexPage(ParentsFromSetting, Page):
    """'Styrdokument' of one municipality: documents in force first, retired ones still findable below."""

    intro = RichTextField(_("ingress"), blank=True, features=PAGE_FEATURES)
    tags = ClusterTaggableManager(through=SteeringDocumentIndexPageTag, blank=True, verbose_name=_("etiketter"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("tags")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    # A municipality section unless the host names its own page types (docs/install.md).
    parent_page_types = ["safety_pages.SectionPage"]
    parent_page_types_setting = "SAFETY_PAGES_INDEX_PARENT_PAGE_TYPES"
    subpage_types = ["safety_pages.SteeringDocumentPage"]

    class Meta:
        verbose_name = _("styrdokumentsamling")
        verbose_name_plural = _("styrdokumentsamlingar")

    def documents(self, request):
        return (
            visible(SteeringDocumentPage.objects.child_of(self), request)
            .select_related("owner_forum", "adopted_by")
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        documents = list(self.documents(request))
        context["replacements"] = replacements_of(documents, request)
        for document in documents:
            document.visible_replacements = context["replacements"].get(document.pk, [])
        context["active_documents"] = [d for d in documents if d.status != SteeringDocumentStatus.REPEALED]
        context["repealed_documents"] = [d for d in documents if d.status == SteeringDocumentStatus.REPEALED]
        context["today"] = timezone.localdate()
        return context


class SteeringDocumentPage(GenerationPageMixin, Page):
    kind = models.CharField(_("typ av styrdokument"), max_length=30, choices=SteeringDocumentKind.choices)
    summary = RichTextField(_("sammanfattning"), blank=True, features=PAGE_FEATURES)
    parties = ParentalManyToManyField(
        "safety_pages.Organisation",
        verbose_name=_("parter"),
        blank=True,
        related_name="steering_documents",
        help_text=_("Kommunen, Polismyndigheten och andra som står bakom dokumentet."),
    )
    owner_forum = models.ForeignKey(
        "safety_pages.ForumPage",
        verbose_name=_("ägande forum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_steering_documents",
        help_text=_("Forumet som ansvarar för att dokumentet följs upp och revideras."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=SteeringDocumentStatus.choices, default=SteeringDocumentStatus.IN_FORCE
    )
    adopted_by = models.ForeignKey(
        "safety_pages.Decision",
        verbose_name=_("antaget genom beslut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adopted_steering_documents",
    )
    adopted_on = models.DateField(
        _("antaget eller undertecknat"),
        null=True,
        blank=True,
        help_text=_("Lämnas tomt: beslutets datum används."),
    )
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        _("revideringsintervall (månader)"),
        null=True,
        blank=True,
        help_text=_("T.ex. 12 för årlig uppföljning, 24 för revidering vartannat år."),
    )
    last_reviewed_on = models.DateField(
        _("senast reviderat eller uppföljt"),
        null=True,
        blank=True,
        help_text=_("Nästa revidering räknas från detta datum när det är senare än antagandet."),
    )
    next_review_override = models.DateField(
        _("nästa revidering (satt för hand)"),
        null=True,
        blank=True,
        help_text=_("Lämna tomt för att räkna fram datumet från antagande och revideringsintervall."),
    )
    # Stored so the dashboard can filter in the database; kept in step by save().
    next_review_on = models.DateField(_("nästa revidering"), null=True, blank=True, editable=False, db_index=True)

    # One relation, set on the newer document; "ersatt av" on the older one is its reverse.
    supersedes = ParentalManyToManyField(
        "self",
        verbose_name=_("ersätter"),
        symmetrical=False,
        blank=True,
        related_name="superseded_by",
        help_text=_("Äldre dokument som detta ersätter. De visas som ersatta av detta dokument."),
    )
    repealed_by = models.ForeignKey(
        "safety_pages.Decision",
        verbose_name=_("upphävt genom beslut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repealed_steering_documents",
    )

    tags = ClusterTaggableManager(through=SteeringDocumentPageTag, blank=True, verbose_name=_("etiketter"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("parties"), FieldPanel("owner_forum")],
            heading=_("Dokumentet"),
        ),
        FieldPanel("summary"),
        InlinePanel("attachments", heading=_("Bifogade filer"), label=_("fil")),
        FieldPanel("tags"),
        PersonalDataPanel(heading=_("Personuppgifter och sekretess")),
    ]
    lifecycle_panels = [
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("adopted_by"), FieldPanel("adopted_on")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
        MultiFieldPanel(
            [
                FieldPanel("review_interval_months"),
                FieldRowPanel([FieldPanel("last_reviewed_on"), FieldPanel("next_review_override")]),
            ],
            heading=_("Revidering"),
        ),
        MultiFieldPanel(
            [FieldPanel("supersedes"), FieldPanel("repealed_by")],
            heading=_("Ersätter och ersatt av"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Innehåll")),
            ObjectList(lifecycle_panels, heading=_("Beslut och revidering")),
            ObjectList(Page.promote_panels, heading=_("Publicering")),
            ObjectList(Page.settings_panels, heading=_("Inställningar")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
        index.FilterField("status"),
        index.FilterField("next_review_on"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    parent_page_types = ["safety_pages.SteeringDocumentIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("styrdokument")
        verbose_name_plural = _("styrdokument")

    def clean(self):
        super().clean()
        errors = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Dokumentet kan inte sluta gälla innan det börjar gälla.")
        if self.status == SteeringDocumentStatus.REPEALED and self.next_review_override:
            errors["next_review_override"] = _("Ett upphävt dokument revideras inte; lämna fältet tomt.")
        if errors:
            raise ValidationError(errors)

    def search_date(self):
        """Search dates a steering document by its adoption (none before it is adopted), not by its last edit."""
        return self.adoption_date

    @property
    def adoption_date(self):
        if self.adopted_on:
            return self.adopted_on
        return self.adopted_by.date if self.adopted_by_id else None

    @property
    def computed_next_review_on(self):
        return schedule.next_review_date(self.adoption_date, self.review_interval_months, self.last_reviewed_on)

    @property
    def review_date(self):
        """The next review date as the page shows it (also right in a preview of unsaved changes)."""
        return self.next_review_override or self.computed_next_review_on

    @property
    def next_review_is_manual(self):
        return self.next_review_override is not None

    @property
    def is_repealed(self):
        return self.status == SteeringDocumentStatus.REPEALED

    def review_state(self, today=None):
        """'overdue', 'due' (within the horizon), 'ok' or None (no date, or nothing to review)."""
        review_date = self.review_date
        if self.is_repealed or review_date is None:
            return None
        today = today or timezone.localdate()
        if review_date < today:
            return "overdue"
        return "due" if schedule.review_is_due(review_date, today) else "ok"

    def refresh_next_review(self):
        self.next_review_on = self.review_date

    def save(self, *args, **kwargs):
        self.refresh_next_review()
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        """What differs between readers (the older and newer documents they may see) is loaded at once and
        names the cached body (`reader_key`); the rest is computed at its first use."""
        context = super().get_context(request, *args, **kwargs)
        context["today"] = timezone.localdate()
        context["review_state"] = self.review_state(context["today"])
        context["parties"] = Lazy(lambda: list(self.parties.all()))
        context["attachments"] = Lazy(lambda: list(self.attachments.select_related("document")))
        # Through the ids: in a preview the relation is an in-memory list, not a queryset.
        older_ids = [page.pk for page in self.supersedes.all()]
        context["supersedes"] = list(
            visible(SteeringDocumentPage.objects.filter(pk__in=older_ids), request).order_by("title")
        )
        context["replacements"] = replacements_of([self], request).get(self.pk, [])
        context["reader_key"] = digest(
            [context["today"]]
            + [[(p.pk, p.live_revision_id) for p in context[name]] for name in ("supersedes", "replacements")]
        )
        return context


def replacements_of(documents, request):
    """{document id: [the newer documents replacing it that this user may read]}, in two queries."""
    through = SteeringDocumentPage.supersedes.through
    pairs = list(
        through.objects.filter(to_steeringdocumentpage_id__in=[d.pk for d in documents]).values_list(
            "to_steeringdocumentpage_id", "from_steeringdocumentpage_id"
        )
    )
    if not pairs:
        return {}
    newer = {
        page.pk: page
        for page in visible(SteeringDocumentPage.objects.filter(pk__in={new for _old, new in pairs}), request)
    }
    result = {}
    for old, new in sorted(pairs, key=lambda pair: newer[pair[1]].title if pair[1] in newer else ""):
        if new in newer:
            result.setdefault(old, []).append(newer[new])
    return result


class SteeringDocumentAttachment(Orderable):
    """A file that belongs to the document: the document itself, appendices, follow-up reports."""

    page = ParentalKey(SteeringDocumentPage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("dokument"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("beskrivning"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("bifogad fil")
        verbose_name_plural = _("bifogade filer")
