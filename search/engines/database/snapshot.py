"""The database index as each app server holds it in memory: the entries' columns and the postings of the terms
that queries ask for, as numpy arrays, kept in step with the database through its change log.

Why: ranked, filtered and counted in SQL, a common word cost what the database needs to aggregate its postings per
entry, join the entries and count them once per facet, seconds on PostgreSQL for a word most entries hold. Over
arrays the same work is a few vectorised passes (engines.database.query). docs/ has the figures.

Staying in step: triggers log every insert, update and delete of an entry (models.EntryChange), whoever makes it.
Before each search the snapshot reads the log from the last change it applied. With nothing new that is one index
lookup; a few changes are applied by reading those entries, their tags and their postings again; a log that no
longer holds the last change applied (pruned, or a transaction rolled back) or holds too many new ones means
reading everything again. Nothing is kept that the database could not give again, so app servers stay stateless:
a new process, or one whose copy fell behind, builds it from the database.

Memory: the entries' columns take a few dozen bytes per entry; postings 9 bytes each (an id, a weight and a flag),
for the terms most recently asked for, up to settings.SEARCH_MEMORY_POSTINGS of them (the least recently asked for
are dropped first).
"""

import threading
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter

import numpy as np
from django.conf import settings
from django.db import connection

from search.models import ALL_ENTRIES, EntryChange, SearchEntry, SearchTag, SearchTerm, TermStatistic, quoted_table

# Facet name -> column of SearchEntry (tags are rows of their own).
FACET_COLUMNS = {"type": "type", "forum": "forum", "section": "section", "year": "year", "status": "status"}
# More changed entries than this at once (a rebuild, a move of a large subtree): reading everything again is cheaper
# than patching every array.
MAX_CHANGES = 2000
# Ids per statement when reading changed entries (SQLite limits a statement's parameters).
CHUNK = 500
# Dates as numbers (days since year 1); 0 is an entry without one.
NO_DATE = 0
# Terms read together while warming (`warm`): a search waits at most for one such read.
WARM_TERMS = 20


@dataclass
class Postings:
    """The postings of one term: entry positions in the snapshot, weights, and whether the term is in the title."""

    positions: np.ndarray  # int32
    weights: np.ndarray  # float32
    in_title: np.ndarray  # bool

    @property
    def size(self):
        return len(self.positions)

    def without(self, dropped):
        keep = ~dropped[self.positions]
        return Postings(self.positions[keep], self.weights[keep], self.in_title[keep])

    @staticmethod
    def joined(parts):
        return Postings(
            np.concatenate([p.positions for p in parts]),
            np.concatenate([p.weights for p in parts]),
            np.concatenate([p.in_title for p in parts]),
        )


class Codes:
    """The values of one facet column as small integers; code 0 is the empty value."""

    def __init__(self):
        self.values, self._codes = [""], {"": 0}

    def encode(self, values):
        """The codes of these values (a sequence), new values given new codes."""
        for value in sorted(set(values) - self._codes.keys()):
            self._codes[value] = len(self.values)
            self.values.append(value)
        return np.fromiter(map(self._codes.__getitem__, values), np.int32, len(values))

    def codes(self, values):
        """The codes of those of these values that occur (a value never seen matches nothing)."""
        return [self._codes[v] for v in values if v in self._codes]


