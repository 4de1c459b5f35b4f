"""The embedded engine's queries: the database index, ranked and counted over the snapshot each app server holds in
memory.

A query reads its terms' document frequencies from the term statistics (kept by search.index.statistics), brings
the snapshot up to date (engines.database.snapshot: one lookup in the change log when nothing changed) and takes
the postings of its terms from it (from the database, for terms no recent query asked for). Over arrays as long as
the index: each query word's score from its postings, the plan's rules for combining words (every word of an
alternative, the best alternative of a clause, required clauses, enough words), the title-coverage factor
(search.ranking), what the reader may see (their reader sets) and the filters; then the total, one count per facet
and the requested page of hits, best first. A common word matching most of the index costs a few passes over
arrays, not an aggregate over its postings in SQL (docs/ has the figures).
"""

import numpy as np
from django.db import connection

from search import analysis, ranking
from search.engines.base import FACETS, EngineResult, Hit, SearchQuery
from search.engines.database import snapshot
from search.index import statistics
from search.models import ReaderSetPrincipal, SearchEntry, held_back_pages, quoted_table


def _readable_sets(principals):
    """The ids of the reader sets holding one of these principals: the one access rule of the index."""
    return ReaderSetPrincipal.objects.filter(principal__in=sorted(principals)).values("reader_set_id")


def readable(queryset, principals):
    """Narrow a queryset of entries to what the reader may see (None: a superuser, who sees everything)."""
    if principals is None:
        return queryset
    return queryset.filter(reader_set__in=_readable_sets(principals))


class _Columns:
    """Per-entry arrays computed from the postings, each once however often the plan uses it.

    A score is the best weighted posting of an entry among a set of terms (a word's alternatives share one; each
    compound part has its own, since all parts must be present); 0 where the entry holds none of them.
    """

    def __init__(self, postings, size):
        self._postings, self._size = postings, size
        self._scores, self._titles = {}, {}

    def score(self, pairs):
        key = tuple(sorted(pairs))
        if key not in self._scores:
            values = np.zeros(self._size)
            for term, coefficient in key:
                found = self._postings.get(term)
                if found is not None:
                    at = found.positions
                    values[at] = np.maximum(values[at], found.weights * coefficient)
            self._scores[key] = values
        return self._scores[key]

    def in_title(self, terms):
        """Whether one of these terms is in the entry's title."""
        key = frozenset(terms)
        if key not in self._titles:
            covered = np.zeros(self._size, np.bool_)
            for term in key:
                found = self._postings.get(term)
                if found is not None:
                    covered[found.positions[found.in_title]] = True
            self._titles[key] = covered
        return self._titles[key]


def _group(group, columns, idfs):
    """(score, title coverage) of one query word."""
    own = columns.score([(t, w * idfs.get(t, 0.0)) for t, w in group.terms.items()])
    covered = columns.in_title(group.terms)
    if not group.parts:
        return own, covered
    parts = [columns.score([(p, idfs.get(p, 0.0))]) for p in group.parts]
    all_parts = np.logical_and.reduce([p > 0 for p in parts])
    average = sum(parts) / float(len(parts))
    in_title = np.logical_and.reduce([columns.in_title([p]) for p in group.parts])
    return np.where(all_parts, np.maximum(own, average), own), covered | in_title


def _scored(plan, columns, idfs):
    """(base score, title covered, matches) per entry, by the rules of the query plan: every word of an alternative
    must match, a clause takes its best alternative, required clauses must match, at least `minimum_match` words
    must, and the sum is scaled by the square of the share of words matched."""
    if len(plan.clauses) == 1 and plan.clauses[0].span == 1 and len(plan.clauses[0].alternatives) == 1:
        (only,) = plan.clauses[0].alternatives
        if len(only) == 1:
            base, covered = _group(only[0], columns, idfs)
            return base, covered, base > 0
    total, matched, covered, required = 0.0, 0, True, True
    for clause in plan.clauses:
        if clause.place:
            # A place adds its score only: it decides neither the match nor the title coverage (analysis._places).
            total = total + analysis.PLACE_WEIGHT * _group(clause.alternatives[0][0], columns, idfs)[0]
            continue
        best, clause_covered = 0.0, False
        for alternative in clause.alternatives:
            words = [_group(group, columns, idfs) for group in alternative]
            all_match = np.logical_and.reduce([value > 0 for value, _covered in words])
            share = clause.span / len(words)
            best = np.maximum(best, np.where(all_match, sum(value for value, _covered in words) * share, 0.0))
            clause_covered = clause_covered | np.logical_and.reduce([c for _value, c in words])
        total = total + best
        matched = matched + np.where(best > 0, clause.span, 0)
        covered = covered & clause_covered
        if clause.required:
            required = required & (best > 0)
    words = float(sum(c.span for c in plan.clauses if not c.place))
    base = total * (matched / words) * (matched / words)
    return base, covered, (matched >= plan.minimum_match) & required & (base > 0)


