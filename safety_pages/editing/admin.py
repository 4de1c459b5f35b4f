"""Editing in the admin: what an editor is told when someone else holds a page's lock, what the admin's
choosers, API and bulk actions may show a user (`admin_scope`), and the personal-data check before Granskning
and publishing (`personal_data`)."""

from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail import hooks

from safety_pages.editing import admin_scope, autosaved_drafts, personal_data
from safety_pages.editing.locks import (
    explain_lock,
    refuse_bulk_deleting_justerat_records,
    refuse_deleting_justerat_records,
    refuse_revert_of_locked_text,
)
from safety_pages.models.personal_data_review import ACKNOWLEDGE_ACTION, FINDINGS_URL_NAME

# After Wagtail's own registrations (order 0): ours replace its endpoints and bulk actions of the same names.
AFTER_WAGTAIL = 1

hooks.register("before_edit_page", explain_lock)
hooks.register("before_edit_page", refuse_revert_of_locked_text)
hooks.register("before_delete_page", refuse_deleting_justerat_records)
hooks.register("before_bulk_action", refuse_bulk_deleting_justerat_records)
# After the lock's explanation: a page the user may not save is refused there already.
hooks.register("before_edit_page", personal_data.check_before_edit, order=AFTER_WAGTAIL)
hooks.register("before_create_page", personal_data.check_before_create)
hooks.register("before_create_page", autosaved_drafts.continue_own_autosaved_draft)
hooks.register("before_publish_page", personal_data.check_before_publish)
hooks.register("construct_page_chooser_queryset", admin_scope.narrow_page_chooser)
hooks.register("construct_document_chooser_queryset", admin_scope.narrow_file_chooser)
hooks.register("construct_image_chooser_queryset", admin_scope.narrow_file_chooser)
hooks.register("construct_admin_api", admin_scope.narrow_admin_api, order=AFTER_WAGTAIL)
for action in admin_scope.BULK_ACTIONS:
    hooks.register("register_bulk_action", action, order=AFTER_WAGTAIL)


@hooks.register("register_admin_urls")
def register_personal_data_url():
    return [path("personuppgifter/<int:page_id>/", personal_data.FindingsView.as_view(), name=FINDINGS_URL_NAME)]


@hooks.register("register_log_actions")
def register_personal_data_log_action(actions):
    actions.register_action(
        ACKNOWLEDGE_ACTION,
        gettext_lazy("Kvitterat fynd av personuppgifter eller sekretess"),
        gettext_lazy("Kvitterade ett fynd av personuppgifter eller sekretess"),
    )
