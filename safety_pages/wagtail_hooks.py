"""Wagtail admin hooks and registers; each part of the domain keeps its own in a module of its own."""

from . import admin_access, admin_registers, followup_admin, meetings_admin  # noqa: F401