def _intents(boosts, columns, idfs):
    """The factor a question's intents (or the places it names) add to each entry's score (search.analysis.Boost):
    they lift the hits holding the facts asked for and never decide what is a hit."""
    factor = 0.0
    for boost in boosts:
        holds = np.logical_or.reduce([_group(group, columns, idfs)[0] > 0 for group in boost.groups])
        factor = factor + np.where(holds, boost.weight, 0.0)
    return factor


def _visible(index, principals):
    if principals is None:
        return index.readable(None)
    if not principals:
        return np.zeros(index.size, np.bool_)
    return index.readable(list(_readable_sets(principals).values_list("reader_set_id", flat=True)))


def _filter_masks(index, filters):
    """{facet: which entries have one of the values wanted}, for the facets filtered."""
    masks = {}
    for name, wanted in filters.items():
        if not wanted:
            continue
        codes = index.codes[name].codes(wanted)
        if name == "tag":
            mask = np.zeros(index.size, np.bool_)
            mask[index.tag_positions[np.isin(index.tag_codes, codes)]] = True
        else:
            mask = np.isin(index.facets[name], codes)
        masks[name] = mask
    return masks


def _counts(index, name, mask):
    """{value: entries} of one facet among the entries of `mask` (the empty value is not counted)."""
    if name == "tag":
        codes = index.tag_codes[mask[index.tag_positions]]
    else:
        codes = index.facets[name][mask]
    counts = np.bincount(codes, minlength=len(index.codes[name].values))
    values = index.codes[name].values
    return {values[code]: int(counts[code]) for code in np.flatnonzero(counts) if code}


def _page(index, positions, rank, first, count):
    """The positions of hits first..first+count among `positions`: best first, then newest, then in index order
    (an empty query lists newest first). Only the contenders for the page are sorted, not every match."""
    wanted = first + count
    if len(positions) > wanted:
        ranks = rank[positions]
        cut = np.partition(ranks, len(ranks) - wanted)[len(ranks) - wanted]
        better, tied = positions[ranks > cut], positions[ranks == cut]
        if len(better) + len(tied) > wanted:
            tied = tied[np.argpartition(_order(index, tied), wanted - len(better) - 1)[: wanted - len(better)]]
        positions = np.concatenate([better, tied])
    ordered = positions[np.lexsort((_order(index, positions), -rank[positions]))]
    return ordered[first:wanted]


def _order(index, positions):
    """Newest first, undated last, then by id: one number per entry, smaller first."""
    dates = index.dates[positions].astype(np.int64)
    newest = np.where(dates == snapshot.NO_DATE, 1 << 22, (1 << 21) - dates)
    return (newest << 40) | index.ids[positions]


def _access(principals, reader_set="e.reader_set_id"):
    """The condition on entry `e` that the reader may see it (its reader set given by that expression)."""
    if principals is None:
        return "1 = 1", []
    if not principals:
        return "1 = 0", []
    readers, params = _readable_sets(principals).query.sql_with_params()
    return f"{reader_set} IN ({readers})", list(params)


