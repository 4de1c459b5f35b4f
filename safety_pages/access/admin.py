"""Admin registrations for access control: forums' local roles, closed documents, lock messages."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from safety_pages.access.visibility import can_view_document
from safety_pages.editing.locks import explain_lock
from safety_pages.models import ForumLocalRoles


class ForumLocalRolesViewSet(SnippetViewSet):
    model = ForumLocalRoles
    icon = "key"
    menu_label = _("Lokala roller")
    menu_order = 900
    add_to_admin_menu = False
    list_display = ["forum", "editor_group", "reviewer_group", "reader_group"]
    search_fields = []


register_snippet(ForumLocalRolesViewSet)


@hooks.register("before_serve_document")
def refuse_documents_of_closed_pages(document, request):
    # 404, not 403: someone outside should not learn that the document exists.
    if not can_view_document(request, document):
        raise Http404


hooks.register("before_edit_page", explain_lock)
