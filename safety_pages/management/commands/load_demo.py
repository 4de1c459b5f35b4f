from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safety_pages.demo import STEPS, DemoContext
from safety_pages.demo.users import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Bygger demosajten från fixtures/ (kan köras igen utan att något ändras)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            default=str(settings.BASE_DIR / "fixtures" / "demo"),
            help="Mapp med demodata (standard: fixtures/demo).",
        )

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_LOADER_ALLOWED", True):
            raise CommandError(
                "load_demo får inte köras med produktionsinställningarna: demoanvändarna har kända lösenord."
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
