from django.core.management.base import BaseCommand
from django.db import connections

# Rows SQLite samples per index: keeps ANALYZE to a fraction of a second on a large file (SQLite's advice for
# periodic runs), while telling the planner which tables are large.
SQLITE_ANALYSIS_LIMIT = 1000


class Command(BaseCommand):
    help = (
        "Uppdaterar databasens statistik så att frågeplaneraren väljer rätt ordning (t.ex. att gå från de få "
        "protokollen i stället för alla sidor). Körs varje natt av cron och efter stora importer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Databasalias (standard: default).")

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # Without statistics SQLite takes every table to be equally large, and a listing of records
                # was planned as a scan of all pages; PostgreSQL's autovacuum keeps its own, ANALYZE refreshes them.
                cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Statistik uppdaterad ({connection.vendor})."))