class Snapshot:
    """The index of one database, as of the last change of its log applied.

    Positions are indexes into the entry arrays, in the order of entry ids; a deleted entry keeps its position with
    reader set 0, which no reader holds.
    """

    def __init__(self):
        self.lock = threading.RLock()
        self.loaded = False

    def _reset(self):
        self.ids = np.zeros(0, np.int64)
        self.page_ids = np.zeros(0, np.int32)
        self.reader_sets = np.zeros(0, np.int32)
        self.dates = np.zeros(0, np.int32)
        self.title_inverse = np.zeros(0, np.float64)
        self.facets = {name: np.zeros(0, np.int32) for name in FACET_COLUMNS}
        self.codes = {name: Codes() for name in [*FACET_COLUMNS, "tag"]}
        self.tag_positions = np.zeros(0, np.int32)
        self.tag_codes = np.zeros(0, np.int32)
        self.postings = OrderedDict()  # term -> Postings, least recently asked for first
        self.held = 0  # postings in self.postings
        self.last_change = (0, 0)  # (id, token) of the last change applied
        self.loaded = True

    @property
    def size(self):
        return len(self.ids)

    # --- staying in step -------------------------------------------------------------------------------------

    def refresh(self):
        """Apply what the change log holds since the last change applied (or read everything, see the module)."""
        if not self.loaded:
            return self.load()
        last_id, last_token = self.last_change
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, entry_id, token FROM {quoted_table(EntryChange)} WHERE id >= %s ORDER BY id LIMIT %s",
                [last_id, MAX_CHANGES + 2],
            )
            rows = cursor.fetchall()
        if last_id:
            if not rows or (rows[0][0], rows[0][2]) != (last_id, last_token):
                return self.load()
            rows = rows[1:]
        if len(rows) > MAX_CHANGES:
            return self.load()
        if rows:
            # Set first: should applying them read everything again, that sets a later one.
            self.last_change = (rows[-1][0], rows[-1][2])
            self._apply(sorted({entry_id for _id, entry_id, _token in rows}))

    def load(self):
        """Read every entry again; postings are read again as queries ask for them."""
        self._reset()
        with connection.cursor() as cursor:
            # The last change first: whatever the entries then read hold, later changes will be applied again.
            cursor.execute(f"SELECT id, token FROM {quoted_table(EntryChange)} ORDER BY id DESC LIMIT 1")
            last = cursor.fetchone()
        self.last_change = tuple(last) if last else (0, 0)
        self._apply(None)

    def _entry_rows(self, ids):
        """(entry rows, tag rows) of these entries (None: of every entry), the entries in the order of their ids."""
        columns = ", ".join(["id", "page_id", "reader_set_id", "date", "title_inverse_length", *FACET_COLUMNS.values()])
        entries, tags = quoted_table(SearchEntry), quoted_table(SearchTag)
        # Read by the cursor itself: the ORM's model rows cost more than the reading. On PostgreSQL every column
        # here is in the index of migration 0006, so the rows' text is never read.
        if ids is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {columns} FROM {entries} ORDER BY id")
                rows = cursor.fetchall()
                cursor.execute(f"SELECT entry_id, tag FROM {tags}")
                return rows, cursor.fetchall()
        # Chunks of sorted ids come in id order one after another.
        rows = _chunked(f"SELECT {columns} FROM {entries} WHERE id IN ({{marks}}) ORDER BY id", ids)
        return rows, _chunked(f"SELECT entry_id, tag FROM {tags} WHERE entry_id IN ({{marks}})", ids)

    def _apply(self, changed):
        """Read these entries (None: all) again: their columns, tags and the postings of the terms held."""
        rows, tag_rows = self._entry_rows(changed)
        columns = [list(map(itemgetter(n), rows)) for n in range(5 + len(FACET_COLUMNS))]
        row_ids = np.array(columns[0], np.int64)
        at, held = self._held(np.array(changed or [], np.int64))
        touched_before = at[held]
        new_ids = row_ids[~self._held(row_ids)[1]]  # in id order, as read
        if len(new_ids) and self.size and new_ids[0] < self.ids[-1]:
            return self.load()  # an id among those held: positions would no longer follow the ids
        self._grow(new_ids)
        positions = np.searchsorted(self.ids, row_ids)
        touched = np.zeros(self.size, np.bool_)
        touched[touched_before] = True
        touched[positions] = True
        # Gone, unless read again just now.
        self.reader_sets[touched] = 0
        if rows:
            _ids, page_ids, reader_sets, dates, inverse, *facets = columns
            self.page_ids[positions] = page_ids
            self.reader_sets[positions] = reader_sets
            self.dates[positions] = np.fromiter((d.toordinal() if d else NO_DATE for d in dates), np.int32, len(dates))
            self.title_inverse[positions] = inverse
            for name, values in zip(FACET_COLUMNS, facets, strict=True):
                self.facets[name][positions] = self.codes[name].encode(values)
        at, held = self._held(np.array([e for e, _t in tag_rows], np.int64))
        tag_positions = at[held].astype(np.int32)
        new_codes = self.codes["tag"].encode([t for (_e, t), h in zip(tag_rows, held, strict=True) if h])
        keep = ~touched[self.tag_positions]
        self.tag_positions = np.concatenate([self.tag_positions[keep], tag_positions])
        self.tag_codes = np.concatenate([self.tag_codes[keep], new_codes])
        if self.postings and changed:
            self._apply_postings(changed, touched)

    def _held(self, entry_ids):
        """(positions, whether the snapshot holds each of these entries). Rows read after the entries (tags,
        postings) may name an entry written since: it comes with its change."""
        at = np.searchsorted(self.ids, entry_ids)
        held = at < self.size
        held[held] = self.ids[at[held]] == entry_ids[held]
        return at, held

    def _grow(self, new_ids):
        if not len(new_ids):
            return
        more = len(new_ids)

        def grown(array):
            return np.concatenate([array, np.zeros(more, array.dtype)])

        self.ids = np.concatenate([self.ids, new_ids])
        self.page_ids, self.reader_sets = grown(self.page_ids), grown(self.reader_sets)
        self.dates, self.title_inverse = grown(self.dates), grown(self.title_inverse)
        self.facets = {name: grown(codes) for name, codes in self.facets.items()}

    def _apply_postings(self, changed, touched):
        # All their terms, sorted out here: the terms held may be more than a statement takes parameters.
        rows = [row for row in _chunked(_postings_sql("entry_id"), changed) if row[0] in self.postings]
        fresh = self._grouped(PostingColumns.of_rows(rows))
        self.held = 0
        for term, postings in self.postings.items():
            postings = postings.without(touched)
            if term in fresh:
                postings = Postings.joined([postings, fresh[term]])
            self.postings[term] = postings
            self.held += postings.size

    def _grouped(self, columns):
        """{term: Postings} of the entries the snapshot holds, from `PostingColumns`. Whole columns at a time: a
        common word has hundreds of thousands of rows."""
        at, held = self._held(columns.entry_ids)
        # Runs of one term: rows read in chunks may name a term again, so they are brought together first.
        order = np.argsort(columns.term_numbers, kind="stable")
        numbers = columns.term_numbers[order]
        starts = np.flatnonzero(np.diff(numbers, prepend=-1))
        ends = np.append(starts[1:], len(numbers)) if len(numbers) else starts
        found = {}
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            rows = order[start:end]
            rows = rows[held[rows]]
            term = columns.terms[numbers[start]]
            found[term] = Postings(at[rows].astype(np.int32), columns.weights[rows], columns.in_title[rows])
        return found

    # --- reading -------------------------------------------------------------------------------------------------

    def postings_of(self, terms):
        """{term: Postings} of these terms (those the index holds), reading from the database those not held."""
        missing = [t for t in terms if t not in self.postings]
        if missing:
            self._read_postings(missing)
        found = {}
        for term in terms:
            if term in self.postings:
                self.postings.move_to_end(term)
                found[term] = self.postings[term]
        budget = settings.SEARCH_MEMORY_POSTINGS
        while self.held > budget and len(self.postings) > len(found):
            term, postings = next(iter(self.postings.items()))
            if term in found:
                self.postings.move_to_end(term)
                continue
            del self.postings[term]
            self.held -= postings.size
        return found

    def _read_postings(self, terms):
        read = self._grouped(_postings_of_terms(terms))
        for term in terms:
            postings = read.get(term, Postings(np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.bool_)))
            self.postings[term] = postings
            self.held += postings.size

    def nbytes(self):
        """The memory its arrays take."""
        arrays = [self.ids, self.page_ids, self.reader_sets, self.dates, self.title_inverse, *self.facets.values()]
        arrays += [self.tag_positions, self.tag_codes]
        arrays += [a for p in self.postings.values() for a in (p.positions, p.weights, p.in_title)]
        return sum(a.nbytes for a in arrays)

    def readable(self, reader_set_ids):
        """Which positions these reader sets may read (None: every entry there is)."""
        if reader_set_ids is None:
            return self.reader_sets > 0
        table = np.zeros(int(max(self.reader_sets.max(initial=0), max(reader_set_ids, default=0))) + 1, np.bool_)
        table[[i for i in reader_set_ids if i > 0]] = True
        return table[self.reader_sets]


