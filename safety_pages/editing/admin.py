"""Editing in the admin: what an editor is told when someone else holds a page's lock."""

from wagtail import hooks

from safety_pages.editing.locks import explain_lock

hooks.register("before_edit_page", explain_lock)
