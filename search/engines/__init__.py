"""The registry: which engine answers, and which one answers when it cannot, decided here from settings alone.

Elasticsearch answers when ELASTICSEARCH_URL is set, the embedded engine otherwise; the embedded engine is the
fallback when the cluster cannot answer (the search page then says so). The service, autocomplete, spelling
suggestions, the writer and `search_reindex` all reach the engines through these functions.
"""

from search.engines.base import FACETS, Engine, EngineResult, Hit, Rebuilt, SearchQuery, Unavailable
from search.engines.database import DatabaseEngine
from search.engines.elastic import ElasticEngine

__all__ = [
    "FACETS",
    "Engine",
    "EngineResult",
    "Hit",
    "Rebuilt",
    "SearchQuery",
    "Unavailable",
    "copies",
    "fallback",
    "primary",
    "search",
    "titles",
    "first_titles",
]

DATABASE = DatabaseEngine()
ELASTICSEARCH = ElasticEngine(titles_from=DATABASE)
# In order of preference: the first available answers.
ENGINES = (ELASTICSEARCH, DATABASE)


def primary() -> Engine:
    """The engine the settings choose."""
    return next(engine for engine in ENGINES if engine.available())


def fallback() -> Engine:
    """The engine that answers when the chosen one cannot: the database index, always there."""
    return DATABASE


def copies() -> list[Engine]:
    """The engines that keep a copy of the database index, to be told of changes and rebuilt with it."""
    return [engine for engine in (primary(),) if engine is not fallback()]


def _asking(method, *args):
    """(what the chosen engine answers, False), or (the fallback's answer, True) when it could not answer."""
    engine = primary()
    try:
        return getattr(engine, method)(*args), False
    except Unavailable:
        if engine is fallback():
            raise
        return getattr(fallback(), method)(*args), True


def search(query: SearchQuery) -> tuple[EngineResult, bool]:
    """The result of the query, and whether the fallback gave it."""
    return _asking("search", query)


def titles(prefix, principals, limit):
    return _asking("titles", prefix, principals, limit)[0]


def first_titles(principals, limit):
    return _asking("first_titles", principals, limit)[0]
