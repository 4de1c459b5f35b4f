"""The Elasticsearch engine (when ELASTICSEARCH_URL is set), fed from the database index.

Queries are built from the same `QueryPlan` as the embedded engine; the
writes never make publishing fail: when the cluster cannot be reached the
page is recorded in `PendingIndexChange` and `search_reindex --pending`
replays it later, while searches fall back to the embedded engine.
"""

import datetime
import logging
from functools import lru_cache

from django.conf import settings
from elastic_transport import TransportError, Urllib3HttpNode
from elasticsearch import ApiError, Elasticsearch
from elasticsearch.helpers import BulkIndexError, bulk
from elasticsearch_dsl import Q, Search

from search import analysis, ranking
from search.documents import EntryDocument, alias_name, index_for
from search.engines import FACETS, EngineResult, Hit, SearchQuery
from search.models import PendingIndexChange, ReaderSetPrincipal, SearchEntry, SearchTag, SearchTerm

logger = logging.getLogger(__name__)

FIELD_BOOSTS = {"heading_terms": 5.0, "heading_weak": 2.5, "body_terms": 1.0, "body_weak": 0.5, "context_terms": 0.4}
FACET_FIELDS = {
    "type": "type",
    "forum": "forum",
    "section": "section",
    "year": "year",
    "tag": "tags",
    "status": "status",
}
FACET_SIZE = 200


class Unavailable(Exception):
    """The cluster could not answer: search falls back, writes become pending."""


class PlainJsonNode(Urllib3HttpNode):
    """Sends plain application/json instead of the 8.x client's compatibility media type.

    Test servers that speak the Elasticsearch API without that media type
    (osmem-server) need it; a real Elasticsearch 8 accepts both.
    """

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        headers = dict(headers or {})
        for name in list(headers):
            if name.lower() in ("accept", "content-type") and "compatible-with" in str(headers[name]):
                headers[name] = "application/x-ndjson" if "ndjson" in headers[name] else "application/json"
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def configured():
    return bool(settings.ELASTICSEARCH_URL)


@lru_cache(maxsize=4)
def _client(url, plain_json):
    options = {"request_timeout": 3, "max_retries": 0, "retry_on_timeout": False}
    if plain_json:
        options["node_class"] = PlainJsonNode
    return Elasticsearch(url, **options)


def client():
    return _client(settings.ELASTICSEARCH_URL, getattr(settings, "ELASTICSEARCH_PLAIN_JSON", False))


# --- documents ---------------------------------------------------------------


def _terms_text(counter):
    """Whitespace-joined terms, each repeated by its frequency (capped) so Elasticsearch sees the tf."""
    return " ".join(" ".join([term] * min(int(count), 5)) for term, count in counter.items() if count >= 1)