def _postings_sql(column):
    """The postings whose `column` is one of `{marks}`."""
    table = quoted_table(SearchTerm)
    return f"SELECT term, entry_id, weight, in_title FROM {table} WHERE {column} IN ({{marks}})"


@dataclass
class PostingColumns:
    """Postings read from the database as columns: each row's term (a number into `terms`), entry id, weight and
    whether the term is in the entry's title."""

    terms: list
    term_numbers: np.ndarray  # int32
    entry_ids: np.ndarray  # int64
    weights: np.ndarray  # float32
    in_title: np.ndarray  # bool

    @classmethod
    def of_rows(cls, rows):
        """From rows of (term, entry id, weight, in_title)."""
        numbers, count = {}, len(rows)
        term_numbers = np.fromiter((numbers.setdefault(r[0], len(numbers)) for r in rows), np.int32, count)
        return cls(
            list(numbers),
            term_numbers,
            np.fromiter((r[1] for r in rows), np.int64, count),
            np.fromiter((r[2] for r in rows), np.float32, count),
            np.fromiter((r[3] for r in rows), np.bool_, count),
        )


# A posting as `_postings_packed` packs it: the entry id, the weight and whether the term is in the title, as
# PostgreSQL's binary send functions write them (big-endian).
_PACKED = np.dtype([("entry", ">i8"), ("weight", ">f8"), ("in_title", "u1")])


