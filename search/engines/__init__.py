"""The two search engines behind one service: both take a `SearchQuery` and return an `EngineResult`."""

from collections import Counter
from dataclasses import dataclass, field

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
