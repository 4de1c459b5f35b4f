"""The embedded engine: the database index, ranked and counted in SQL.

A query is one statement, after one lookup of its terms' document frequencies
in the term statistics (search.statistics). The postings of the query's terms
are aggregated per entry into score slots (read from a covering index, never
the table; only for the entries holding a rare word when every match must),
scored by the plan's rules and the title-coverage factor (search.ranking),
narrowed to what the reader may see (an IN over the few reader sets they belong to)
and to the filters; from that set the statement returns the total, one
GROUP BY per facet and the requested page of hits. Python compiles the
statement and reads a few hundred rows, however many entries match: a common
word matching most of the index costs what the database needs to count it.
"""

from contextlib import nullcontext

from django.db import connection, transaction

from .. import analysis, ranking, statistics
from ..indexer import idf
from ..models import ReaderSetPrincipal, SearchEntry, SearchTag, SearchTerm
from ..models import quoted_table as _table  # named for the many f-strings below
from . import FACETS, EngineResult, Hit, SearchQuery

# Facet name -> column of SearchEntry (tags have a table of their own).
FACET_COLUMNS = {"type": "type", "forum": "forum", "section": "section", "year": "year", "status": "status"}
# Marks of the statement's rows that are not facet values.
TOTAL, HIT = "#", "@"
# Typed empty cells: PostgreSQL types a UNION's columns pairwise from the left, so a bare NULL would become text.
NO_PAGE, NO_RANK = "CAST(NULL AS INTEGER)", "CAST(NULL AS DOUBLE PRECISION)"
# Title bits per integer column (signed 64-bit in both databases).
TITLE_BITS = 62


def _readable_sets(principals):
    """The ids of the reader sets holding one of these principals: the one access rule of the index."""
    return ReaderSetPrincipal.objects.filter(principal__in=sorted(principals)).values("reader_set_id")


def readable(queryset, principals):
    """Narrow a queryset of entries to what the reader may see (None: a superuser, who sees everything)."""
    if principals is None:
        return queryset
    return queryset.filter(reader_set__in=_readable_sets(principals))


def _marks(values):
    return ", ".join(["%s"] * len(values))


def _fence():
    """Keeps a subquery a layer of its own: flattened into the query above, each of its columns would be computed
    again wherever the layer above names it, and the score's layers name each other's columns many times."""
    return " LIMIT -1 OFFSET 0" if connection.vendor == "sqlite" else " OFFSET 0"


def _greatest(expressions):
    if len(expressions) == 1:
        return expressions[0]
    name = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    return f"{name}({', '.join(expressions)})"


