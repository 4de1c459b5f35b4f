"""Idempotent building blocks for the demo loader: a second run changes nothing."""

from django.db import models
from wagtail.models import Page


def _differs(page, fields):
    for name, value in fields.items():
        current = getattr(page, name)
        if isinstance(page._meta.get_field(name), models.ForeignKey):
            current = getattr(page, f"{name}_id")
            value = getattr(value, "pk", value)
        elif hasattr(current, "raw_data"):  # StreamField: compare the stored JSON
            current = list(current.raw_data)
            value = list(getattr(value, "raw_data", value))
        if current != value:
            return True
    return False


def upsert_child(parent, model, slug, *, publish=True, **fields):
    """Create or update the page `slug` under `parent`; publish only when something changed.

    Returns (page, created). An unchanged page is left alone, so no new revision
    is written and the second run of the loader is a no-op.
    """
    existing = parent.get_children().filter(slug=slug).first()
    if existing is None:
        page = model(slug=slug, live=publish, **fields)
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page, True
    page = existing.specific
    if not isinstance(page, model):
        raise ValueError(f"Sidan {page.url_path} finns redan som {type(page).__name__}, inte {model.__name__}.")
    if _differs(page, fields):
        for name, value in fields.items():
            setattr(page, name, value)
        revision = page.save_revision()
        if publish:
            revision.publish()
        else:
            page.save()
    return page, False


def root_page():
    return Page.get_first_root_node()
