"""Forums for safety and crime prevention: councils, committees, networks, local groups.

A forum is structured content, not prose: its kind, level, reporting lines,
meeting frequency, members and lifecycle are fields, so the organisation can
be listed, drawn, searched and checked.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from safety_pages.access.ids import row_id
from safety_pages.access.visibility import visible
from safety_pages.models.choices import ForumKind, ForumLevel, ForumStatus, MemberRole, ModelRole
from safety_pages.models.compare import compare_instructions
from safety_pages.models.diagram import ASSIGNS, REPORTS
from safety_pages.models.forum_forms import ForumPageForm
from safety_pages.models.generation import GenerationPageMixin, Lazy, digest
from safety_pages.models.instructions import InstructionPage, meeting_frequency
from safety_pages.models.people import PERSON_ITEM_LABEL, PERSON_ITEM_TYPE, Role, membership_role, people_items
from safety_pages.models.registers import Person
from safety_pages.models.rich_text import PAGE_FEATURES
from safety_pages.models.site import section_of
from safety_pages.models.tags import ForumPageTag


class ForumPage(GenerationPageMixin, RoutablePageMixin, Page):
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
    purpose = RichTextField(_("syfte"), blank=True, features=PAGE_FEATURES)
    tasks = RichTextField(_("uppgifter"), blank=True, features=PAGE_FEATURES)
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
        # How often it meets ("4 gånger per år … eller när ordföranden bedömer"): what "när träffas rådet" asks for.
        index.SearchField("meeting_frequency"),
        index.SearchField("meetings_note"),
        index.FilterField("kind"),
        index.FilterField("level"),
        index.FilterField("status"),
    ]

    parent_page_types = ["safety_pages.ForumIndexPage"]
    subpage_types = ["safety_pages.InstructionPage", "safety_pages.MeetingRecordPage"]

    base_form_class = ForumPageForm

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forum")

    def meeting_frequency(self):
        return meeting_frequency(self.meetings_per_year_min, self.meetings_per_year_max)

    def search_date(self):
        """A forum is dated by nothing in search: it stands from meeting to meeting, and the day it was last
        published (the search index's fallback) would read as news of today."""
        return None

    # --- people (safety_pages.models.people) ----------------------------------------------------

    # The hits of its own the forum gives search (`search_items`): a person page for each person it lists.
    search_item_types = {PERSON_ITEM_TYPE: PERSON_ITEM_LABEL}
    FUNCTIONS = ("convener", "presenter", "secretary")

    def search_items(self):
        """Each person the forum lists (members, past ones too, and the functions), as a hit of their person page
        with the roles listed here and this forum's readers."""
        yield from people_items(self, self.people_roles())

    @classmethod
    def prepare_for_search(cls, forums):
        """The search indexer's batch: the forums' people read at once (`prepare_people`)."""
        cls.prepare_people(forums)
        return {}

    @classmethod
    def prepare_people(cls, forums):
        """Read the people of many forums at once (search's batch, the person page): two queries, not two per
        forum."""
        by_id = {forum.pk: forum for forum in forums}
        for forum in forums:
            forum._prepared_memberships = []
        memberships = cls._meta.get_field("memberships").related_model.objects.filter(forum_id__in=list(by_id))
        for membership in memberships.select_related("person", "organisation").order_by("sort_order", "pk"):
            by_id[membership.forum_id]._prepared_memberships.append(membership)
        ids = {getattr(forum, f"{name}_id") for forum in forums for name in cls.FUNCTIONS} - {None}
        persons = Person.objects.in_bulk(ids)
        for forum in forums:
            forum._prepared_functions = persons

    def people_roles(self, persons=None):
        """{person: [Role]} of everyone the forum lists, in the order its page lists them: the functions, then the
        memberships (past and coming ones too). Only `persons` (ids) when given."""
        memberships = self.__dict__.get("_prepared_memberships")
        if memberships is None:
            memberships = self.memberships.select_related("person", "organisation").order_by("sort_order", "pk")
        function_persons = self.__dict__.get("_prepared_functions")
        if function_persons is None:
            ids = {getattr(self, f"{name}_id") for name in self.FUNCTIONS} - {None}
            function_persons = Person.objects.in_bulk(ids) if ids else {}
        roles = {}
        for row in self.functions(function_persons):
            person = row["person"]
            if person is not None and (persons is None or person.pk in persons):
                roles.setdefault(person, []).append(
                    Role(str(row["label"]).lower(), self, description=row["description"])
                )
        for membership in memberships:
            if membership.person_id and (persons is None or membership.person_id in persons):
                roles.setdefault(membership.person, []).append(membership_role(membership, self))
        return roles

    def clean(self):
        super().clean()
        errors = {}
        low, high = self.meetings_per_year_min, self.meetings_per_year_max
        if low is not None and high is not None and low > high:
            errors["meetings_per_year_max"] = _(
                "Högsta antalet sammanträden per år kan inte vara lägre än det lägsta (%(min)s)."
            ) % {"min": low}
        if self.status == ForumStatus.DISSOLVED and not self.dissolved_on:
            errors["dissolved_on"] = _("Ett upplöst forum behöver ett datum för när det upplöstes.")
        if self.dissolved_on and self.founded_on and self.dissolved_on < self.founded_on:
            errors["dissolved_on"] = _("Forumet kan inte ha upplösts innan det inrättades.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_dissolved(self):
        return self.status == ForumStatus.DISSOLVED

    def active_memberships(self, on=None, memberships=None):
        on = on or timezone.localdate()
        memberships = self.memberships.all() if memberships is None else memberships
        return [m for m in memberships if m.is_active(on)]

    # --- instructions -------------------------------------------------------------------------

    def instructions(self, request=None):
        """The forum's instructions, newest first; only those this user may read when a request is given."""
        queryset = InstructionPage.objects.child_of(self)
        queryset = visible(queryset, request) if request is not None else queryset.live()
        return queryset.select_related("adopted_by").order_by("-valid_from", "-pk")

    def instruction_in_force(self, on=None, request=None, instructions=None):
        """The adopted instruction valid today (the newest if several overlap), or None."""
        instructions = self.instructions(request) if instructions is None else instructions
        return next((i for i in instructions if i.is_in_force(on)), None)

    def seat_summary(self, instruction, memberships, on=None):
        """Ordinary seats by the instruction against active ordinary members: {seats, filled, vacant}."""
        if instruction is None or instruction.ordinary_seats is None:
            return None
        filled = sum(1 for m in memberships if m.holds_ordinary_seat and m.is_active(on))
        seats = instruction.ordinary_seats
        return {"seats": seats, "filled": filled, "vacant": max(seats - filled, 0)}

    # --- presentation ---------------------------------------------------------------------------

    def members_by_role(self, memberships, on=None):
        """Active memberships grouped in the order of MemberRole; substitutes in their call order."""
        active = self.active_memberships(on, memberships)
        groups = []
        for value, label in MemberRole.choices:
            members = [m for m in active if m.role == value]
            if value == MemberRole.SUBSTITUTE:
                members.sort(key=lambda m: (m.substitute_order is None, m.substitute_order or 0, m.sort_order or 0))
            if members:
                groups.append((value, label, members))
        return groups

    def functions(self, persons=None):
        """Convener, presenter and secretary: a named person, the function, or both. From `persons` ({id: Person})
        when given, read with other forums' (search's batch) instead of a query per function."""
        rows = []
        for field, label in (
            ("convener", _("Sammankallande")),
            ("presenter", _("Föredragande")),
            ("secretary", _("Sekreterare")),
        ):
            person_id = getattr(self, f"{field}_id")
            person = getattr(self, field) if persons is None else persons.get(person_id)
            description = getattr(self, f"{field}_description")
            if person or description:
                rows.append({"label": label, "person": person, "description": description})
        return rows

    def relations(self, request):
        """Reporting, assignment and succession lines, both ways, as far as this user may see the other forum."""

        # Two queries whatever the number of lines: every line touching this forum from the three link
        # tables in one UNION, then the forums at their other ends, narrowed by visibility.
        lines = None
        for field in ("reports_to", "gives_assignments_to", "replaces"):
            through = getattr(ForumPage, field).through.objects.filter(
                models.Q(from_forumpage_id=self.pk) | models.Q(to_forumpage_id=self.pk)
            )
            pairs = through.annotate(kind=models.Value(field)).values_list(
                "kind", "from_forumpage_id", "to_forumpage_id"
            )
            lines = pairs if lines is None else lines.union(pairs, all=True)
        lines = list(lines)
        others = {a if b == self.pk else b for _kind, a, b in lines}
        by_id = {f.pk: f for f in visible(ForumPage.objects.filter(pk__in=others), request).order_by("title")}
        order = {pk: i for i, pk in enumerate(by_id)}

        def forums(kind, outgoing):
            ids = {b if outgoing else a for k, a, b in lines if k == kind and (a if outgoing else b) == self.pk}
            return sorted((by_id[pk] for pk in ids if pk in by_id), key=lambda f: order[f.pk])

        return [
            ("reports_to", _("Rapporterar till"), forums("reports_to", True)),
            ("receives_reports_from", _("Får rapporter från"), forums("reports_to", False)),
            ("gives_assignments_to", _("Kan ge uppdrag till"), forums("gives_assignments_to", True)),
            ("receives_assignments_from", _("Kan få uppdrag från"), forums("gives_assignments_to", False)),
            ("replaces", _("Ersätter"), forums("replaces", True)),
            ("replaced_by", _("Ersatt av"), forums("replaces", False)),
        ]

    @classmethod
    def lines_between(cls, forums):
        """(kind, from id, to id) for the reporting and assignment lines between these forums (one query)."""
        ids = {f.pk for f in forums}
        # Both link tables in one UNION query: a query saved on every view of the organisation page.
        reports, assigns = (
            getattr(cls, kind)
            .through.objects.filter(from_forumpage_id__in=ids, to_forumpage_id__in=ids)
            .annotate(kind=models.Value(kind))
            .values_list("kind", "from_forumpage_id", "to_forumpage_id")
            for kind in (REPORTS, ASSIGNS)
        )
        order = {REPORTS: 0, ASSIGNS: 1}
        return sorted(reports.union(assigns, all=True), key=lambda r: (order[r[0]], r[1], r[2]))

    def reader_key(self, request):
        """What differs between the readers of this forum's page, in one query: the ids of its children
        (instructions, records) and of the forums on its reporting, assignment and succession lines that
        this reader may see, by the same rule (visibility.visible) that draws each list."""
        related = models.Q()
        for field in ("reports_to", "gives_assignments_to", "replaces"):
            through = getattr(ForumPage, field).through.objects
            related |= models.Q(pk__in=through.filter(from_forumpage_id=self.pk).values("to_forumpage_id"))
            related |= models.Q(pk__in=through.filter(to_forumpage_id=self.pk).values("from_forumpage_id"))
        pages = Page.objects.filter(models.Q(path__startswith=self.path, depth=self.depth + 1) | related)
        # The day too: members are shown as active on a day, the instruction in force and the upcoming meetings.
        return digest([timezone.localdate(), sorted(visible(pages, request).values_list("pk", flat=True))])

    def get_context(self, request, *args, **kwargs):
        """The forum as this reader sees it: the body is cached under the content generation and
        `reader_key` (forum_page.html), and everything in it is computed at its first use, so a cache
        hit loads no members, instructions, related forums or meetings."""
        context = super().get_context(request, *args, **kwargs)
        memberships = Lazy(lambda: list(self.memberships.select_related("person__organisation", "organisation")))
        instructions = Lazy(lambda: list(self.instructions(request)))
        in_force = Lazy(lambda: self.instruction_in_force(instructions=instructions()))
        context.update(
            members_by_role=Lazy(lambda: self.members_by_role(memberships())),
            seats=Lazy(lambda: self.seat_summary(in_force(), memberships())),
            instruction_in_force=in_force,
            earlier_instructions=Lazy(
                lambda: [
                    {"instruction": i, "compare_url": self.compare_url(i, in_force()) if in_force() else None}
                    for i in instructions()
                    if i != in_force()
                ]
            ),
            relations=Lazy(lambda: [r for r in self.relations(request) if r[2]]),
            tags=Lazy(lambda: list(self.tags.all())),
            section=Lazy(lambda: section_of(self)),
            reader_key=Lazy(lambda: self.reader_key(request)),
        )
        return context

    @path("jamfor/", name="compare")
    def compare(self, request):
        """Two versions of this forum's instruction side by side; only versions this user may read."""
        instructions = list(self.instructions(request))
        a, b = request.GET.get("a"), request.GET.get("b")
        context = self.get_context(request)
        context.update(instructions=instructions, selected_a=a, selected_b=b, comparison=None, error=None)
        status = 200
        if a is None and b is None:
            # Without a choice: the version in force against the one it replaced, when there is one.
            current = self.instruction_in_force(instructions=instructions)
            if current is not None and current.supersedes_id:
                a, b = str(current.supersedes_id), str(current.pk)
        if a is not None or b is not None:
            first_id, second_id = row_id(a), row_id(b)
            if first_id is None or second_id is None:
                context["error"] = _("Välj två versioner att jämföra.")
                status = 400
            else:
                by_id = {i.pk: i for i in instructions}
                first = by_id.get(first_id) or get_object_or_404(self.instructions(request), pk=first_id)
                second = by_id.get(second_id) or get_object_or_404(self.instructions(request), pk=second_id)
                context.update(comparison=compare_instructions(first, second), selected_a=a, selected_b=b)
        return TemplateResponse(request, "safety_pages/instruction_compare.html", context, status=status)

    def compare_url(self, first, second):
        return f"{self.url}{self.reverse_subpage('compare')}?a={first.pk}&b={second.pk}"
