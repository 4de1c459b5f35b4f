"""The frame of the intranet: its start page and one section per municipality."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList, PageChooserPanel, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from safety_pages.access.visibility import visible
from safety_pages.models.placement import ParentsFromSetting
from safety_pages.models.routing import RoutesInOneQuery


class HomePage(RoutesInOneQuery, Page):
    """The intranet's start page: the municipality sections and what is coming up."""

    # Named apart from the reverse accessor Django would derive from the class name (`Page.homepage`), which every
    # project made by `wagtail start` already has for its own `home.HomePage`: with both, neither could migrate.
    page_ptr = models.OneToOneField(
        Page,
        on_delete=models.CASCADE,
        parent_link=True,
        auto_created=True,
        primary_key=True,
        serialize=False,
        related_name="safety_pages_homepage",
    )
    intro = RichTextField(_("ingress"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["safety_pages.SectionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("startsida")
        verbose_name_plural = _("startsidor")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = visible(SectionPage.objects.child_of(self), request)
        return context


class SectionPage(ParentsFromSetting, RoutesInOneQuery, Page):
    """One municipality's (or one administration's) area of the intranet."""

    municipality = models.CharField(_("kommun"), max_length=100, help_text=_("Till exempel ”Mjölby kommun”."))
    intro = RichTextField(_("ingress"), blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("municipality"), FieldPanel("intro")]
    menu_panels = [
        InlinePanel(
            "menu_items",
            heading=_("Huvudmeny"),
            label=_("menyval"),
            help_text=_(
                "Sidorna i kommunens huvudmeny, i ordning. Utan menyval visas sektionens egna undersidor. En sida "
                "som läsaren inte får se visas aldrig i menyn."
            ),
        )
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Innehåll")),
            ObjectList(menu_panels, heading=_("Meny")),
            ObjectList(Page.promote_panels, heading=_("Publicering")),
            ObjectList(Page.settings_panels, heading=_("Inställningar")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("municipality"),
        index.SearchField("intro"),
        index.FilterField("municipality"),
    ]

    # Our start page unless the host names its own page types (docs/install.md).
    parent_page_types = ["safety_pages.HomePage"]
    parent_page_types_setting = "SAFETY_PAGES_SECTION_PARENT_PAGE_TYPES"
    subpage_types = [
        "safety_pages.ForumIndexPage",
        "safety_pages.CitizenDialogueIndexPage",
        "safety_pages.SteeringDocumentIndexPage",
    ]

    class Meta:
        verbose_name = _("kommunsektion")
        verbose_name_plural = _("kommunsektioner")

    def clean(self):
        super().clean()
        # Calendars, feeds and case pages name a section by its slug alone (kalender/<slug>.ics). Siblings' slugs are
        # unique anyway; sections under several parents of a host's tree must be told apart too.
        if SectionPage.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
            raise ValidationError(
                {
                    "slug": _(
                        "En annan kommunsektion har redan adressen ”%(slug)s”. Kalendrar, flöden och ärenden hittar "
                        "sektionen på adressen, så den måste vara unik bland sektionerna."
                    )
                    % {"slug": self.slug}
                }
            )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Titles and addresses only: the base rows, without a query per page type for the specific rows.
        context["children"] = visible(self.get_children(), request)
        return context


class SectionMenuItem(Orderable):
    """One entry of a municipality's main menu: a page, under its own title unless the editor names it."""

    section = ParentalKey(SectionPage, related_name="menu_items", on_delete=models.CASCADE)
    link_page = models.ForeignKey(Page, verbose_name=_("sida"), on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("text i menyn"), max_length=60, blank=True, help_text=_("Tomt: sidans titel."))

    panels = [PageChooserPanel("link_page"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("menyval")
        verbose_name_plural = _("menyval")

    def __str__(self):
        return self.label or self.link_page.title


def section_of(page):
    """The SectionPage above `page` (as a plain Page), through the parents that routing has already cached."""
    node = page
    while node.depth > 1:
        node = node.get_parent()
        if node is None:
            return None
        if node.specific_class is SectionPage:
            return node
    return None
