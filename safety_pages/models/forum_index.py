"""The organisation of one municipality: its forums as a list by level and as a diagram.

Its own module above `forums.py`: the index lists forum pages, a forum page never needs the index.
"""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from safety_pages.access.visibility import visible
from safety_pages.models.choices import ForumLevel, ForumStatus
from safety_pages.models.diagram import OrganisationDiagram
from safety_pages.models.forums import ForumPage
from safety_pages.models.generation import GenerationPageMixin, Lazy, digest
from safety_pages.models.placement import ParentsFromSetting
from safety_pages.models.rich_text import PAGE_FEATURES


class ForumIndexPage(ParentsFromSetting, GenerationPageMixin, RoutablePageMixin, Page):
    """'Organisation för trygghet och säkerhet' of one municipality section."""

    intro = RichTextField(
        _("ingress"),
        blank=True,
        features=PAGE_FEATURES,
        help_text=_("Kort text överst på sidan, före forumen och organisationsbilden."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    # A municipality section unless the host names its own page types (docs/install.md).
    parent_page_types = ["safety_pages.SectionPage"]
    parent_page_types_setting = "SAFETY_PAGES_INDEX_PARENT_PAGE_TYPES"
    subpage_types = ["safety_pages.ForumPage"]
    # One organisation per municipality section: a second would split its diagram in two.
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("organisationsöversikt")
        verbose_name_plural = _("organisationsöversikter")

    def forums(self, request):
        return (
            visible(ForumPage.objects.child_of(self), request)
            .select_related("founded_by", "dissolved_by")
            .order_by("path")
        )

    def diagram(self, request, forums=None):
        forums = list(self.forums(request)) if forums is None else forums
        return OrganisationDiagram(forums, ForumPage.lines_between(forums))

    def get_context(self, request, *args, **kwargs):
        """The page body is cached under the content generation and the ids of the forums this reader may
        see (`reader_key`, forum_index_page.html); the forums themselves are loaded only on a miss."""
        context = super().get_context(request, *args, **kwargs)
        forums = Lazy(lambda: list(self.forums(request)))
        context["forums"] = forums
        context["levels"] = Lazy(
            lambda: [
                (label, [f for f in forums() if f.level == value and f.status != ForumStatus.DISSOLVED])
                for value, label in ForumLevel.choices
            ]
        )
        context["dissolved"] = Lazy(lambda: [f for f in forums() if f.status == ForumStatus.DISSOLVED])
        # The diagram shows the organisation as it works now; dissolved forums are history.
        context["diagram"] = Lazy(
            lambda: self.diagram(request, [f for f in forums() if f.status != ForumStatus.DISSOLVED])
        )
        context["reader_key"] = digest(list(self.forums(request).values_list("pk", flat=True)))
        return context

    @path("organisationsbild/", name="diagram")
    def diagram_svg(self, request):
        forums = [f for f in self.forums(request) if f.status != ForumStatus.DISSOLVED]
        return HttpResponse(self.diagram(request, forums).svg(standalone=True), content_type="image/svg+xml")
