"""Rich text that reaches the database by another road than the editor is cleaned on save.

The admin's editor (Draftail) already round-trips rich text through its
contentstate format, which keeps only the field's features. Imports, the demo
loader and code can write HTML straight into a RichTextField, so a page's rich
text fields are cleaned the same way on save when they contain anything that
could run script. Clean HTML is left byte for byte as it is (the demo loader
compares it to decide whether a page changed).
"""

import re

from django.db.models.signals import pre_save
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import features as feature_registry

# Anything that can carry script in HTML: script-bearing elements, event attributes, script URLs.
_DANGEROUS = re.compile(
    r"<\s*/?\s*(script|style|iframe|object|embed|svg|math|form|input|button|link|meta|base)\b"
    r"|\son[a-z]+\s*=|(java|vb)script\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)


def needs_cleaning(html):
    return bool(html) and bool(_DANGEROUS.search(html))


def clean_rich_text(html, features=None):
    """The HTML the editor would store for `html`: only the field's features survive."""
    if not needs_cleaning(html):
        return html
    converter = ContentstateConverter(features or feature_registry.get_default_features())
    return converter.to_database_format(converter.from_database_format(html))


def clean_page_rich_text(sender, instance, **kwargs):
    if not isinstance(instance, Page):
        return
    for field in instance._meta.concrete_fields:
        if isinstance(field, RichTextField):
            value = getattr(instance, field.attname)
            if needs_cleaning(value):
                setattr(instance, field.attname, clean_rich_text(value, field.features))


def connect():
    """Clean on every save (from `ready()`): a page type's save goes through its own sender class."""
    pre_save.connect(clean_page_rich_text, dispatch_uid="sanitise-page-rich-text")
