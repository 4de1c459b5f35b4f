"""Writing pages into the database index, and passing the change on to the engines that keep a copy of it.

Only live pages are indexed, with the principals that may read them; every
change goes through `index_pages` or `remove_pages`, called by the one signal
processor in `search.signals` and by `search_reindex`.
"""

import functools
import logging
import multiprocessing
import sys
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from django.db import connection, connections, transaction
from wagtail.models import Page

from safety_pages.access.visibility import both, page_principals
from search import analysis, engines, ranking
from search.engines.database import snapshot
from search.index import attachments, sources, statistics
from search.index.sources import entries_for
from search.models import (
    PendingRemoval,
    ReaderSet,
    SearchEntry,
    SearchTag,
    SearchTerm,
    held_back_pages,
    quoted_table,
)

logger = logging.getLogger(__name__)

# Field weights and the typical length each field is normalised against (BM25's k1 and b).
FIELD_BOOSTS = {"heading": 5.0, "body": 1.0, "context": 0.4}
AVERAGE_LENGTH = {"heading": 8, "body": 200, "context": 8}
K1, B = 1.2, 0.75
BATCH = 200


@functools.lru_cache(maxsize=20_000)
def _field_weights(name, text):
    """((term, weight), ...) one field's text gives: BM25 term-frequency saturation times the field's boost.

    Kept for texts seen again: an entry's context (its section, forum and type) is that of every entry beside it,
    and a record's heading that of its paragraphs' hits."""
    counts, length = analysis.analyse(text)
    norm = K1 * (1 - B + B * length / AVERAGE_LENGTH[name])
    boost = FIELD_BOOSTS[name]
    return tuple((term, boost * tf * (K1 + 1) / (tf + norm)) for term, tf in counts.items())


def posting_weights(data):
    """term -> weight: BM25 term-frequency saturation per field, times the field's boost, summed."""
    weights = {}
    add = weights.get
    for name, text in (("heading", data.heading), ("body", data.body), ("context", data.context)):
        # The body is an entry's own: not worth keeping.
        found = _field_weights.__wrapped__(name, text) if name == "body" else _field_weights(name, text)
        for term, weight in found:
            weights[term] = add(term, 0.0) + weight
    return {t: round(w, 4) for t, w in weights.items() if len(t) <= 100}


def indexable(page):
    return page.live and page.depth > 1


# The entries' columns as `_insert_entries` writes them, in the order of `_entry_row`.
ENTRY_COLUMNS = (
    "page_id",
    "key",
    "title",
    "url",
    "heading",
    "body",
    "context",
    "date",
    "type",
    "type_label",
    "forum",
    "forum_label",
    "section",
    "section_label",
    "year",
    "status",
    "status_label",
    "title_folded",
    "title_inverse_length",
    "reader_set_id",
)


def _entry_row(page_id, data, reader_set_id):
    """One entry's values in the order of ENTRY_COLUMNS (what a SearchEntry of them would save)."""
    return (
        page_id,
        data.key,
        data.title[:500],
        data.url[:500],
        data.heading,
        data.body,
        data.context[:500],
        connection.ops.adapt_datefield_value(data.date),
        data.type,
        data.type_label,
        data.forum,
        data.forum_label[:255],
        data.section,
        data.section_label[:255],
        data.year,
        data.status,
        data.status_label,
        analysis.title_words(data.title)[:500],
        1 / ranking.title_length(data.title),
        reader_set_id,
    )


def _delete(entries):
    """Delete these entries (a queryset); a Counter of what that takes from the term statistics.

    The caller applies it together with what it writes, in one `statistics.add`: one pass over the terms in order
    keeps two concurrent writes from each holding a row the other waits for. By their ids, read first: counting the
    terms of entries named by a subquery cost PostgreSQL a plan over the postings even when there were none (a
    rebuild of pages not yet indexed)."""
    changes = Counter()
    ids = list(entries.values_list("pk", flat=True))
    for start in range(0, len(ids), DELETE_CHUNK):
        chunk = SearchEntry.objects.filter(pk__in=ids[start : start + DELETE_CHUNK])
        changes.subtract(statistics.of_entries(chunk))
        chunk.delete()
    return changes


# Entries deleted per statement (SQLite limits a statement's parameters).
DELETE_CHUNK = 500