class _Slots:
    """The aggregated columns of the postings query.

    A score column is the best weighted posting of an entry among a set of terms
    (a word's alternatives share one; each compound part has its own, since all
    parts must be present), defined once however often the plan uses it. Which
    of the query's terms are in the entry's title is one bit per term in a few
    integer columns (an entry has one posting per term, so their SUM is their
    OR): one aggregate for all of them, where one per word cost as much as the
    scores do.
    """

    def __init__(self):
        self._scores, self._score_params, self._names = [], [], {}
        self._bits = {}  # term -> (title column, bit)

    def score(self, pairs):
        key = tuple(sorted(pairs))
        if key not in self._names:
            self._names[key] = f"a{len(self._scores)}"
            cases = " ".join("WHEN %s THEN weight * %s" for _pair in key)
            self._scores.append(f"MAX(CASE term {cases} ELSE 0 END) AS {self._names[key]}")
            self._score_params.extend(value for term, coefficient in key for value in (term, float(coefficient)))
        return self._names[key]

    def in_title(self, terms):
        """The condition that one of these terms is in the entry's title."""
        masks = {}
        for term in sorted(terms):
            if term not in self._bits:
                number = len(self._bits)
                self._bits[term] = (number // TITLE_BITS, 1 << (number % TITLE_BITS))
            column, bit = self._bits[term]
            masks[column] = masks.get(column, 0) | bit
        return "(" + " OR ".join(f"(t{column} & {mask}) <> 0" for column, mask in sorted(masks.items())) + ")"

    def sql(self):
        """The SELECT list and its parameters."""
        columns, params = list(self._scores), list(self._score_params)
        for column in range(-(-len(self._bits) // TITLE_BITS)):
            bits = [(term, bit) for term, (in_column, bit) in self._bits.items() if in_column == column]
            cases = " ".join(f"WHEN %s THEN {bit}" for _term, bit in bits)
            # PostgreSQL sums big integers into numeric, which has no "&".
            bits_sum = f"SUM(CASE WHEN in_title THEN CASE term {cases} ELSE 0 END ELSE 0 END)"
            columns.append(f"CAST({bits_sum} AS BIGINT) AS t{column}")
            params.extend(term for term, _bit in bits)
        return ", ".join(columns), params


def _group(group, slots, idfs):
    """(score, title coverage) expressions of one query word over the slots."""
    own = slots.score([(t, w * idfs.get(t, 0.0)) for t, w in group.terms.items()])
    covered = slots.in_title(group.terms)
    if not group.parts:
        return own, covered
    parts = [slots.score([(p, idfs.get(p, 0.0))]) for p in group.parts]
    all_parts = " AND ".join(f"{p} > 0" for p in parts)
    average = f"({' + '.join(parts)}) / {float(len(parts))}"
    in_title = " AND ".join(slots.in_title([p]) for p in group.parts)
    return f"CASE WHEN {all_parts} THEN {_greatest([own, average])} ELSE {own} END", f"({covered} OR ({in_title}))"


def _scored_sql(plan, idfs, present, driver=()):
    """SQL of (entry_id, base score, covered) for the entries matching enough of the plan, and its parameters.

    Three layers, each naming what the next reads: the slots aggregated from the
    postings; each word's score; each clause's best alternative. The rules are
    those of the query plan: every word of an alternative must match, a clause
    takes its best alternative, required clauses must match, at least
    `minimum_match` words must, and the sum is scaled by the share of words matched. With a `driver` (terms every
    match holds one of), only the postings of entries holding one are aggregated.
    """
    slots = _Slots()
    fence = _fence()
    narrowed = (
        f" AND entry_id IN (SELECT entry_id FROM {_table(SearchTerm)} WHERE term IN ({_marks(driver)}))"
        if driver
        else ""
    )

    def postings():
        slot_columns, slot_params = slots.sql()
        sql = (
            f"SELECT entry_id, {slot_columns} FROM {_table(SearchTerm)} "
            f"WHERE term IN ({_marks(present)}){narrowed} GROUP BY entry_id"
        )
        return sql, [*slot_params, *present, *driver]

    word = _only_word(plan)
    if word is not None:
        # One word: its score is the base, and the layers combining words and clauses would only copy it (they
        # cost 15 % of `trygghet` at 100 000 pages, which matches most of the index).
        value, covered = _group(word, slots, idfs)
        sql, params = postings()
        return (
            f"SELECT entry_id, {value} AS base, CASE WHEN {covered} THEN 1 ELSE 0 END AS covered "
            f"FROM ({sql}) slots WHERE {value} > 0{fence}",
            params,
        )
    words_sql, clause_sql = [], []
    for number, clause in enumerate(plan.clauses):
        alternatives, coverage = [], []
        for alternative in clause.alternatives:
            names = []
            for group in alternative:
                value, covered = _group(group, slots, idfs)
                names.append(f"w{len(words_sql)}")
                words_sql.append(f"{value} AS {names[-1]}, CASE WHEN {covered} THEN 1 ELSE 0 END AS v{names[-1]}")
            all_match = " AND ".join(f"{n} > 0" for n in names)
            share = clause.span / len(names)
            alternatives.append(f"CASE WHEN {all_match} THEN ({' + '.join(names)}) * {share} ELSE 0 END")
            coverage.append("(" + " AND ".join(f"v{n} = 1" for n in names) + ")")
        clause_sql.append(
            f"{_greatest(alternatives)} AS c{number}, CASE WHEN {' OR '.join(coverage)} THEN 1 ELSE 0 END AS k{number}"
        )
    clauses = list(enumerate(plan.clauses))
    total = " + ".join(f"c{n}" for n, _c in clauses)
    matched = " + ".join(f"CASE WHEN c{n} > 0 THEN {c.span} ELSE 0 END" for n, c in clauses)
    required = "".join(f" AND c{n} > 0" for n, c in clauses if c.required)
    covered = " AND ".join(f"k{n} = 1" for n, _c in clauses)
    words = float(sum(c.span for c in plan.clauses))
    sql, params = postings()
    sql = (
        f"SELECT entry_id, ({total}) * (({matched}) / {words}) * (({matched}) / {words}) AS base, "
        f"CASE WHEN {covered} THEN 1 ELSE 0 END AS covered "
        f"FROM (SELECT entry_id, {', '.join(clause_sql)} "
        f"FROM (SELECT entry_id, {', '.join(words_sql)} "
        f"FROM ({sql}) slots{fence}) words{fence}) clauses "
        f"WHERE ({matched}) >= {plan.minimum_match}{required}{fence}"
    )
    return sql, params


def _only_word(plan):
    """The plan's one word when it has no other (nor synonyms, nor a phrase): its score is then the whole score."""
    if len(plan.clauses) == 1:
        clause = plan.clauses[0]
        if clause.span == 1 and len(clause.alternatives) == 1 and len(clause.alternatives[0]) == 1:
            return clause.alternatives[0][0]
    return None


def _access(principals, reader_set="e.reader_set_id"):
    """The condition on entry `e` that the reader may see it (its reader set given by that expression)."""
    if principals is None:
        return "1 = 1", []
    if not principals:
        return "1 = 0", []
    readers, params = _readable_sets(principals).query.sql_with_params()
    return f"{reader_set} IN ({readers})", list(params)


# PostgreSQL cannot tell how many entries the score layers keep: it guesses a few thousand where a common word keeps
# hundreds of thousands, and then probes the entries and principals by index once per match (9 s for `trygghet` at
# 100 000 pages, with its aggregate spilling to disk). The terms' document frequencies tell us: when one is in more
# than this share of the index, the statement runs with hash joins and room for its aggregates in memory, and
# without parallel workers: their partial aggregates hardly shrink (an entry's postings are spread over the
# workers), so gathering and merging them cost more than they saved (p95 919 -> 791 ms at 100 000 pages).
LARGE_SHARE = 0.05
# Narrowed by a driver, the score layers keep far fewer entries than the driver's: `belysning stationsområdet`
# at 100 000 pages keeps 579 of the 17 982 entries holding `belysning`, 5 % of the index. Tuned for many, the
# statement then read every entry to join them (310 ms); left to the planner, it looks the 579 up (103 ms).
DRIVEN_LARGE_SHARE = 0.2
WORK_MEM = "64MB"


def _matching(query):
    """SQL and parameters of `m`: the entries the reader may see that the text matches, with their rank, and whether
    they are many (LARGE_SHARE of the index or more, or an empty query).

    Columns: id, page_id, key, date, the facet columns, rank. None when no term of the query is in the index.
    """
    access, access_params = _access(query.principals)
    columns = "e.id, e.page_id, e.key, e.date, " + ", ".join(f"e.{c}" for c in FACET_COLUMNS.values())
    if query.plan.is_empty:
        unranked = f"SELECT {columns}, CAST(0 AS DOUBLE PRECISION) AS rank FROM {_table(SearchEntry)} e"
        return f"{unranked} WHERE {access}", access_params, True
    frequency, count = statistics.frequencies(query.plan.terms())
    if not frequency:
        return None
    count = max(count, 1)
    idfs = {term: idf(count, df) for term, df in frequency.items()}
    driver = _driver(query.plan, frequency, count)
    scored, params = _scored_sql(query.plan, idfs, sorted(frequency), driver)
    sql = (
        f"SELECT {columns}, r.base * CASE WHEN r.covered = 1 THEN 1 + {float(ranking.TITLE_BOOST)} * "
        f"e.title_inverse_length ELSE 1 END AS rank "
        f"FROM ({scored}) r JOIN {_table(SearchEntry)} e ON e.id = r.entry_id WHERE r.base > 0 AND {access}"
    )
    if driver:
        many = sum(frequency[t] for t in driver) > DRIVEN_LARGE_SHARE * count
    else:
        many = max(frequency.values()) > LARGE_SHARE * count
    return sql, [*params, *access_params], many


# A driver is worth its extra lookup when it keeps at most this share of the postings the query would read, held
# by at most this share of the entries. Measured on the 50 benchmark queries at 10 000 pages (SQLite) and 100 000
# (PostgreSQL): below both, narrowing took a half to a fifth of the time (`trygghetsvandring parken` 497 -> 103 ms,
# `våld i nära relationer` 125 -> 60 ms); a driver in more than a quarter of the index took longer than reading
# everything (`brottsförebyggande råd`: 61 % of the entries, 839 -> 1 533 ms).
DRIVER_SHARE = 0.45
DRIVER_ENTRIES_SHARE = 0.25


def _candidates(group, frequency):
    """Terms of which an entry matching this query word holds one: its own terms, or its rarest compound part
    (an entry holding all parts holds that one)."""
    terms = {t for t in group.terms if t in frequency}
    if group.parts and all(p in frequency for p in group.parts):
        terms.add(min(group.parts, key=lambda p: (frequency[p], p)))
    return terms


def _driver(plan, frequency, entries):
    """Terms of which every match holds one, when they are much rarer than the query's: the statement then reads
    only the postings of entries holding them. Empty when there are none worth it.

    `lokal arbetsgrupp Mantorp`-like queries are the case: each common word has hundreds of thousands of postings,
    but a match must hold the rare one. Which terms every match holds follows from the plan's rules: a clause that
    must match (required, or wider than the words a match may miss) gives its candidates; with none, at least one
    of any (missable + 1) clauses matches, so the union of the rarest such clauses does.
    """

    def size(terms):
        return sum(frequency[t] for t in terms)

    options = []
    for clause in plan.clauses:
        terms = set()
        for alternative in clause.alternatives:
            # Every word of an alternative must match: its rarest word's candidates hold all its matches.
            terms |= min((_candidates(g, frequency) for g in alternative), key=lambda c: (size(c), sorted(c)))
        options.append((clause, terms))
    missable = sum(c.span for c in plan.clauses) - plan.minimum_match
    required = [terms for clause, terms in options if clause.required or clause.span > missable]
    if required:
        best = min(required, key=lambda c: (size(c), sorted(c)))
    else:
        rarest = sorted((terms for _clause, terms in options), key=lambda c: (size(c), sorted(c)))[: missable + 1]
        best = set().union(*rarest)
    if best and size(best) <= DRIVER_SHARE * size(frequency) and size(best) <= DRIVER_ENTRIES_SHARE * entries:
        return sorted(best)
    return []


def _filters(filters, leave_out=None):
    """The condition on `m` of every filter but `leave_out`, with its parameters."""
    conditions, params = ["1 = 1"], []
    for name, wanted in sorted(filters.items()):
        if name == leave_out or not wanted:
            continue
        wanted = sorted(wanted)
        if name == "tag":
            conditions.append(f"m.id IN (SELECT entry_id FROM {_table(SearchTag)} WHERE tag IN ({_marks(wanted)}))")
        else:
            conditions.append(f"m.{FACET_COLUMNS[name]} IN ({_marks(wanted)})")
        params.extend(wanted)
    return " AND ".join(conditions), params


def _answer_sql(query):
    """The statement's parts after the CTE: facet counts, total and hits as rows (mark, value, number, page_id, rank).

    A facet counts what the other filters leave, so a reader can widen their choice within it.
    """
    parts, params = [], []
    for name in FACETS:
        where, where_params = _filters(query.filters, leave_out=name)
        if name == "tag":
            parts.append(
                f"SELECT 'tag', t.tag, COUNT(*), {NO_PAGE}, {NO_RANK} "
                f"FROM m JOIN {_table(SearchTag)} t ON t.entry_id = m.id WHERE {where} GROUP BY t.tag"
            )
        else:
            column = FACET_COLUMNS[name]
            parts.append(
                f"SELECT '{name}', m.{column}, COUNT(*), {NO_PAGE}, {NO_RANK} "
                f"FROM m WHERE m.{column} <> '' AND {where} GROUP BY m.{column}"
            )
        params.extend(where_params)
    where, where_params = _filters(query.filters)
    parts.append(f"SELECT '{TOTAL}', '', COUNT(*), {NO_PAGE}, {NO_RANK} FROM m WHERE {where}")
    params.extend(where_params)
    # Best first, then newest, then in index order (an empty query lists newest first). The page is cut first and
    # numbered after: numbering every match would sort them all.
    order = "rank DESC, date IS NULL, date DESC, id"
    parts.append(
        f"SELECT '{HIT}', key, ROW_NUMBER() OVER (ORDER BY {order}), page_id, rank "
        f"FROM (SELECT * FROM m WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s) hits"
    )
    params.extend([*where_params, query.per_page, (query.page - 1) * query.per_page])
    return " UNION ALL ".join(parts), params


def titles(prefix, principals, limit):
    """(title, url, type label) of the pages the reader may see whose folded title begins with `prefix`, then of
    those with a later word beginning with it, each in the order of their folded titles: at most `limit` in all.

    Autocomplete asks at every keystroke. Each half reads the partial index of page titles in its order, tests the
    title and the reader set on the index entries and stops at the matches it needs, so a common prefix costs a few
    index pages and a rare one a pass over the page titles (not over every paragraph's row: about 70 ms on
    both cores at 100 000 pages on PostgreSQL). `prefix` is compared as analysis.title_words gives it, which is
    how the titles are stored: folded words and single spaces, so none of LIKE's wildcards or its escape character
    (nothing is looked up when no word is left).
    """
    prefix = analysis.title_words(prefix[:200])[:100]
    if not prefix:
        return []
    # Unary plus keeps SQLite from looking the entries up by reader set (most of them share the employees' one)
    # and sorting them, when the index of titles gives them in order; PostgreSQL reads it as the same number.
    access, access_params = _access(principals, reader_set="+e.reader_set_id")
    entries = _table(SearchEntry)
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


def search(query: SearchQuery) -> EngineResult:
    result = EngineResult(total=0, hits=[], engine="database")
    matching = _matching(query)
    if matching is None:
        return result
    matching_sql, matching_params, many = matching
    answer_sql, answer_params = _answer_sql(query)
    hits = []
    tuned = many and connection.vendor == "postgresql"
    # In Django's autocommit mode this block is the statement's own transaction, which the settings end with.
    with transaction.atomic() if tuned else nullcontext(), connection.cursor() as cursor:
        if tuned:
            cursor.execute(
                "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true), "
                "set_config('enable_nestloop', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)",
                [WORK_MEM],
            )
        cursor.execute(f"WITH m AS ({matching_sql}) {answer_sql}", [*matching_params, *answer_params])
        rows = cursor.fetchall()
    for mark, value, number, page_id, rank in rows:
        if mark == TOTAL:
            result.total = number
        elif mark == HIT:
            hits.append((number, Hit(page_id=page_id, key=value, score=rank)))
        else:
            result.facets[mark][value] = number
    result.hits = [hit for _position, hit in sorted(hits, key=lambda item: item[0])]
    return result
