"""The registry: which engine answers, and which one answers when it cannot, decided here from settings alone.

Elasticsearch answers when ELASTICSEARCH_URL is set, the embedded engine otherwise; the embedded engine is the
fallback when the cluster cannot answer (the search page then says so). The service, autocomplete, spelling
suggestions, the writer and `search_reindex` all reach the engines through these functions.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connection

from search.engines.base import FACETS, Engine, EngineResult, Hit, Rebuilt, SearchQuery, Unavailable
from search.engines.database import DatabaseEngine, snapshot
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
    "warm_start",
]

logger = logging.getLogger(__name__)

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


# How a new app server warms the embedded engine (settings.SEARCH_WARM_START).
BLOCKING, BACKGROUND = "blocking", "background"


def warm_start(mode=None):
    """Warm the embedded engine of a new app server (the WSGI module calls this): its snapshot and its commonest
    terms' postings read before its first search, as far as `settings.SEARCH_WARM_POSTINGS` allows.

    `blocking` reads them now: a gunicorn worker loads the WSGI module before it takes a request, so no request
    waits (with gunicorn's preload_app the master reads them once and its workers share the pages until they
    change). `background` reads them in a thread, so that `runserver` starts at once; a search meanwhile waits
    for at most one read of a few terms. Any other value, or Elasticsearch answering, reads nothing. Returns the
    thread of a background warm-up."""
    mode = getattr(settings, "SEARCH_WARM_START", BLOCKING) if mode is None else mode
    if mode not in (BLOCKING, BACKGROUND) or primary() is not DATABASE:
        return None
    if mode == BLOCKING:
        _warm()
        return None
    thread = threading.Thread(target=_warm, name="search-warm-start", daemon=True)
    thread.start()
    return thread


def _warm():
    started = time.perf_counter()
    try:
        entries, terms, postings = snapshot.warm(getattr(settings, "SEARCH_WARM_POSTINGS", 4_000_000))
    except Exception:
        # A new app server without its warm start answers all the same, only its first searches slower.
        logger.exception("Sökningens index kunde inte läsas in i förväg")
        return
    finally:
        # The thread's own connection (a background warm-up), or the one a preloading master would hand its
        # workers: neither is wanted after this. Not a caller's transaction's (a test's), which is still in use.
        if not connection.in_atomic_block:
            connection.close()
    logger.info(
        "Sökningens index inläst i förväg på %.0f ms: %s träffar, postningarna för %s termer (%s)",
        (time.perf_counter() - started) * 1000,
        entries,
        terms,
        postings,
    )
