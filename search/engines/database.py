"""The embedded engine: the database index, ranked in Python.

One query fetches the postings of the query's terms for the entries the
reader may see (access is one IN clause on the principals table), with the
facet columns joined; scoring, facet filtering and facet counts then run in
Python over those rows, which stays fast on SQLite and PostgreSQL alike.
"""

from collections import Counter, defaultdict

from ..indexer import idf
from ..models import SearchEntry, SearchPrincipal, SearchTerm
from . import FACETS, EngineResult, Hit, SearchQuery, sort_key_date

FACET_COLUMNS = ("type", "forum", "section", "year", "tags", "status")


def readable(queryset, principals, prefix=""):
    """Narrow a queryset of entries (or of rows pointing at entries through `prefix`) to what the reader may see."""
    if principals is None:
        return queryset
    return queryset.filter(
        **{f"{prefix}id__in": SearchPrincipal.objects.filter(principal__in=list(principals)).values("entry_id")}
    )


def _facet_values(row):
    """{facet: list of values} of one candidate's facet columns."""
    type_, forum, section, year, tags, status = row
    return {
        "type": [type_],
        "forum": [forum] if forum else [],
        "section": [section] if section else [],
        "year": [year] if year else [],
        "tag": [t for t in tags.split("|") if t] if tags else [],
        "status": [status] if status else [],
    }


def _group_score(doc, group, weights):
    best = 0.0
    for term, query_weight in group.terms.items():
        if term in doc:
            best = max(best, query_weight * doc[term] * weights[term])
    if group.parts and all(part in doc for part in group.parts):
        parts = sum(doc[p] * weights[p] for p in group.parts) / len(group.parts)
        best = max(best, parts)
    return best


def score(doc, plan, weights):
    """Score of one entry (term -> posting weight) for a query plan, or 0 if it does not match enough words."""
    total, matched = 0.0, 0
    for clause in plan.clauses:
        best = 0.0
        for alternative in clause.alternatives:
            scores = [_group_score(doc, group, weights) for group in alternative]
            if all(scores):
                best = max(best, sum(scores) * clause.span / len(alternative))
        if best:
            total += best
            matched += clause.span
        elif clause.required:
            return 0.0
    if matched < plan.minimum_match:
        return 0.0
    words = sum(c.span for c in plan.clauses)
    return total * (matched / words) ** 2


def _candidates(query: SearchQuery):
    """(entry id -> (score, date, facet values, page_id, key)) of the entries matching the query text."""
    columns = [f"entry__{c}" for c in FACET_COLUMNS]
    plan = query.plan
    if plan.is_empty:
        rows = readable(SearchEntry.objects.all(), query.principals).values_list(
            "id", "date", "page_id", "key", *FACET_COLUMNS
        )
        return {row[0]: (0.0, row[1], _facet_values(row[4:]), row[2], row[3]) for row in rows}
    rows = readable(SearchTerm.objects.filter(term__in=sorted(plan.terms())), query.principals, "entry__").values_list(
        "entry_id", "term", "weight", "entry__date", "entry__page_id", "entry__key", *columns
    )
    docs = defaultdict(dict)
    meta = {}
    frequency = Counter()
    for entry_id, term, weight, date, page_id, key, *facets in rows:
        docs[entry_id][term] = weight
        frequency[term] += 1
        if entry_id not in meta:
            meta[entry_id] = (date, facets, page_id, key)
    if not docs:
        return {}
    count = max(SearchEntry.objects.count(), 1)
    weights = {term: idf(count, df) for term, df in frequency.items()}
    found = {}
    for entry_id, doc in docs.items():
        value = score(doc, plan, weights)
        if value > 0:
            date, facets, page_id, key = meta[entry_id]
            found[entry_id] = (value, date, _facet_values(facets), page_id, key)
    return found


def _passes(values, filters, skip=None):
    for name, wanted in filters.items():
        if name == skip or not wanted:
            continue
        if not wanted.intersection(values[name]):
            return False
    return True


def search(query: SearchQuery) -> EngineResult:
    candidates = _candidates(query)
    filters = {name: set(values) for name, values in query.filters.items() if values}
    facets = {}
    for name in FACETS:
        # A facet counts what the other filters leave, so a reader can widen their choice within it.
        counts = Counter()
        for _score, _date, values, _page, _key in candidates.values():
            if _passes(values, filters, skip=name):
                counts.update(values[name])
        facets[name] = counts
    matching = [(entry_id, c) for entry_id, c in candidates.items() if _passes(c[2], filters)]
    if query.plan.is_empty:
        matching.sort(key=lambda item: (sort_key_date(item[1][1]), -item[0]), reverse=True)
    else:
        matching.sort(key=lambda item: (-item[1][0], -sort_key_date(item[1][1]).toordinal(), item[0]))
    start = (query.page - 1) * query.per_page
    hits = [Hit(page_id=c[3], key=c[4], score=c[0]) for _id, c in matching[start : start + query.per_page]]
    return EngineResult(total=len(matching), hits=hits, facets=facets, engine="database")
