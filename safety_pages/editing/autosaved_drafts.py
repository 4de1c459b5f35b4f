"""A new page started again where the editor's own autosaved draft already is.

Wagtail 8 autosaves a new page by creating it as a draft (a JSON post to the add view), and the tab then edits that
draft. An editor who leaves the tab and starts the same page again posts the add form with the same address, which
Wagtail refused ("Sluggen … används redan"): the record could not be made at all until she found and deleted her
own draft. The add view now hands such a post to the edit view of that draft, so what she wrote last is saved there
(and autosaves of the new tab go to it too); earlier versions stay in the page's history. Only her own never
published draft of the same page type is continued: anyone else's page keeps Wagtail's message.
"""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.edit import EditView

from safety_pages.models.draft_slugs import own_draft_with_slug


def continue_own_autosaved_draft(request, parent_page, page_class):
    """Wagtail's `before_create_page` hook (registered in editing/admin.py)."""
    if request.method != "POST":
        return None
    draft = own_draft_with_slug(parent_page, request.POST.get("slug"), request.user)
    if draft is None or draft.specific_class is not page_class:
        return None
    if request.accepts("text/html"):
        messages.info(
            request,
            _(
                "Du hade redan påbörjat sidan ”%(title)s” och den hade sparats automatiskt. Ändringarna sparades i "
                "det utkastet; tidigare versioner finns i sidans historik."
            )
            % {"title": draft.draft_title or draft.title},
        )
    return EditView.as_view()(request, page_id=draft.pk)
