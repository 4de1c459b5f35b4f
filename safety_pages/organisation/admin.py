"""The organisation in the admin: the registers (persons, organisations, decisions) under one "Register"
menu, and the forums' local roles as a snippet with permissions of its own."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from safety_pages.models import Decision, ForumLocalRoles, Organisation, Person
from safety_pages.models.admin_filters import related_filter

# Only organisations with persons: the filter narrows the persons listed.
OrganisationFilter = related_filter(
    "organisation",
    _("förvaltning eller organisation"),
    lambda: Organisation.objects.filter(persons__isnull=False).distinct(),
)


def yes_no(field, label):
    """A boolean column as Swedish words. modeladmin draws booleans with django.contrib.admin's icons, which this
    site does not install (/static/admin/img/icon-yes.svg answered 404, a broken image in every row)."""

    def column(obj):
        return _("Ja") if getattr(obj, field) else _("Nej")

    column.short_description = label
    column.admin_order_field = field
    column.__name__ = f"{field}_yes_no"
    return column


class PersonAdmin(ModelAdmin):
    model = Person
    menu_label = _("Personer")
    menu_icon = "user"
    list_display = ("name", "title", "party", "organisation", yes_no("active", _("Aktiv")))
    list_filter = ("active", "party", OrganisationFilter)
    search_fields = ("name", "title", "email", "organisation__name")
    ordering = ("name",)


class OrganisationAdmin(ModelAdmin):
    model = Organisation
    menu_label = _("Organisationer")
    menu_icon = "group"
    list_display = ("name", "kind", yes_no("internal", _("Intern")))
    list_filter = ("kind", "internal")
    search_fields = ("name",)
    ordering = ("name",)


class DecisionAdmin(ModelAdmin):
    model = Decision
    menu_label = _("Beslut")
    menu_icon = "doc-full"
    list_display = ("__str__", "body", "date", "summary")
    list_filter = ("body", "date")
    search_fields = ("body", "body_abbreviation", "case_number", "paragraph", "summary")
    ordering = ("-date",)


class RegisterGroup(ModelAdminGroup):
    menu_label = _("Register")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (PersonAdmin, OrganisationAdmin, DecisionAdmin)


modeladmin_register(RegisterGroup)


class ForumLocalRolesViewSet(SnippetViewSet):
    model = ForumLocalRoles
    icon = "key"
    menu_label = _("Lokala roller")
    menu_order = 900
    add_to_admin_menu = False
    list_display = ["forum", "editor_group", "reviewer_group", "reader_group"]
    search_fields = []


register_snippet(ForumLocalRolesViewSet)
