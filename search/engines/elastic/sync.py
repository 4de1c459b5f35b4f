"""Keeping the cluster's copy of the database index: one document per `SearchEntry`.

The writes never make publishing fail: when the cluster cannot be reached the page is recorded in
`PendingIndexChange` and `search_reindex --pending` replays it later (searches fall back to the embedded engine
meanwhile). A full build goes into a fresh index, and the alias is pointed at it in one step.
"""

import datetime
import logging

from elasticsearch.helpers import BulkIndexError, bulk

from search.engines.base import Unavailable
from search.engines.elastic.client import ERRORS, client
from search.engines.elastic.mapping import EntryDocument, alias_name, former_alias_names, index_for
from search.models import PendingIndexChange, ReaderSetPrincipal, SearchEntry, SearchTag, SearchTerm

logger = logging.getLogger(__name__)


def document(entry, principals, tags, postings):
    """The cluster's document of an entry; `postings`: its (term, weight, in title) rows in the database index."""
    return {
        "_id": EntryDocument.doc_id(entry.page_id, entry.key),
        "page_id": entry.page_id,
        "key": entry.key,
        "title": entry.title,
        "body": entry.body,
        # The posting weights themselves, so both engines score a term alike (mapping.py).
        "weights": {term: weight for term, weight, _in_title in postings if weight > 0},
        "title_terms": " ".join(sorted(term for term, _weight, in_title in postings if in_title)),
        "title_inverse_length": entry.title_inverse_length,
        "date": entry.date.isoformat() if entry.date else None,
        "type": entry.type,
        "forum": entry.forum or None,
        "section": entry.section or None,
        "year": entry.year or None,
        "status": entry.status or None,
        "tags": tags,
        "principals": principals,
    }


def _grouped(pairs):
    """{key: sorted values} of (key, value) rows."""
    values = {}
    for key, value in pairs:
        values.setdefault(key, []).append(value)
    return {key: sorted(found) for key, found in values.items()}


# Entries whose postings are read in one query: a full build reads the index a chunk at a time, not all at once.
CHUNK = 500


def _documents(entries):
    entries = list(entries)
    for start in range(0, len(entries), CHUNK):
        yield from _chunk_documents(entries[start : start + CHUNK])


def _chunk_documents(entries):
    readers = _grouped(
        ReaderSetPrincipal.objects.filter(reader_set_id__in={e.reader_set_id for e in entries}).values_list(
            "reader_set_id", "principal"
        )
    )
    ids = [e.pk for e in entries]
    tags = _grouped(SearchTag.objects.filter(entry_id__in=ids).values_list("entry_id", "tag"))
    postings = _grouped(
        (entry_id, (term, weight, in_title))
        for entry_id, term, weight, in_title in SearchTerm.objects.filter(entry_id__in=ids).values_list(
            "entry_id", "term", "weight", "in_title"
        )
    )
    for entry in entries:
        yield document(entry, readers.get(entry.reader_set_id, []), tags.get(entry.pk, []), postings.get(entry.pk, []))


def _actions(entries, index):
    for doc in _documents(entries):
        doc_id = doc.pop("_id")
        yield {"_index": index, "_id": doc_id, "_source": doc}


def _entries(page_ids=None):
    queryset = SearchEntry.objects.order_by("pk")
    if page_ids is not None:
        queryset = queryset.filter(page_id__in=page_ids)
    return queryset


def sync_pages(page_ids):
    """Make the cluster's documents of these pages equal to the database index; pending on failure."""
    page_ids = list(page_ids)
    try:
        es = client()
        alias = alias_name()
        if not es.indices.exists_alias(name=alias):
            raise Unavailable(f"alias {alias} missing")
        # The documents a page had (paragraphs may have gone) are replaced as a whole.
        es.delete_by_query(index=alias, query={"terms": {"page_id": page_ids}}, refresh=True, conflicts="proceed")
        bulk(es, _actions(_entries(page_ids), alias), refresh=True)
    except (*ERRORS, BulkIndexError, Unavailable) as error:
        logger.warning("Elasticsearch unreachable, %s page(s) left pending: %s", len(page_ids), error)
        for page_id in page_ids:
            PendingIndexChange.objects.update_or_create(page_id=page_id, defaults={"error": str(error)[:1000]})
        return False
    PendingIndexChange.objects.filter(page_id__in=page_ids).delete()
    return True


def replay_pending():
    """Write the pages whose change could not reach the cluster; returns (replayed, still pending)."""
    page_ids = list(PendingIndexChange.objects.order_by("created_at").values_list("page_id", flat=True))
    if not page_ids:
        return 0, 0
    try:
        lost = not client().indices.exists_alias(name=alias_name())
    except ERRORS:
        return 0, len(page_ids)
    if lost:
        # The cluster came back without our index (a new node, a wiped disk): only a full build restores it.
        rebuild()
        return len(page_ids), 0
    ok = sync_pages(page_ids)
    return (len(page_ids), 0) if ok else (0, len(page_ids))


def rebuild():
    """Build a fresh index from the database index, then point the alias at it in one step."""
    es = client()
    alias = alias_name()
    name = f"{alias}-{datetime.datetime.now(datetime.UTC).strftime('%Y%m%d%H%M%S%f')}"
    index = index_for(name)
    index.create(using=es)
    count, _errors = bulk(es, _actions(_entries(), name), chunk_size=500)
    es.indices.refresh(index=name)
    old = list(es.indices.get_alias(name=alias).keys()) if es.indices.exists_alias(name=alias) else []
    actions = [{"remove": {"index": o, "alias": alias}} for o in old] + [{"add": {"index": name, "alias": alias}}]
    es.indices.update_aliases(actions=actions)
    # The indexes of a former mapping are no use to this release (mapping.MAPPING_VERSION).
    former = [o for a in former_alias_names() if es.indices.exists_alias(name=a) for o in es.indices.get_alias(name=a)]
    for o in old + former:
        es.indices.delete(index=o)
    # Whatever was pending is in the new index now.
    PendingIndexChange.objects.all().delete()
    return name, count
