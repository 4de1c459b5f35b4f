"""What every search engine offers the service, the autocomplete and the indexer, and the types they exchange.

The database index (search.models, written by search.index.writer) is where every page's entries are kept. An
engine answers queries from it: the embedded engine (engines.database) reads it directly; Elasticsearch
(engines.elastic) keeps a copy of it in a cluster, so it is told which pages changed (`sync`) and can build its
copy afresh (`rebuild`). Which engine answers, and which one answers when it cannot, is decided in one place:
`search.engines` (the registry).
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

FACETS = ("type", "forum", "section", "year", "tag", "status")


@dataclass
class SearchQuery:
    plan: object  # analysis.QueryPlan
    filters: dict  # facet name -> set of values (any of them; facets combine with AND)
    page: int = 1
    per_page: int = 20
    # None: may read everything (a superuser); otherwise the principals the reader holds.
    principals: frozenset | None = frozenset()


@dataclass
class Hit:
    page_id: int
    key: str
    score: float


@dataclass
class EngineResult:
    total: int
    hits: list
    facets: dict = field(default_factory=lambda: {name: Counter() for name in FACETS})
    engine: str = "database"


@dataclass
class Rebuilt:
    """What a rebuild made: the index it built and the documents in it."""

    index: str
    documents: int


class Unavailable(Exception):
    """The engine could not answer: searches fall back to another engine, writes to it become pending."""


class Engine(Protocol):
    # Told apart in results and the API ("database", "elasticsearch").
    name: str
    # Named so in messages to the operator (the management commands speak Swedish).
    label: str

    def available(self) -> bool:
        """Whether this deployment uses the engine (its settings). Cheap: an outage shows as `Unavailable` when
        the engine is asked, not by a probe before every query."""

    def describe(self) -> str:
        """The engine and where it is, for a message saying it failed."""

    def search(self, query: SearchQuery) -> EngineResult:
        """The total, the requested page of hits best first and one count per facet (each facet counted under the
        other facets' filters), of the entries the query's principals may read. Raises Unavailable."""

    def titles(self, prefix: str, principals: frozenset | None, limit: int) -> list[tuple[str, str, str]]:
        """(title, url, type label) of at most `limit` pages the reader may see whose folded title begins with
        `prefix`, then of those with a later word beginning with it: for autocomplete and spelling suggestions."""

    def first_titles(self, principals: frozenset | None, limit: int) -> list[str]:
        """The titles of the first `limit` entries of the index the reader may see (paragraphs and attachments
        too): the vocabulary spelling suggestions start from."""

    def sync(self, page_ids: list[int]) -> bool:
        """Bring the engine's entries of these pages (changed or removed alike) in step with the database index.
        Never raises for an outage: the pages are kept pending instead (False)."""

    def replay_pending(self) -> tuple[int, int]:
        """Sync the pages an outage left pending: (replayed, still pending)."""

    def rebuild(self) -> Rebuilt:
        """Build the engine's copy of the whole database index afresh. Raises Unavailable."""