def _postings_of_terms(terms):
    """`PostingColumns` of these terms' postings."""
    if connection.vendor == "postgresql":
        return _postings_packed(terms)
    return PostingColumns.of_rows(_chunked(_postings_sql("term"), terms))


def _postings_packed(terms):
    """`PostingColumns` of these terms' postings on PostgreSQL: one row per term, its postings packed into one bytea
    that numpy reads in place.

    Why: a common word has hundreds of thousands of postings, and a Python tuple per posting took most of a new app
    server's first searches at 100 000 pages (docs/benchmarks.md). A binary COPY was slower still: psycopg reads it
    a message per row."""
    statement = (
        "SELECT asked.number::int4, "
        "string_agg(int8send(posting.entry_id) || float8send(posting.weight) || boolsend(posting.in_title), '') "
        "FROM unnest(%s::varchar[]) WITH ORDINALITY AS asked(term, number) "
        f"JOIN {quoted_table(SearchTerm)} AS posting ON posting.term = asked.term GROUP BY asked.number"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [list(terms)])
        # ORDINALITY counts from 1.
        found = [(number - 1, np.frombuffer(packed, _PACKED)) for number, packed in cursor.fetchall()]
    postings = [rows for _number, rows in found]
    joined = np.concatenate(postings) if postings else np.zeros(0, _PACKED)
    return PostingColumns(
        list(terms),
        np.repeat(np.array([number for number, _rows in found], np.int32), [len(rows) for rows in postings]),
        joined["entry"].astype(np.int64),
        joined["weight"].astype(np.float32),
        joined["in_title"].astype(np.bool_),
    )


def _chunked(sql, values):
    """The rows of `sql` for these values, CHUNK at a time (SQLite limits a statement's parameters): `{marks}` in
    the statement stands for one chunk's placeholders."""
    rows = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), CHUNK):
            chunk = list(values[start : start + CHUNK])
            cursor.execute(sql.format(marks=", ".join(["%s"] * len(chunk))), chunk)
            rows.extend(cursor.fetchall())
    return rows


_snapshots = {}
_snapshots_lock = threading.Lock()


def _database_key():
    where = connection.settings_dict
    return connection.alias, connection.vendor, where["NAME"], where.get("HOST"), where.get("PORT")


@contextmanager
def snapshot():
    """This database's snapshot, brought up to date, held for the caller alone until the block ends."""
    with _snapshots_lock:
        current = _snapshots.setdefault(_database_key(), Snapshot())
    with current.lock:
        try:
            current.refresh()
        except BaseException:
            current.loaded = False  # perhaps half read or half applied: read everything at the next search
            raise
        yield current


def commonest_terms(budget):
    """The commonest terms of the index, most entries first, as many as hold at most `budget` postings together."""
    chosen, total = [], 0
    rows = TermStatistic.objects.exclude(term=ALL_ENTRIES).order_by("-entries", "term").values_list("term", "entries")
    for term, entries in rows.iterator(chunk_size=2000):
        if total + entries > budget:
            break
        chosen.append(term)
        total += entries
    return chosen


def warm(budget):
    """Read this database's snapshot and the postings of its commonest terms, up to `budget` postings: what a new
    app server does at start (search.engines.warm_start), so that its first searches read nothing at all or only
    rare terms.

    The commonest terms, because a term's first read costs with its postings (seconds for a word most entries hold
    on PostgreSQL reading from disk, a millisecond for a rare one). Read a few terms at a time, each time under the
    snapshot's lock on its own, so a search started meanwhile waits for one such read at most. Returns (entries,
    terms, postings) read."""
    with snapshot() as current:
        entries = current.size
    terms = commonest_terms(min(budget, settings.SEARCH_MEMORY_POSTINGS))
    postings = 0
    for start in range(0, len(terms), WARM_TERMS):
        with snapshot() as current:
            postings += sum(p.size for p in current.postings_of(terms[start : start + WARM_TERMS]).values())
    return entries, len(terms), postings


def forget():
    """Drop every snapshot (tests, whose transactions roll back what a snapshot may have read)."""
    with _snapshots_lock:
        _snapshots.clear()


def prune(keep=100_000):
    """Delete all but the latest `keep` changes of the log: a snapshot older than those reads everything again."""
    table = quoted_table(EntryChange)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id <= (SELECT MAX(id) FROM {table}) - %s", [keep])
