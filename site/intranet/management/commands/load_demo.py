"""`manage.py load_demo`: the demo site of the project, refused unless the settings allow it."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from intranet.demo import STEPS, DemoContext
from intranet.demo.users import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Bygger demosajten från fixtures/ (kan köras igen utan att något ändras)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            default=str(settings.BASE_DIR / "fixtures" / "demo"),
            help="Mapp med demodata (standard: fixtures/demo).",
        )

    def handle(self, *args, **options):
        # Refused unless the settings say otherwise: settings that forget the flag must not open the demo logins.
        if not getattr(settings, "INTRANET_DEMO_ALLOWED", False):
            raise CommandError(
                "load_demo får inte köras med de här inställningarna: demoanvändarna har kända lösenord. "
                "Demosajten laddas bara där INTRANET_DEMO_ALLOWED = True (utvecklings- och testinställningarna), "
                "aldrig i produktion."
            )
        context = DemoContext(fixtures_dir=Path(options["fixtures"]))
        if not (context.fixtures_dir / "site.json").exists():
            raise CommandError(f"{context.fixtures_dir / 'site.json'}: filen saknas.")
        with transaction.atomic():
            for step in STEPS:
                step(context)
        self.stdout.write(self.style.SUCCESS("Demosajten är klar."))
        self.stdout.write(f"Demoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for username, description in context.logins:
            self.stdout.write(f"  {username:<12} {description}")
