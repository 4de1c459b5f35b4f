import datetime

from django.core.management.base import BaseCommand, CommandError

from safety_pages.organisation.local_roles import sync_all_forum_readers


class Command(BaseCommand):
    help = (
        "Ställer varje forums läsargrupp i takt med dess aktiva medlemskap. Körs varje natt av cron, "
        "så att nya ledamöter får läsa från första dagen och avgångna förlorar rätten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Dag att räkna medlemskap för (ÅÅÅÅ-MM-DD), standard i dag.")

    def handle(self, *args, **options):
        on = None
        if options["date"]:
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date {options['date']}: ogiltigt datum, skriv ÅÅÅÅ-MM-DD.") from error
        results = sync_all_forum_readers(on)
        changed = [(forum, added, removed) for forum, added, removed in results if added or removed]
        for forum, added, removed in changed:
            self.stdout.write(f"{forum.title} ({forum.url_path}): +{added} −{removed}")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} forum kontrollerade, {len(changed)} ändrade."))
