"""Wagtail admin hooks and registers; each part of the domain keeps its own in a module of its own."""

from safety_pages.access import admin as admin_access  # noqa: F401
from safety_pages.followup import admin as followup_admin  # noqa: F401
from safety_pages.meetings import admin as meetings_admin  # noqa: F401
from safety_pages.organisation import admin as admin_registers  # noqa: F401
