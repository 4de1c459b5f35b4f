from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyPagesConfig(AppConfig):
    name = "safety_pages"
    verbose_name = _("Trygghet och säkerhet")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import sanitise, signals  # noqa: F401  (connect their receivers)
