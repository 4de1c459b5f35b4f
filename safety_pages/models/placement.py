"""Where our top pages may be placed: under our own pages by default, under a host intranet's page types by setting.

A municipality that already runs its intranet on Wagtail publishes its safety
governance inside its own page tree (docs/install.md). Wagtail reads the
allowed parents from a class attribute; these page types read them from a
setting instead, at each call, so a host names its own page types without
subclassing ours, and a test can override the setting.
"""

from django.conf import settings
from wagtail.coreutils import resolve_model_string
from wagtail.models import Page


class ParentsFromSetting:
    """Allowed parent page types from the setting named `parent_page_types_setting`, else `parent_page_types`."""

    parent_page_types_setting = ""

    @classmethod
    def clean_parent_page_models(cls):
        names = getattr(settings, cls.parent_page_types_setting, None)
        if names is None:
            return super().clean_parent_page_models()
        models = [resolve_model_string(name, cls._meta.app_label) for name in names]
        for model in models:
            if not issubclass(model, Page):
                raise LookupError(f"{model} is not a Page subclass ({cls.parent_page_types_setting})")
        return models
