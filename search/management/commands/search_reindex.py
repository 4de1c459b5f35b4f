"""Rebuild the search index: `search_reindex` (database index, then a fresh Elasticsearch index behind the alias)
or `search_reindex --pending` (replay the changes Elasticsearch missed while it was unreachable)."""

import time

from django.core.management.base import BaseCommand, CommandError

from search import indexer
from search.engines import elastic


class Command(BaseCommand):
    help = "Bygger om sökindexet, eller spelar upp ändringar som väntar på Elasticsearch (--pending)."

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="Skicka bara väntande ändringar till Elasticsearch.")
        parser.add_argument("--database-only", action="store_true", help="Bygg bara om databasens index.")

    def handle(self, *args, pending=False, database_only=False, **options):
        if pending:
            if not elastic.configured():
                raise CommandError("ELASTICSEARCH_URL är inte satt: det finns inget att spela upp mot.")
            replayed, left = elastic.replay_pending()
            if left:
                raise CommandError(f"Elasticsearch svarar inte: {left} sidor väntar fortfarande.")
            self.stdout.write(f"{replayed} väntande sidor skickade till Elasticsearch.")
            return
        started = time.perf_counter()
        count = indexer.rebuild()
        self.stdout.write(f"Databasens index: {count} sidor på {time.perf_counter() - started:.1f} s.")
        if database_only or not elastic.configured():
            return
        try:
            name, documents = elastic.rebuild()
        except (elastic.TransportError, elastic.ApiError) as error:
            raise CommandError(f"Elasticsearch på {elastic.settings.ELASTICSEARCH_URL}: {error}") from error
        self.stdout.write(f"Elasticsearch: {documents} dokument i {name}, aliaset pekar nu dit.")
