"""The embedded engine: the database index, ranked in Python.

One query fetches the postings of the query's terms for the entries the
reader may see (access is one IN clause on the principals table), with the
facet columns joined; scoring, facet filtering and facet counts then run in
Python over those rows, which stays fast on SQLite and PostgreSQL alike.
"""

import heapq
from collections import Counter
from itertools import chain

from django.db import connection
from django.db.models import Count

from .. import ranking
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


def _compile(plan, idfs):
    """Turn a plan into SQL score slots and the clause structure that reads them.

    A slot is one column of the aggregated query: the best (MAX) weighted
    posting of an entry among a set of terms. A word's alternatives share one
    slot; each compound part has its own, since all parts must be present.
    """
    slots, index = [], {}

    def slot(pairs):
        key = tuple(sorted(pairs))
        if key not in index:
            index[key] = len(slots)
            slots.append(key)
        return index[key]

    clauses = []
    for clause in plan.clauses:
        alternatives = []
        for alternative in clause.alternatives:
            groups = []
            for group in alternative:
                own = slot([(t, w * idfs.get(t, 0.0)) for t, w in group.terms.items()])
                parts = [slot([(p, idfs.get(p, 0.0))]) for p in group.parts]
                groups.append((own, parts))
            alternatives.append(groups)
        clauses.append((clause.required, clause.span, alternatives))
    return slots, clauses


def score(values, clauses, minimum_match, words):
    """Score of one entry from its slot values, or 0 if it does not match enough words."""
    total, matched = 0.0, 0
    for required, span, alternatives in clauses:
        best = 0.0
        for groups in alternatives:
            scores = []
            for own, parts in groups:
                value = values[own]
                if parts and all(values[p] for p in parts):
                    value = max(value, sum(values[p] for p in parts) / len(parts))
                if not value:
                    break
                scores.append(value)
            else:
                best = max(best, sum(scores) * span / len(groups))
        if best:
            total += best
            matched += span
        elif required:
            return 0.0
    if matched < minimum_match:
        return 0.0
    return total * (matched / words) ** 2


def simple_scorer(clauses, minimum_match, words):
    """`score` for the common plan of plain words (no synonyms, no compound parts), or None for other plans.

    Same result as `score`, without its general loops: most queries are this
    shape, and a common word makes the score run for tens of thousands of rows.
    """
    if not all(
        span == 1 and len(alternatives) == 1 and len(alternatives[0]) == 1 and not alternatives[0][0][1]
        for _required, span, alternatives in clauses
    ):
        return None
    owns = [alternatives[0][0][0] for _required, _span, alternatives in clauses]
    required = [alternatives[0][0][0] for is_required, _span, alternatives in clauses if is_required]

    def fast(values):
        present = [values[own] for own in owns if values[own]]
        if len(present) < minimum_match or not all(values[r] for r in required):
            return 0.0
        return sum(present) * (len(present) / words) ** 2

    return fast


def _access_sql(principals):
    if principals is None:
        return "", []
    if not principals:
        return " WHERE 1 = 0", []
    marks = ", ".join(["%s"] * len(principals))
    table = SearchPrincipal._meta.db_table
    return f" WHERE e.id IN (SELECT entry_id FROM {table} WHERE principal IN ({marks}))", sorted(principals)