def document(entry, principals, tags, title_terms):
    heading_strong, heading_weak = analysis.analyse_kinds(entry.heading)
    body_strong, body_weak = analysis.analyse_kinds(entry.body)
    context_strong, context_weak = analysis.analyse_kinds(entry.context)
    return {
        "_id": EntryDocument.doc_id(entry.page_id, entry.key),
        "page_id": entry.page_id,
        "key": entry.key,
        "title": entry.title,
        "body": entry.body,
        "heading_terms": _terms_text(heading_strong),
        "heading_weak": _terms_text(heading_weak),
        "body_terms": _terms_text(body_strong),
        "body_weak": _terms_text(body_weak),
        "context_terms": _terms_text(context_strong + context_weak),
        "title_terms": " ".join(title_terms),
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


def _by_entry(rows, column, entries):
    """{entry id: sorted values} of one of the entries' side tables (tags, title terms), in one query."""
    return _grouped(rows.filter(entry_id__in=[e.pk for e in entries]).values_list("entry_id", column))


def _documents(entries):
    entries = list(entries)
    readers = _grouped(
        ReaderSetPrincipal.objects.filter(reader_set_id__in={e.reader_set_id for e in entries}).values_list(
            "reader_set_id", "principal"
        )
    )
    tags = _by_entry(SearchTag.objects.all(), "tag", entries)
    # The terms the database index flagged as in the title: both engines judge title coverage on the same set.
    in_title = _by_entry(SearchTerm.objects.filter(in_title=True), "term", entries)
    for entry in entries:
        yield document(entry, readers.get(entry.reader_set_id, []), tags.get(entry.pk, []), in_title.get(entry.pk, []))


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
    except (TransportError, ApiError, BulkIndexError, Unavailable) as error:
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
    except (TransportError, ApiError):
        return 0, len(page_ids)
    if lost:
        # The cluster came back without our index (a new node, a wiped disk): only a full build restores it.
        rebuild()
        return len(page_ids), 0
    ok = sync_pages(page_ids)
    return (len(page_ids), 0) if ok else (0, len(page_ids))


def rebuild(stdout=None):
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
    for o in old:
        es.indices.delete(index=o)
    # Whatever was pending is in the new index now.
    PendingIndexChange.objects.all().delete()
    return name, count


# --- queries -----------------------------------------------------------------


def _term_query(term, weight):
    """One term in every field, scores summed: what the embedded engine's posting weight sums."""
    fields = [
        Q("term", **{name: {"value": term, "boost": round(weight * boost, 4)}}) for name, boost in FIELD_BOOSTS.items()
    ]
    return Q("bool", should=fields, minimum_should_match=1)


def _group_query(group):
    """The best of a word's alternative terms (dis_max, like the embedded engine's max), or all its parts."""
    queries = [_term_query(term, weight) for term, weight in group.terms.items()]
    if group.parts:
        queries.append(Q("bool", must=[_term_query(p, analysis.PART) for p in group.parts]))
    return Q("dis_max", queries=queries)


def _clause_query(clause):
    # A synonym of another length counts as the words it replaces, as in the embedded engine.
    alternatives = [
        Q("bool", must=[_group_query(g) for g in alternative], boost=round(clause.span / len(alternative), 4))
        for alternative in clause.alternatives
    ]
    return alternatives[0] if len(alternatives) == 1 else Q("dis_max", queries=alternatives)


def _in_title(group):
    terms = [Q("term", title_terms=term) for term in group.terms]
    if group.parts:
        terms.append(Q("bool", filter=[Q("term", title_terms=p) for p in group.parts]))
    return Q("bool", should=terms, minimum_should_match=1)


def title_coverage(plan, query):
    """`query` scored times 1 + TITLE_BOOST / title length when every clause is in the title (search.ranking)."""
    covered = Q(
        "bool",
        filter=[
            Q(
                "bool",
                should=[Q("bool", filter=[_in_title(g) for g in alt]) for alt in clause.alternatives],
                minimum_should_match=1,
            )
            for clause in plan.clauses
        ],
    )
    functions = [
        {"weight": 1},
        {
            "filter": covered.to_dict(),
            "field_value_factor": {"field": "title_inverse_length", "factor": ranking.TITLE_BOOST, "missing": 0},
        },
    ]
    return Q("function_score", query=query, functions=functions, score_mode="sum", boost_mode="multiply")


def text_query(plan):
    """The query of a plan: required clauses must match, the others enough of them."""
    if plan.is_empty:
        return Q("match_all")
    return title_coverage(plan, _matching_query(plan))


def _matching_query(plan):
    required = [_clause_query(c) for c in plan.clauses if c.required]
    optional = [_clause_query(c) for c in plan.clauses if not c.required]
    words = sum(c.span for c in plan.clauses if not c.required)
    needed = len(optional) if words <= 2 else max(1, len(optional) - 1)
    # On a real cluster the Swedish-analysed text adds score (never recall).
    extra = Q(
        "multi_match", query=plan.text, fields=["title^2", "body", "title.folded^0.5", "body.folded^0.2"], boost=0.2
    )
    query = Q("bool", must=required, should=optional, minimum_should_match=needed if optional else 0)
    return Q("bool", must=[query], should=[extra])


def _facet_filter(name, values):
    return Q("terms", **{FACET_FIELDS[name]: sorted(values)})


def build_search(query: SearchQuery):
    """The elasticsearch-dsl Search for a query: access filter, facet post-filters, per-facet aggregations."""
    search = Search(index=alias_name()).query(text_query(query.plan))
    if query.principals is not None:
        search = search.filter("terms", principals=sorted(query.principals))
    filters = {name: values for name, values in query.filters.items() if values}
    if filters:
        search = search.post_filter(Q("bool", filter=[_facet_filter(n, v) for n, v in filters.items()]))
    for name in FACETS:
        others = [_facet_filter(n, v) for n, v in filters.items() if n != name]
        agg = search.aggs.bucket(name, "filter", filter=Q("bool", filter=others))
        agg.bucket("values", "terms", field=FACET_FIELDS[name], size=FACET_SIZE)
    if query.plan.is_empty:
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, {"page_id": "desc"})
    else:
        search = search.sort("_score", {"date": {"order": "desc", "missing": "_last"}}, "page_id")
    start = (query.page - 1) * query.per_page
    search = search[start : start + query.per_page]
    search = search.source(["page_id", "key"]).extra(track_total_hits=True)
    return search


def search(query: SearchQuery) -> EngineResult:
    try:
        response = build_search(query).using(client()).execute()
    except (TransportError, ApiError) as error:
        raise Unavailable(str(error)) from error
    hits = [Hit(page_id=int(h.page_id), key=h.key or "", score=float(h.meta.score or 0)) for h in response.hits]
    facets = {}
    aggregations = response.aggregations.to_dict() if response.aggregations else {}
    for name in FACETS:
        buckets = aggregations.get(name, {}).get("values", {}).get("buckets", [])
        facets[name] = {str(b["key"]): b["doc_count"] for b in buckets}
    total = response.hits.total.value if hasattr(response.hits.total, "value") else int(response.hits.total)
    return EngineResult(total=total, hits=hits, facets=facets, engine="elasticsearch")
