"""Admin registrations for access control: local roles of forums."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ForumLocalRoles


class ForumLocalRolesViewSet(SnippetViewSet):
    model = ForumLocalRoles
    icon = "key"
    menu_label = _("Lokala roller")
    menu_order = 900
    add_to_admin_menu = False
    list_display = ["forum", "editor_group", "reviewer_group", "reader_group"]
    search_fields = []


register_snippet(ForumLocalRolesViewSet)