@dataclass
class Prepared:
    """What a chunk of pages puts into the index, computed from them and not yet written (`_prepare`, `_store`)."""

    # Each entry to write: (its page's id, EntryData, its principals). Ids, not pages: a chunk prepared in another
    # process comes back pickled.
    written: list
    # Postings as (the entry's place in `written`, term, weight, in title), in the order of the postings' index.
    postings: list
    # Tags as (the entry's place in `written`, tag).
    tags: list
    # What the entries add to the term statistics.
    added: Counter


# A posting's place in the order of the postings' index: (term, entry).
_BY_TERM = itemgetter(1, 0)


def _prepare(pages, batch):
    """The entries of these specific pages (all live), with their postings and tags: the indexing's own work, which
    writes nothing of the index (only the cache of documents' extracted text)."""
    used = attachments.documents_by_page([p.pk for p in pages])
    text_of = attachments.texts({d.pk: d for docs in used.values() for d in docs}.values())
    readers = {page.pk: page_principals(page, batch.restrictions[page.pk]) for page in pages}
    written = []
    for page in pages:
        own = entries_for(page)
        # The documents the page uses are hits of their own, read by the page's readers.
        for data in own + attachments.attachment_entries(page, own[0], used.get(page.pk, []), text_of):
            # A hit for fewer readers (a sekretess paragraph, its documents) must still meet the page's own rule.
            principals = readers[page.pk] if data.readers is None else both(readers[page.pk], data.readers)
            written.append((page.pk, data, principals))
    postings, tags, added = [], [], Counter()
    for place, (_page_id, data, _principals) in enumerate(written):
        weights = posting_weights(data)
        in_title = ranking.title_terms(data.title)
        postings += [(place, term, weight, term in in_title) for term, weight in weights.items()]
        tags += [(place, tag) for tag in sorted({t[:255] for t in data.tags})]
        added.update(weights.keys())
    # In the order of the postings' index (term, entry; entries are numbered in the order they are written): each
    # term's rows then go into neighbouring places of it, where rows in the order of their entries went all over it
    # (the most of the writing's time on SQLite).
    postings.sort(key=_BY_TERM)
    added[statistics.ALL_ENTRIES] = len(written)
    return Prepared(written, postings, tags, added)


def _store(prepared):
    """Write prepared entries (their pages' old entries deleted); what they add to the term statistics."""
    written = prepared.written
    reader_sets = ReaderSet.objects.ids_for({principals for _page_id, _data, principals in written})
    ids = _insert_entries([_entry_row(page_id, data, reader_sets[principals]) for page_id, data, principals in written])
    _insert_rows(
        SearchTerm,
        ("entry_id", "term", "weight", "in_title"),
        [(ids[place], term, weight, in_title) for place, term, weight, in_title in prepared.postings],
    )
    _insert_rows(SearchTag, ("entry_id", "tag"), [(ids[place], tag) for place, tag in prepared.tags])
    return prepared.added


def _insert_entries(rows):
    """Insert these entries (values in the order of ENTRY_COLUMNS); their ids, in the order of the rows.

    As rows rather than SearchEntry instances through `bulk_create`, whose compiling of every field of every entry
    took more time than the database's writing them. Read back by RETURNING, in the order of the rows, as
    `bulk_create` reads them on both databases."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in ENTRY_COLUMNS)
    insert = f"INSERT INTO {quoted_table(SearchEntry)} ({names})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column, as Django's bulk_create does there: a statement of thousands of placeholders
            # cost psycopg more time splitting it (it binds on the client) than PostgreSQL took to insert the rows.
            fields = {f.column: f for f in SearchEntry._meta.concrete_fields}
            arrays = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in ENTRY_COLUMNS)
            columns = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(f"{insert} SELECT * FROM unnest({arrays}) RETURNING {quote('id')}", columns)
            return [row[0] for row in cursor.fetchall()]
        # SQLite allows 999 parameters per statement where it was built so.
        per_statement = 999 // len(ENTRY_COLUMNS)
        marks = f"({', '.join(['%s'] * len(ENTRY_COLUMNS))})"
        ids = []
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"{insert} VALUES {', '.join([marks] * len(chunk))} RETURNING {quote('id')}",
                [value for row in chunk for value in row],
            )
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def _insert_rows(model, columns, rows, batch=5000):
    if not rows:
        return
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        # COPY streams the rows in one command; an INSERT per row cost PostgreSQL a statement each
        # (hundreds of rows per page), which made indexing there slower than on SQLite.
        names = ", ".join(quote(c) for c in columns)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {quoted_table(model)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    sql = (
        f"INSERT INTO {quoted_table(model)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])


# The key of the advisory lock that lets one transaction at a time write the index (`_writing`): any number the
# same in every process and used for nothing else.
WRITE_LOCK = int.from_bytes(b"search", "big")


@contextmanager
def _writing():
    """A transaction that writes the index, holding the index's write lock until its outermost transaction ends.

    A transaction may write the index more than once: a move or a restriction change over more than a batch of
    pages reindexes them batch by batch, and saving a forum's members and local roles in one form reindexes its
    records once per change. Two such transactions would each hold rows the other wants next (the entries of the
    pages they share, the term statistics of common words), and PostgreSQL would abort one of them, leaving a page
    stale in search. Writers already waited for each other on the statistics of common terms, so one at a time
    costs little concurrency they had. SQLite lets one writer at a time anyway; a write first takes its lock now,
    not at the first entry written, so what the block reads is read under it too.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
            else:
                cursor.execute(f"DELETE FROM {quoted_table(PendingRemoval)} WHERE 1 = 0")
        yield
        # The change log the app servers' snapshots read (written by triggers) is kept short here, under the lock.
        snapshot.prune()


