"""Citizen dialogues (medborgardialoger): the plan of when they are held, and a report per dialogue.

A report is more than prose: what was heard and what the municipality promised
to do are rows with a status and a due date, so progress and overdue actions
can be shown on the page and on the editors' follow-up dashboard.
"""

from collections import defaultdict

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
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
from safety_pages.models.forums import ForumPage
from safety_pages.models.generation import GenerationPageMixin, Lazy, digest
from safety_pages.models.personal_data_review import PersonalDataPanel
from safety_pages.models.placement import ParentsFromSetting
from safety_pages.models.rich_text import PAGE_FEATURES
from safety_pages.models.tags import CitizenDialogueIndexPageTag, CitizenDialogueReportPageTag

# How many years ahead of this year the plan is shown.
PLAN_YEARS_AHEAD = 3


class DialogueMethod(models.TextChoices):
    MEETING = "fysiskt_mote", _("fysiskt möte")
    CHAT = "chattforum", _("chattforum")
    SAFETY_WALK = "trygghetsvandring", _("trygghetsvandring")
    QUESTIONNAIRE = "enkat", _("enkät")
    CITIZEN_SURVEY = "medborgarundersokning", _("medborgarundersökning")
    PARENTS_MEETING = "foraldramote", _("föräldramöte")
    DIGITAL = "digital_dialog", _("digital dialog")
    OTHER = "annat", _("annat")


class ActionStatus(models.TextChoices):
    PLANNED = "planerad", _("planerad")
    IN_PROGRESS = "pagar", _("pågår")
    DONE = "klar", _("klar")
    CLOSED_WITHOUT_ACTION = "avslutad_utan_atgard", _("avslutad utan åtgärd")