def titles(prefix, principals, limit):
    """(title, url, type label) of the pages the reader may see whose folded title begins with `prefix`, then of
    those with a later word beginning with it, each in the order of their folded titles: at most `limit` in all.

    Autocomplete asks at every keystroke. Each half reads the partial index of page titles in its order, tests the
    title and the reader set on the index entries and stops at the matches it needs, so a common prefix costs a few
    index pages and a rare one a pass over the page titles (not over every paragraph's row). `prefix` is compared as
    analysis.title_words gives it, which is how the titles are stored: folded words and single spaces, so none of
    LIKE's wildcards or its escape character (nothing is looked up when no word is left).
    """
    prefix = analysis.title_words(prefix[:200])[:100]
    if not prefix:
        return []
    # Unary plus keeps SQLite from looking the entries up by reader set (most of them share the employees' one)
    # and sorting them, when the index of titles gives them in order; PostgreSQL reads it as the same number.
    access, access_params = _access(principals, reader_set="+e.reader_set_id")
    held = held_back_pages()
    if held:
        # Written out only when some page is held back, so the usual statement stays the one the index answers.
        access = f"{access} AND e.page_id NOT IN ({', '.join(['%s'] * len(held))})"
        access_params = [*access_params, *held]
    entries = quoted_table(SearchEntry)
    begins = (f"{prefix}%",)
    halves = [
        ("e.title_folded LIKE %s", begins),
        ("e.title_folded LIKE %s AND e.title_folded NOT LIKE %s", (f"% {prefix}%", *begins)),
    ]
    found = []
    with connection.cursor() as cursor:
        for condition, params in halves:
            if len(found) >= limit:
                break
            # `key = ''` is written out, not a parameter: a database uses a partial index for a condition it sees.
            cursor.execute(
                f"SELECT t.title, t.url, t.type_label, t.title_folded FROM {entries} t WHERE t.id IN "
                f"(SELECT e.id FROM {entries} e WHERE e.key = '' AND {access} AND {condition} "
                f"ORDER BY e.title_folded LIMIT %s)",
                [*access_params, *params, limit - len(found)],
            )
            found.extend(sorted(cursor.fetchall(), key=lambda row: (row[3], row[0])))
    return [row[:3] for row in found]


def first_titles(principals, limit):
    """The titles of the first `limit` entries the reader may see, in the index's order."""
    entries = readable(SearchEntry.objects.exclude(page_id__in=held_back_pages()), principals)
    return list(entries.values_list("title", flat=True)[:limit])


def search(query: SearchQuery) -> EngineResult:
    result = EngineResult(total=0, hits=[], engine="database")
    if query.plan.is_empty and query.plan.text.strip():
        # Only punctuation or stop words: nothing to look for (an empty box lists everything instead).
        result.facets = {name: {} for name in FACETS}
        return result
    if not query.plan.is_empty:
        idfs = statistics.idfs(query.plan.terms())
        if not idfs:
            return result
    with snapshot.snapshot() as index:
        if query.plan.is_empty:
            rank, matches = np.zeros(index.size), index.readable(None)
        else:
            columns = _Columns(index.postings_of(sorted(idfs)), index.size)
            base, covered, matches = _scored(query.plan, columns, idfs)
            title = np.where(covered, float(ranking.TITLE_BOOST) * index.title_inverse, 0.0)
            rank = base * (1 + title + _intents(query.plan.boosts, columns, idfs))
            # A place the query names multiplies what the rest gives (search.analysis.PLACE_BOOST).
            rank = rank * (1 + _intents(query.plan.places, columns, idfs))
        matches &= _visible(index, query.principals)
        held = held_back_pages()
        if held:
            # Pages a fault kept the indexer from removing or rewriting: their entries may be stale (fail closed).
            matches &= ~np.isin(index.page_ids, held)
        masks = _filter_masks(index, query.filters)
        # A facet counts what the other filters leave, so a reader can widen their choice within it.
        for name in FACETS:
            within = matches
            for other, mask in masks.items():
                if other != name:
                    within = within & mask
            result.facets[name].update(_counts(index, name, within))
        for mask in masks.values():
            matches = matches & mask
        positions = np.flatnonzero(matches)
        result.total = len(positions)
        page = _page(index, positions, rank, (query.page - 1) * query.per_page, query.per_page)
        found = [(int(index.ids[p]), float(rank[p])) for p in page]
    # Read from the rows, which also leaves out an entry deleted since the snapshot was brought up to date.
    rows = SearchEntry.objects.filter(pk__in=[i for i, _rank in found]).values_list("pk", "page_id", "key")
    names = {pk: (page_id, key) for pk, page_id, key in rows}
    result.hits = [Hit(page_id=names[i][0], key=names[i][1], score=r) for i, r in found if i in names]
    return result
