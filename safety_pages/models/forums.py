"""Forums for safety and crime prevention: councils, committees, networks, local groups.

A forum is structured content, not prose: its kind, level, reporting lines,
meeting frequency, members and lifecycle are fields, so the organisation can
be listed, drawn, searched and checked.
"""

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

from ..visibility import visible
from .tags import ForumPageTag

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class ForumKind(models.TextChoices):
    COUNCIL = "rad", _("råd")
    COMMITTEE = "utskott", _("utskott")
    NETWORK = "natverk", _("nätverk")
    LOCAL_GROUP = "lokal_arbetsgrupp", _("lokal arbetsgrupp")
    STEERING_GROUP = "styrgrupp", _("styrgrupp")
    COORDINATION_GROUP = "samordningsgrupp", _("samordningsgrupp")
    PREPARATION_GROUP = "beredningsgrupp", _("beredningsgrupp")
    COOPERATION_COUNCIL = "samverkansrad", _("samverkansråd")
    CRISIS_COUNCIL = "krishanteringsrad", _("krishanteringsråd")
    BOARD = "namnd", _("styrelse eller nämnd")
    OTHER = "annat", _("annat")


class ForumLevel(models.TextChoices):
    POLITICAL = "politisk", _("politisk nivå")
    STRATEGIC = "strategisk", _("strategisk nivå")
    TACTICAL = "taktisk", _("taktisk nivå")
    OPERATIONAL = "operativ", _("operativ eller lokal nivå")


class ForumStatus(models.TextChoices):
    PLANNED = "planerad", _("planerad")
    ACTIVE = "aktiv", _("aktiv")
    DISSOLVED = "upplost", _("upplöst")


class ModelRole(models.TextChoices):
    WHAT = "vad", _("Vad – politiken beslutar vad som ska göras")
    HOW = "hur", _("Hur – förvaltningen beslutar hur det görs")
    BOTH = "bada", _("Både vad och hur")


class MemberRole(models.TextChoices):
    CHAIR = "ordforande", _("ordförande")
    VICE_CHAIR = "vice_ordforande", _("vice ordförande")
    CONVENER = "sammankallande", _("sammankallande")
    SECRETARY = "sekreterare", _("sekreterare")
    PRESENTER = "foredragande", _("föredragande")
    MEMBER = "ledamot", _("ledamot")
    SUBSTITUTE = "ersattare", _("ersättare")
    CO_OPTED = "adjungerad", _("adjungerad")
    PERMANENT = "permanent_medlem", _("permanent medlem")
    WHEN_NEEDED = "vid_behov", _("kallas vid behov")


# Roles that occupy one of the forum's ordinary seats (the chair is also a member).
ORDINARY_SEAT_ROLES = {MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.MEMBER}