class NotHeldBack(Exception):
    """Writing pages failed and they could not even be held back from search: the change must not pass."""


@contextmanager
def _failing_closed(page_ids):
    """A fault while writing these pages holds them back (`PendingRemoval`): hidden from every search until they
    are written again. The fault is raised on; when holding back fails too, as `NotHeldBack`."""
    try:
        yield
    except Exception as error:
        try:
            with transaction.atomic():
                PendingRemoval.objects.bulk_create(
                    [PendingRemoval(page_id=pk, error=repr(error)[:1000]) for pk in page_ids], ignore_conflicts=True
                )
        except Exception as holding:
            raise NotHeldBack(f"{len(page_ids)} sidor kunde inte tas ur sökningen: {holding}") from error
        raise


def _prepare_chunk(chunk):
    """`_prepare` of the chunk's pages as they are now (those of them live)."""
    pages = [p for p in Page.objects.filter(pk__in=chunk).specific() if indexable(p)]
    with sources.batch(pages) as batch:
        return _prepare(pages, batch)


def _replace(chunk, prepared):
    """Under the write lock: the chunk's old entries go, the prepared ones are written, the statistics follow."""
    changes = _delete(SearchEntry.objects.filter(page_id__in=chunk))
    changes.update(_store(prepared))
    statistics.add(changes)
    PendingRemoval.objects.filter(page_id__in=chunk).delete()


def _index_chunk(chunk):
    with _writing():
        # Read under the lock: a page unpublished, restricted or moved since the caller chose it is written as it is
        # now, never as it was (a batch read before the lock wrote an unpublished page back).
        _replace(chunk, _prepare_chunk(chunk))


def _entry_ids(chunk):
    """{page id: the ids of its entries} of these pages: which index write each page last had."""
    found = {}
    for page_id, entry_id in SearchEntry.objects.filter(page_id__in=chunk).values_list("page_id", "id"):
        found.setdefault(page_id, set()).add(entry_id)
    return found


@dataclass
class Ahead:
    """A chunk prepared outside the write lock (`_index_prepared_apart`), with the index writes its pages had then."""

    chunk: list
    seen: dict
    prepared: Prepared


def _prepare_ahead(chunk):
    # The entry ids first, then the pages: a write committed after this read changes them (every index write
    # deletes a page's entries and inserts new ones), and one committed before it is in what the pages read.
    seen = _entry_ids(chunk)
    return Ahead(chunk, seen, _prepare_chunk(chunk))


def _store_ahead(ahead):
    """Write a chunk prepared ahead, unless one of its pages was indexed since (a publish, an unpublish, a move
    while it was prepared): the chunk is then read and prepared again under the lock, as `_index_chunk` does."""
    with _writing():
        if _entry_ids(ahead.chunk) == ahead.seen:
            _replace(ahead.chunk, ahead.prepared)
        else:
            _replace(ahead.chunk, _prepare_chunk(ahead.chunk))


def _preparing_apart():
    """A process that prepares chunks while this one writes them (`_index_prepared_apart`), or None where there
    can be none.

    Not inside a transaction: the preparing process has a connection of its own, which sees only what is committed.
    Not on an in-memory SQLite database (the tests'), which no other process sees. And only on Linux, where servers
    run: macOS offers fork but its system libraries may not survive it, and Windows has none."""
    if connection.in_atomic_block or (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        return None
    if not sys.platform.startswith("linux"):
        return None
    # Forked without an open connection: each process opens its own.
    connections.close_all()
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))


