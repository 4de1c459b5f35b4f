"""Rebuild the search index: `search_reindex` (the database index, then each engine's copy of it, e.g. a fresh
Elasticsearch index behind the alias) or `search_reindex --pending` (write the pages a failed index write held back
from search, then replay the changes an engine missed while it was unreachable)."""

import time

from django.core.management.base import BaseCommand, CommandError

from search import engines
from search.index import writer
from search.models import held_back_pages


class Command(BaseCommand):
    help = "Bygger om sökindexet, eller spelar upp ändringar som väntar på Elasticsearch (--pending)."

    def add_arguments(self, parser):
        parser.add_argument("--pending", action="store_true", help="Skicka bara väntande ändringar till Elasticsearch.")
        parser.add_argument("--database-only", action="store_true", help="Bygg bara om databasens index.")

    def handle(self, *args, pending=False, database_only=False, **options):
        if pending:
            self._replay()
            return
        started = time.perf_counter()
        count = writer.rebuild()
        self.stdout.write(f"Databasens index: {count} sidor på {time.perf_counter() - started:.1f} s.")
        if database_only:
            return
        for engine in engines.copies():
            try:
                rebuilt = engine.rebuild()
            except engines.Unavailable as error:
                raise CommandError(f"{engine.describe()}: {error}") from error
            self.stdout.write(f"{engine.label}: {rebuilt.documents} dokument i {rebuilt.index}, aliaset pekar nu dit.")

    def _replay(self):
        # First the pages a failed index write held back from search (hidden until written): in the database index.
        written = writer.retry_held_back()
        left = len(held_back_pages())
        if written:
            self.stdout.write(f"{written} sidor som hölls undan sökningen är indexerade igen.")
        if left:
            raise CommandError(f"{left} sidor kunde fortfarande inte indexeras och hålls undan sökningen.")
        copies = engines.copies()
        if not copies and written:
            return
        if not copies:
            raise CommandError("ELASTICSEARCH_URL är inte satt: det finns inget att spela upp mot.")
        for engine in copies:
            replayed, left = engine.replay_pending()
            if left:
                raise CommandError(f"{engine.label} svarar inte: {left} sidor väntar fortfarande.")
            self.stdout.write(f"{replayed} väntande sidor skickade till {engine.label}.")
