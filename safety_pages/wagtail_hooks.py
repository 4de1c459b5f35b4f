"""Wagtail's entry point into the admin: each feature's admin module registers its own views and hooks.

Importing this module is what registers them (Wagtail imports it once, after the app registry is ready);
the modules below register nothing unless imported from here.
"""

from wagtail import hooks
from wagtail.contrib.settings.registry import registry as settings_registry

from safety_pages.access import media, serving
from safety_pages.editing import admin as editing_admin  # noqa: F401
from safety_pages.followup import admin as followup_admin  # noqa: F401
from safety_pages.meetings import admin as meetings_admin  # noqa: F401
from safety_pages.models import Branding
from safety_pages.organisation import admin as organisation_admin  # noqa: F401

# The access layer declares the rule; registering it as a hook is the entry point's job.
hooks.register("before_serve_document", media.refuse_documents_of_closed_pages)
hooks.register("before_serve_page", serving.refuse_pages_closed_to_the_reader)
hooks.register("before_serve_document", media.fill_in_missing_file_hash)

# Inställningar → Utseende: the site's name, logo, favicon and colours (safety_pages/models/branding.py).
settings_registry.register(Branding, icon="image")