def _index_prepared_apart(chunks, preparing):
    """Index these chunks, each prepared by the process `preparing` (two ahead at most, which bounds the memory)
    while this one writes the chunk before.

    Why a process: preparing a chunk (reading its pages, analysing their text) is Python, and so is much of writing
    it; in one process they took turns on Python's lock, so a rebuild used one core of two (on SQLite, whose
    library holds that lock while it inserts, not even a thread writing beside them helped). Each chunk is still
    written by one transaction under the write lock, and one whose pages were indexed since they were read is
    prepared again under it (`_store_ahead`)."""
    remaining = iter(chunks)
    pending = deque(preparing.submit(_prepare_ahead, chunk) for chunk in islice(remaining, 2))
    try:
        while pending:
            ahead = pending.popleft().result()
            following = next(remaining, None)
            if following is not None:
                pending.append(preparing.submit(_prepare_ahead, following))
            _store_ahead(ahead)
        preparing.submit(_close_connection).result()
    finally:
        preparing.shutdown(cancel_futures=True)


def _close_connection():
    # In the preparing process, before it ends.
    connection.close()


def index_pages(page_ids, *, push=True, prepare_apart=False):
    """(Re)index these pages: live ones are written, the others removed.

    `prepare_apart`: a process of its own prepares the chunks while this one writes them (`search_reindex`: a
    rebuild in twice the pages a second on two cores). Not for a web request's writes, whose process is not to be
    forked."""
    page_ids = list(dict.fromkeys(page_ids))
    retry_held_back(exclude=page_ids)
    chunks = [page_ids[start : start + BATCH] for start in range(0, len(page_ids), BATCH)]
    with _failing_closed(page_ids):
        preparing = _preparing_apart() if prepare_apart and len(chunks) > 1 else None
        if preparing is not None:
            _index_prepared_apart(chunks, preparing)
        else:
            for chunk in chunks:
                _index_chunk(chunk)
    if push:
        _push(page_ids)


def remove_pages(page_ids, *, push=True):
    page_ids = list(page_ids)
    retry_held_back(exclude=page_ids)
    with _failing_closed(page_ids), _writing():
        statistics.add(_delete(SearchEntry.objects.filter(page_id__in=page_ids)))
        PendingRemoval.objects.filter(page_id__in=page_ids).delete()
    if push:
        _push(page_ids)


def retry_held_back(exclude=()):
    """Write the pages an earlier fault held back (hidden from search meanwhile): before every index write and by
    `search_reindex`. A fault again leaves them held back and the caller's write goes on; returns how many were
    written."""
    page_ids = [pk for pk in held_back_pages() if pk not in set(exclude)]
    if not page_ids:
        return 0
    try:
        with transaction.atomic():
            for start in range(0, len(page_ids), BATCH):
                _index_chunk(page_ids[start : start + BATCH])
    except Exception:
        logger.exception("%s sidor som hålls undan sökningen kunde fortfarande inte indexeras", len(page_ids))
        return 0
    _push(page_ids)
    return len(page_ids)


def index_subtree(page):
    """A page and everything below it: after a move or a change of view restriction."""
    ids = list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))
    index_pages(ids)


def rebuild(stdout=None):
    """Index every live page from scratch (the database index); returns the number of pages."""
    live = Page.objects.filter(depth__gt=1).live()
    ids = list(live.order_by("path").values_list("pk", flat=True))
    # A subquery, not the list: SQLite limits the parameters of one statement.
    with _writing():
        statistics.add(_delete(SearchEntry.objects.exclude(page_id__in=live.values("pk"))))
    index_pages(ids, push=False, prepare_apart=True)
    # Each batch kept the statistics in step; counting them again mends any drift from writes outside the indexer.
    # A reader set outlives the entries that used it (a forum's members changed): the sets no entry uses go too,
    # under the write lock, so no write in progress is about to use one of them.
    with _writing():
        statistics.recount()
        ReaderSet.objects.filter(entries__isnull=True).delete()
        # Every live page was written just now and no other has entries: nothing is held back any more.
        PendingRemoval.objects.all().delete()
    return len(ids)


def _push(page_ids):
    """Hand the change to the engines that keep a copy once the transaction commits; an outage leaves it pending."""
    if not page_ids:
        return
    for engine in engines.copies():
        transaction.on_commit(functools.partial(engine.sync, page_ids))