def _candidates(query: SearchQuery):
    """(entry id -> (score, date, facet values, page_id, key, title)) of the entries matching the query text."""
    plan = query.plan
    if plan.is_empty:
        rows = readable(SearchEntry.objects.all(), query.principals).values_list(
            "id", "date", "page_id", "key", *FACET_COLUMNS
        )
        return {row[0]: (0.0, row[1], _facet_values(row[4:]), row[2], row[3], "") for row in rows}
    terms = sorted(plan.terms())
    frequency = dict(
        SearchTerm.objects.filter(term__in=terms).values("term").annotate(n=Count("id")).values_list("term", "n")
    )
    if not frequency:
        return {}
    count = max(SearchEntry.objects.count(), 1)
    idfs = {term: idf(count, df) for term, df in frequency.items()}
    slots, clauses = _compile(plan, idfs)
    columns, params = [], []
    for number, pairs in enumerate(slots):
        cases = " ".join("WHEN %s THEN weight * %s" for _pair in pairs)
        columns.append(f"MAX(CASE term {cases} ELSE 0 END) AS s{number}")
        for term, coefficient in pairs:
            params.extend([term, float(coefficient)])
    present = sorted(frequency)
    marks = ", ".join(["%s"] * len(present))
    access, access_params = _access_sql(query.principals)
    facet_columns = ", ".join(f"e.{c}" for c in ("date", "page_id", "key", *FACET_COLUMNS, "title"))
    sql = (
        f"SELECT e.id, {facet_columns}, {', '.join(f's.s{n}' for n in range(len(slots)))} "
        f"FROM (SELECT entry_id, {', '.join(columns)} FROM {SearchTerm._meta.db_table} "
        f"WHERE term IN ({marks}) GROUP BY entry_id) s "
        f"JOIN {SearchEntry._meta.db_table} e ON e.id = s.entry_id{access}"
    )
    words = sum(c.span for c in plan.clauses)
    minimum = plan.minimum_match
    found = {}
    fast = simple_scorer(clauses, minimum, words)
    with connection.cursor() as cursor:
        cursor.execute(sql, params + present + access_params)
        for row in cursor.fetchall():
            value = fast(row[11:]) if fast else score(row[11:], clauses, minimum, words)
            if value > 0:
                found[row[0]] = (value, row[1], _facet_values(row[4:10]), row[2], row[3], row[10])
    return found


def _order(item):
    return (-item[1][0], -sort_key_date(item[1][1]).toordinal(), item[0])


def _top(matching, shown):
    """The first `shown` items by score (then newest, then id), without sorting all of them."""
    if len(matching) > shown:
        threshold = heapq.nlargest(shown, (item[1][0] for item in matching))[-1]
        matching = [item for item in matching if item[1][0] >= threshold]
    return sorted(matching, key=_order)[:shown]


def _with_title_coverage(matching, query):
    """The hits up to the requested page, ranked with `ranking.title_factor`.

    Only hits that could still reach the page are looked at: a hit below the
    page's last base score divided by the largest factor stays below it after
    any factor, so analysing its title would change nothing shown.
    """
    shown = min(len(matching), query.page * query.per_page)
    if not shown:
        return []
    cutoff = heapq.nlargest(shown, (item[1][0] for item in matching))[-1] / ranking.MAX_FACTOR
    for position, (entry_id, candidate) in enumerate(matching):
        if candidate[0] < cutoff:
            continue
        factor = ranking.title_factor(query.plan, candidate[5])
        if factor != 1.0:
            matching[position] = (entry_id, (candidate[0] * factor, *candidate[1:]))
    return _top(matching, shown)


def search(query: SearchQuery) -> EngineResult:
    candidates = _candidates(query)
    filters = {name: set(values) for name, values in query.filters.items() if values}
    facets = {name: Counter() for name in FACETS}
    matching = []
    if not filters:
        # Nothing to leave out: every candidate counts in every facet, counted in one pass per facet.
        matching = list(candidates.items())
        for name in FACETS:
            facets[name] = Counter(chain.from_iterable(c[2][name] for c in candidates.values()))
    for entry_id, candidate in candidates.items() if filters else ():
        values = candidate[2]
        failed = [name for name, wanted in filters.items() if not wanted.intersection(values[name])]
        if not failed:
            matching.append((entry_id, candidate))
            for name in FACETS:
                facets[name].update(values[name])
        elif len(failed) == 1:
            # A facet counts what the other filters leave, so a reader can widen their choice within it.
            facets[failed[0]].update(values[failed[0]])
    total = len(matching)
    if query.plan.is_empty:
        matching.sort(key=lambda item: (sort_key_date(item[1][1]), -item[0]), reverse=True)
    else:
        matching = _with_title_coverage(matching, query)
    start = (query.page - 1) * query.per_page
    hits = [Hit(page_id=c[3], key=c[4], score=c[0]) for _id, c in matching[start : start + query.per_page]]
    return EngineResult(total=total, hits=hits, facets=facets, engine="database")