# Actions that still have work left, and so can be overdue.
OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class CitizenDialogueIndexPage(ParentsFromSetting, Page):
    """'Medborgardialog' of one municipality: the plan of dialogue years and the reports by year."""

    intro = RichTextField(_("ingress"), blank=True, features=PAGE_FEATURES)
    plan_decision = models.ForeignKey(
        "safety_pages.Decision",
        verbose_name=_("planen beslutad genom"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_plans",
    )
    plan_description = RichTextField(_("om planen"), blank=True, features=PAGE_FEATURES)
    first_dialogue_year = models.PositiveSmallIntegerField(
        _("första dialogåret"), null=True, blank=True, help_text=_("Året då planens första medborgardialog hölls.")
    )
    dialogue_every_years = models.PositiveSmallIntegerField(
        _("medborgardialog vart … år"), default=2, help_text=_("2 betyder vartannat år.")
    )
    alternates_with_survey = models.BooleanField(
        _("växlar med medborgarundersökningen"),
        default=True,
        help_text=_("Medborgarundersökningen genomförs de år då ingen medborgardialog hålls."),
    )
    tags = ClusterTaggableManager(through=CitizenDialogueIndexPageTag, blank=True, verbose_name=_("etiketter"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("plan_decision"),
                FieldPanel("plan_description"),
                FieldRowPanel([FieldPanel("first_dialogue_year"), FieldPanel("dialogue_every_years")]),
                FieldPanel("alternates_with_survey"),
            ],
            heading=_("Dialogplan"),
        ),
        FieldPanel("tags"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("plan_description"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    # A municipality section unless the host names its own page types (docs/install.md).
    parent_page_types = ["safety_pages.SectionPage"]
    parent_page_types_setting = "SAFETY_PAGES_INDEX_PARENT_PAGE_TYPES"
    subpage_types = ["safety_pages.CitizenDialogueReportPage"]

    class Meta:
        verbose_name = _("medborgardialoger")
        verbose_name_plural = _("medborgardialoger")

    def reports(self, request):
        return (
            visible(CitizenDialogueReportPage.objects.child_of(self), request)
            .annotate(
                actions_total=models.Count("actions", distinct=True),
                actions_done=models.Count("actions", filter=models.Q(actions__status=ActionStatus.DONE), distinct=True),
            )
            .order_by("-held_from", "title")
        )

    def plan(self, today, held_years=()):
        """Rows (year, kind) from the first dialogue year to a few years ahead; kind is 'dialogue' or 'survey'."""
        if not self.first_dialogue_year:
            return []
        rows = []
        for year in range(self.first_dialogue_year, today.year + PLAN_YEARS_AHEAD + 1):
            kind = schedule.dialogue_plan_kind(
                year, self.first_dialogue_year, self.dialogue_every_years, self.alternates_with_survey
            )
            if kind:
                rows.append({"year": year, "kind": kind, "held": year in held_years, "past": year < today.year})
        return rows

    def next_dialogue_year(self, today, held_years=()):
        return schedule.next_dialogue_year(today, self.first_dialogue_year, self.dialogue_every_years, held_years)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        reports = list(self.reports(request))
        by_year = defaultdict(list)
        for report in reports:
            by_year[report.held_from.year].append(report)
        held_years = set(by_year)
        context["reports_by_year"] = sorted(by_year.items(), reverse=True)
        context["plan_rows"] = self.plan(today, held_years)
        context["next_dialogue_year"] = self.next_dialogue_year(today, held_years)
        context["today"] = today
        return context


class CitizenDialogueReportForm(WagtailAdminPageForm):
    # Several methods per dialogue, from a fixed list: checkboxes over a JSON list.
    methods = forms.MultipleChoiceField(
        label=_("metoder"),
        choices=DialogueMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        held_from, held_to = cleaned.get("held_from"), cleaned.get("held_to")
        if held_from and held_to and held_to < held_from:
            self.add_error("held_to", _("Slutdatumet kan inte vara före startdatumet."))
        return cleaned


class CitizenDialogueReportPage(GenerationPageMixin, Page):
    held_from = models.DateField(_("genomförd från"))
    held_to = models.DateField(_("genomförd till"), null=True, blank=True, help_text=_("Tomt för en endagsdialog."))
    period_note = models.CharField(
        _("period i text"), max_length=100, blank=True, help_text=_("T.ex. ”våren 2026” eller ”vecka 17–19”.")
    )
    methods = models.JSONField(_("metoder"), default=list, blank=True)
    target_groups = models.CharField(
        _("målgrupper"), max_length=300, blank=True, help_text=_("T.ex. ”unga 13–19 år, föräldrar, seniorer”.")
    )
    area = models.CharField(_("område eller ort"), max_length=200, blank=True)
    organiser = models.CharField(
        _("arrangör"), max_length=200, blank=True, help_text=_("T.ex. ”Trygghets- och säkerhetsenheten”.")
    )
    partners = ParentalManyToManyField(
        "safety_pages.Organisation",
        verbose_name=_("samarbetspartner"),
        blank=True,
        related_name="citizen_dialogues",
        help_text=_("T.ex. Polismyndigheten, bostadsbolag, föreningar."),
    )
    participants = models.PositiveIntegerField(_("antal deltagare"), null=True, blank=True)
    summary = RichTextField(_("sammanfattning"), blank=True, features=PAGE_FEATURES)
    handling_forums = ParentalManyToManyField(
        "safety_pages.ForumPage",
        verbose_name=_("forum som hanterar resultatet"),
        blank=True,
        related_name="citizen_dialogues",
    )
    tags = ClusterTaggableManager(through=CitizenDialogueReportPageTag, blank=True, verbose_name=_("etiketter"))

    base_form_class = CitizenDialogueReportForm

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("held_from"), FieldPanel("held_to")]),
                FieldPanel("period_note"),
                FieldPanel("methods"),
                FieldRowPanel([FieldPanel("target_groups"), FieldPanel("area")]),
                FieldRowPanel([FieldPanel("organiser"), FieldPanel("participants")]),
                FieldPanel("partners"),
            ],
            heading=_("Dialogen"),
        ),
        FieldPanel("summary"),
        FieldPanel("tags"),
        PersonalDataPanel(heading=_("Personuppgifter och sekretess")),
    ]
    results_panels = [
        InlinePanel("feedback_items", heading=_("Det här hörde vi"), label=_("synpunkt")),
        InlinePanel("actions", heading=_("Åtgärder"), label=_("åtgärd")),
        FieldPanel("handling_forums"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Innehåll")),
            ObjectList(results_panels, heading=_("Synpunkter och åtgärder")),
            ObjectList(Page.promote_panels, heading=_("Publicering")),
            ObjectList(Page.settings_panels, heading=_("Inställningar")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("target_groups"),
        index.SearchField("area"),
        index.SearchField("organiser"),
        index.FilterField("held_from"),
        index.RelatedFields("feedback_items", [index.SearchField("theme"), index.SearchField("description")]),
        index.RelatedFields("actions", [index.SearchField("title"), index.SearchField("follow_up")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]

    parent_page_types = ["safety_pages.CitizenDialogueIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("medborgardialog")
        verbose_name_plural = _("medborgardialoger (rapporter)")

    def method_labels(self):
        labels = dict(DialogueMethod.choices)
        return [labels.get(value, value) for value in self.methods or []]

    @staticmethod
    def progress_text(done, total):
        return ngettext("%(done)s av %(total)s åtgärd klar", "%(done)s av %(total)s åtgärder klara", total) % {
            "done": done,
            "total": total,
        }

    @property
    def listed_progress_text(self):
        """Progress from the counts the index page annotates, without loading the actions."""
        if not hasattr(self, "actions_total"):
            return ""
        return self.progress_text(self.actions_done, self.actions_total)

    def get_context(self, request, *args, **kwargs):
        """What differs between readers (the handling forums they may see) is loaded at once and names the
        cached body (`reader_key`); the rest is computed at its first use, so a cache hit loads none of it."""
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        actions = Lazy(lambda: list(self.actions.select_related("responsible_forum", "responsible_organisation")))
        done = Lazy(lambda: sum(1 for a in actions() if a.status == ActionStatus.DONE))
        # Through the ids: in a preview the relation is an in-memory list, not a queryset.
        handling_forums = list(
            visible(ForumPage.objects.filter(pk__in=[f.pk for f in self.handling_forums.all()]), request)
        )
        context.update(
            today=today,
            actions=actions,
            actions_done=done,
            progress_text=Lazy(lambda: self.progress_text(done(), len(actions()))),
            overdue_actions=Lazy(lambda: [a for a in actions() if a.is_overdue(today)]),
            feedback_items=Lazy(lambda: list(self.feedback_items.all())),
            partners=Lazy(lambda: list(self.partners.all())),
            handling_forums=handling_forums,
            reader_key=digest([today, [(f.pk, f.live_revision_id) for f in handling_forums]]),
        )
        return context


class FeedbackItem(Orderable):
    """One thing the residents raised: a theme, what was said, and how many raised it."""

    page = ParentalKey(CitizenDialogueReportPage, related_name="feedback_items", on_delete=models.CASCADE)
    theme = models.CharField(_("tema"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    mentions = models.PositiveIntegerField(_("antal som tog upp det"), null=True, blank=True)

    panels = [FieldRowPanel([FieldPanel("theme"), FieldPanel("mentions")]), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("synpunkt")
        verbose_name_plural = _("synpunkter")

    def __str__(self):
        return self.theme


class DialogueAction(Orderable):
    """What the municipality (or a partner) does about what was heard, and how it went."""

    page = ParentalKey(CitizenDialogueReportPage, related_name="actions", on_delete=models.CASCADE)
    title = models.CharField(_("åtgärd"), max_length=300)
    responsible_forum = models.ForeignKey(
        "safety_pages.ForumPage",
        verbose_name=_("ansvarigt forum"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_actions",
    )
    responsible_organisation = models.ForeignKey(
        "safety_pages.Organisation",
        verbose_name=_("ansvarig organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_actions",
    )
    due_on = models.DateField(_("klar senast"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=30, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    follow_up = models.TextField(_("uppföljning"), blank=True, help_text=_("Vad som gjorts, eller varför inget görs."))

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("responsible_forum"), FieldPanel("responsible_organisation")]),
        FieldRowPanel([FieldPanel("due_on"), FieldPanel("status")]),
        FieldPanel("follow_up"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today=None):
        return schedule.action_is_overdue(self.is_open, self.due_on, today or timezone.localdate())

    @property
    def responsible(self):
        return self.responsible_forum or self.responsible_organisation
