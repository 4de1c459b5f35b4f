from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyPagesConfig(AppConfig):
    name = "safety_pages"
    verbose_name = _("Trygghet och säkerhet")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Receivers are connected here, once every model is loaded; no module connects any on import.
        # Imported here because these modules import the models, which cannot load before the app registry.
        from safety_pages.access import signals as access_signals  # noqa: PLC0415
        from safety_pages.editing import comparisons, sanitise  # noqa: PLC0415
        from safety_pages.following import digests  # noqa: PLC0415
        from safety_pages.models import generation  # noqa: PLC0415
        from safety_pages.organisation import signals  # noqa: PLC0415

        sanitise.connect()
        comparisons.register()
        generation.connect_generation()
        signals.connect()
        access_signals.kallelse_sent.connect(digests.notify_kallelse, dispatch_uid="following.notify_kallelse")
