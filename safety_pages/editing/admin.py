"""Editing in the admin: what an editor is told when someone else holds a page's lock, and what the admin's
choosers, API and bulk actions may show a user (`admin_scope`)."""

from wagtail import hooks

from safety_pages.editing import admin_scope
from safety_pages.editing.locks import (
    explain_lock,
    refuse_bulk_deleting_justerat_records,
    refuse_deleting_justerat_records,
    refuse_revert_of_locked_text,
)

# After Wagtail's own registrations (order 0): ours replace its endpoints and bulk actions of the same names.
AFTER_WAGTAIL = 1

hooks.register("before_edit_page", explain_lock)
hooks.register("before_edit_page", refuse_revert_of_locked_text)
hooks.register("before_delete_page", refuse_deleting_justerat_records)
hooks.register("before_bulk_action", refuse_bulk_deleting_justerat_records)
hooks.register("construct_page_chooser_queryset", admin_scope.narrow_page_chooser)
hooks.register("construct_document_chooser_queryset", admin_scope.narrow_file_chooser)
hooks.register("construct_image_chooser_queryset", admin_scope.narrow_file_chooser)
hooks.register("construct_admin_api", admin_scope.narrow_admin_api, order=AFTER_WAGTAIL)
for action in admin_scope.BULK_ACTIONS:
    hooks.register("register_bulk_action", action, order=AFTER_WAGTAIL)
