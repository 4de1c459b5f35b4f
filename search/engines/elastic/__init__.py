"""The Elasticsearch engine (when ELASTICSEARCH_URL is set): a copy of the database index in a cluster.

client: the connection; mapping: the index's fields and Swedish analysis; sync: the copy kept in step with the
database index (pending while the cluster is down); query: searches built from the embedded engine's query plan.
"""

from django.conf import settings

from search.engines.base import Engine, EngineResult, Rebuilt, SearchQuery, Unavailable
from search.engines.elastic import client, query, sync


class ElasticEngine:
    name = "elasticsearch"
    label = "Elasticsearch"

    def __init__(self, titles_from: Engine):
        # Titles are answered from the database index the cluster is fed from, as before the engines shared one
        # interface: its partial index of page titles answers a keystroke without a round trip to the cluster.
        self._titles = titles_from

    def available(self) -> bool:
        return client.configured()

    def describe(self):
        return f"{self.label} på {settings.ELASTICSEARCH_URL}"

    def search(self, search_query: SearchQuery) -> EngineResult:
        return query.search(search_query)

    def titles(self, prefix, principals, limit):
        return self._titles.titles(prefix, principals, limit)

    def first_titles(self, principals, limit):
        return self._titles.first_titles(principals, limit)

    def sync(self, page_ids) -> bool:
        return sync.sync_pages(page_ids)

    def replay_pending(self):
        return sync.replay_pending()

    def rebuild(self) -> Rebuilt:
        try:
            name, documents = sync.rebuild()
        except client.ERRORS as error:
            raise Unavailable(str(error)) from error
        return Rebuilt(index=name, documents=documents)