class ForumIndexPage(Page):
    """'Organisation för trygghet och säkerhet' of one municipality section."""

    intro = RichTextField(_("ingress"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["safety_pages.SectionPage"]
    subpage_types = ["safety_pages.ForumPage"]

    class Meta:
        verbose_name = _("organisationsöversikt")
        verbose_name_plural = _("organisationsöversikter")

    def forums(self, request):
        return visible(ForumPage.objects.child_of(self), request).order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        forums = list(self.forums(request))
        context["forums"] = forums
        context["levels"] = [
            (label, [f for f in forums if f.level == value and f.status != ForumStatus.DISSOLVED])
            for value, label in ForumLevel.choices
        ]
        context["dissolved"] = [f for f in forums if f.status == ForumStatus.DISSOLVED]
        return context


class ForumPage(Page):
    kind = models.CharField(_("typ av forum"), max_length=30, choices=ForumKind.choices)
    level = models.CharField(_("nivå"), max_length=20, choices=ForumLevel.choices)
    locality = models.CharField(
        _("ort"), max_length=100, blank=True, help_text=_("För lokala arbetsgrupper: orten gruppen ansvarar för.")
    )
    parent_body = models.CharField(
        _("organ som forumet hör till"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel ”Kommunstyrelsen” eller ”Kommunens ledningsgrupp”."),
    )
    short_name = models.CharField(
        _("kortnamn"),
        max_length=60,
        blank=True,
        help_text=_("Förkortning som används i vardagligt tal, t.ex. BRÅ, LAG."),
    )
    purpose = RichTextField(_("syfte"), blank=True, features=RICH_TEXT_FEATURES)
    tasks = RichTextField(_("uppgifter"), blank=True, features=RICH_TEXT_FEATURES)
    model_role = models.CharField(_("roll i styrmodellen"), max_length=10, choices=ModelRole.choices, blank=True)

    reports_to = ParentalManyToManyField(
        "self",
        verbose_name=_("rapporterar till"),
        symmetrical=False,
        blank=True,
        related_name="receives_reports_from",
    )
    gives_assignments_to = ParentalManyToManyField(
        "self",
        verbose_name=_("kan ge uppdrag till"),
        symmetrical=False,
        blank=True,
        related_name="receives_assignments_from",
    )

    meetings_per_year_min = models.PositiveSmallIntegerField(_("sammanträden per år, minst"), null=True, blank=True)
    meetings_per_year_max = models.PositiveSmallIntegerField(_("sammanträden per år, högst"), null=True, blank=True)
    meetings_note = models.CharField(
        _("om sammanträdena"),
        max_length=300,
        blank=True,
        help_text=_("T.ex. ”eller när ordföranden bedömer att det finns behov”."),
    )

    convener = models.ForeignKey(
        "safety_pages.Person",
        verbose_name=_("sammankallande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    convener_description = models.CharField(
        _("sammankallande (funktion)"),
        max_length=200,
        blank=True,
        help_text=_("När ingen person är utsedd: funktionen, t.ex. ”Kommunstyrelsens förste vice ordförande”."),
    )
    presenter = models.ForeignKey(
        "safety_pages.Person",
        verbose_name=_("föredragande"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    presenter_description = models.CharField(_("föredragande (funktion)"), max_length=200, blank=True)
    secretary = models.ForeignKey(
        "safety_pages.Person",
        verbose_name=_("sekreterare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    secretary_description = models.CharField(_("sekreterare (funktion)"), max_length=200, blank=True)
    supporting_units = models.CharField(
        _("stödjande enheter"), max_length=300, blank=True, help_text=_("Enheter som ger forumet tjänstepersonsstöd.")
    )

    status = models.CharField(_("status"), max_length=20, choices=ForumStatus.choices, default=ForumStatus.ACTIVE)
    founded_on = models.DateField(_("inrättat"), null=True, blank=True)
    founded_by = models.ForeignKey(
        "safety_pages.Decision",
        verbose_name=_("inrättat genom beslut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="founded_forums",
    )
    dissolved_on = models.DateField(_("upplöst"), null=True, blank=True)
    dissolved_by = models.ForeignKey(
        "safety_pages.Decision",
        verbose_name=_("upplöst genom beslut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dissolved_forums",
    )
    replaces = ParentalManyToManyField(
        "self", verbose_name=_("ersätter"), symmetrical=False, blank=True, related_name="replaced_by"
    )

    tags = ClusterTaggableManager(through=ForumPageTag, blank=True, verbose_name=_("etiketter"))

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("level")]),
                FieldRowPanel([FieldPanel("short_name"), FieldPanel("locality")]),
                FieldPanel("parent_body"),
                FieldPanel("model_role"),
            ],
            heading=_("Forumet"),
        ),
        FieldPanel("purpose"),
        FieldPanel("tasks"),
        FieldPanel("tags"),
    ]
    members_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("convener"), FieldPanel("convener_description")]),
                FieldRowPanel([FieldPanel("presenter"), FieldPanel("presenter_description")]),
                FieldRowPanel([FieldPanel("secretary"), FieldPanel("secretary_description")]),
                FieldPanel("supporting_units"),
            ],
            heading=_("Funktioner"),
        ),
        InlinePanel("memberships", heading=_("Ledamöter och representanter"), label=_("medlemskap")),
    ]
    relations_panels = [
        FieldPanel("reports_to"),
        FieldPanel("gives_assignments_to"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("meetings_per_year_min"), FieldPanel("meetings_per_year_max")]),
                FieldPanel("meetings_note"),
            ],
            heading=_("Sammanträden"),
        ),
    ]
    lifecycle_panels = [
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("founded_on"), FieldPanel("founded_by")]),
        FieldRowPanel([FieldPanel("dissolved_on"), FieldPanel("dissolved_by")]),
        FieldPanel("replaces"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Innehåll")),
            ObjectList(members_panels, heading=_("Medlemmar")),
            ObjectList(relations_panels, heading=_("Samband och möten")),
            ObjectList(lifecycle_panels, heading=_("Livscykel")),
            ObjectList(Page.promote_panels, heading=_("Publicering")),
            ObjectList(Page.settings_panels, heading=_("Inställningar")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("short_name", boost=3),
        index.SearchField("purpose"),
        index.SearchField("tasks"),
        index.SearchField("parent_body"),
        index.SearchField("locality"),
        index.FilterField("kind"),
        index.FilterField("level"),
        index.FilterField("status"),
    ]

    parent_page_types = ["safety_pages.ForumIndexPage"]
    subpage_types = ["safety_pages.InstructionPage"]

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forum")

    @property
    def is_dissolved(self):
        return self.status == ForumStatus.DISSOLVED

    def active_memberships(self, on=None):
        on = on or timezone.localdate()
        return [
            m
            for m in self.memberships.all()
            if (m.starts_on is None or m.starts_on <= on) and (m.ends_on is None or m.ends_on >= on)
        ]


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

    def __str__(self):
        who = self.person or self.organisation or _("vakant")
        return f"{who}, {self.get_role_display()}"
