"""The embedded engine: the database index itself, queried over the snapshot each app server holds in memory.

It reads what the writer (search.index.writer) writes, in the same database: there is no copy to keep in step, so
`sync` and `rebuild` have nothing to send, and it is always available (it is every other engine's fallback).
"""

from search.engines.base import EngineResult, Rebuilt, SearchQuery
from search.engines.database import query, snapshot
from search.models import SearchEntry


class DatabaseEngine:
    name = "database"
    label = "Databasens index"

    def available(self) -> bool:
        return True

    def describe(self):
        return self.label

    def search(self, search_query: SearchQuery) -> EngineResult:
        return query.search(search_query)

    def titles(self, prefix, principals, limit):
        return query.titles(prefix, principals, limit)

    def first_titles(self, principals, limit):
        return query.first_titles(principals, limit)

    def sync(self, page_ids) -> bool:
        # The writer's transaction wrote these pages' entries here; the snapshots read the change log by themselves.
        return True

    def replay_pending(self):
        return 0, 0

    def rebuild(self) -> Rebuilt:
        # The writer rebuilt the index; this process's snapshot is read again at the next search.
        snapshot.forget()
        return Rebuilt(index=self.name, documents=SearchEntry.objects.count())
