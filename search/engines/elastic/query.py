"""Elasticsearch queries, built from the same `QueryPlan` as the embedded engine's, so both find and rank alike.

Each term is a `rank_feature` query on the posting weights the documents carry (mapping.py), boosted by its query
weight times its idf from the database index's term statistics: the embedded engine's score of a term, so the
plan's rules (dis_max for a word's best term, sums for its words, function_score factors for the share of words
matched, the title coverage, intents and places) give the same score on both engines.
"""

from elasticsearch_dsl import Q, Search

from search import analysis, ranking
from search.engines.base import FACETS, EngineResult, Hit, SearchQuery, Unavailable
from search.engines.elastic.client import ERRORS, client
from search.engines.elastic.mapping import alias_name
from search.index import statistics
from search.models import PendingIndexChange, held_back_pages

FACET_FIELDS = {
    "type": "type",
    "forum": "forum",
    "section": "section",
    "year": "year",
    "tag": "tags",
    "status": "status",
}
FACET_SIZE = 200


def _significant(value):
    # A boost of six significant digits: the idf of a word in nearly every entry is far below 10⁻⁴.
    return float(f"{value:.6g}")


def _term_query(term, coefficient):
    """The entries holding a term, scored by its posting weight times `coefficient` (linear: the weight as stored)."""
    return Q("rank_feature", field=f"weights.{term}", linear={}, boost=_significant(coefficient))


def _best(queries):
    # No term of the index: nothing matches, as in the embedded engine (a dis_max of nothing is not a query).
    return Q("dis_max", queries=queries) if queries else Q("match_none")


def _group_query(group, idfs):
    """The best of a word's alternative terms (dis_max, like the embedded engine's max), or the average of all its
    parts: each term's posting weight times its query weight and idf."""
    queries = [_term_query(term, weight * idfs[term]) for term, weight in group.terms.items() if term in idfs]
    if group.parts and all(part in idfs for part in group.parts):
        count = len(group.parts)
        queries.append(Q("bool", must=[_term_query(p, idfs[p] / count) for p in group.parts]))
    return _best(queries)


def _alternative_query(alternative, share, idfs):
    return Q("bool", must=[_group_query(g, idfs) for g in alternative], boost=_significant(share))


def _clause_query(clause, idfs):
    # A synonym of another length counts as the words it replaces, as in the embedded engine.
    alternatives = [_alternative_query(a, clause.span / len(a), idfs) for a in clause.alternatives]
    return alternatives[0] if len(alternatives) == 1 else Q("dis_max", queries=alternatives)


def _in_title(group):
    terms = [Q("term", title_terms=term) for term in group.terms]
    if group.parts:
        terms.append(Q("bool", filter=[Q("term", title_terms=p) for p in group.parts]))
    return Q("bool", should=terms, minimum_should_match=1)


def title_coverage(plan, query, idfs):
    """`query` scored times 1 + TITLE_BOOST / title length when every clause is in the title (search.ranking), plus
    each intent's weight when the hit holds what it asks for."""
    covered = Q(
        "bool",
        filter=[
            Q(
                "bool",
                should=[Q("bool", filter=[_in_title(g) for g in alt]) for alt in clause.alternatives],
                minimum_should_match=1,
            )
            for clause in plan.clauses
            if not clause.place
        ],
    )
    functions = [
        {"weight": 1},
        {
            "filter": covered.to_dict(),
            "field_value_factor": {"field": "title_inverse_length", "factor": ranking.TITLE_BOOST, "missing": 0},
        },
    ]
    # A question's intents: a hit holding the facts asked for scores (1 + weight) times more, as in the embedded
    # engine; a function never decides what is a hit.
    for boost in plan.boosts:
        holds = Q("bool", should=[_group_query(g, idfs) for g in boost.groups], minimum_should_match=1)
        functions.append({"filter": holds.to_dict(), "weight": boost.weight})
    scored = Q("function_score", query=query, functions=functions, score_mode="sum", boost_mode="multiply")
    if not plan.places:
        return scored
    # A place the query names multiplies what the rest gives, as in the embedded engine.
    places = [{"weight": 1}]
    for boost in plan.places:
        holds = Q("bool", should=[_group_query(g, idfs) for g in boost.groups], minimum_should_match=1)
        places.append({"filter": holds.to_dict(), "weight": boost.weight})
    return Q("function_score", query=scored, functions=places, score_mode="sum", boost_mode="multiply")


def text_query(plan, idfs):
    """The query of a plan: required clauses must match, the others enough of them; `idfs` of its terms
    (search.index.statistics)."""
    if plan.is_empty:
        return Q("match_all")
    return title_coverage(plan, _share_of_words(plan, _matching_query(plan, idfs), idfs), idfs)


def _matching_query(plan, idfs):
    required = [_clause_query(c, idfs) for c in plan.clauses if c.required]
    optional = [_clause_query(c, idfs) for c in plan.clauses if not c.required and not c.place]
    # A place adds its score beside the words and is not counted among them (analysis._places).
    places = [
        Q("bool", must=[_group_query(c.alternatives[0][0], idfs)], boost=analysis.PLACE_WEIGHT)
        for c in plan.clauses
        if c.place
    ]
    words = sum(c.span for c in plan.clauses if not c.required)
    needed = len(optional) + len(places) if words <= 2 else max(1, len(optional) + len(places) - 1)
    needed = max(1, needed - len(places))
    query = Q("bool", must=required, should=optional, minimum_should_match=needed if optional else 0)
    return Q("bool", must=[query], should=places) if places else query


def _share_of_words(plan, query, idfs):
    """`query` scored times the square of the share of the words matched, as in the embedded engine: twice a factor
    that sums each matched clause's share of the words (a place is none of them)."""
    words = float(sum(c.span for c in plan.clauses if not c.place))
    optional = [c for c in plan.clauses if not c.required and not c.place]
    if not optional or plan.minimum_match >= words:
        # Every word matches in each hit: the factor is 1.
        return query
    functions = [{"filter": _clause_query(c, idfs).to_dict(), "weight": _significant(c.span / words)} for c in optional]
    required = sum(c.span for c in plan.clauses if c.required)
    if required:
        functions.append({"weight": _significant(required / words)})
    for _square in range(2):
        query = Q("function_score", query=query, functions=functions, score_mode="sum", boost_mode="multiply")
    return query


def _facet_filter(name, values):
    return Q("terms", **{FACET_FIELDS[name]: sorted(values)})


def build_search(query: SearchQuery, held=(), idfs=None):
    """The elasticsearch-dsl Search for a query: access filter, facet post-filters, per-facet aggregations.

    `idfs`: those of the plan's terms (`statistics.idfs`; without them nothing matches). `held`: pages whose
    documents in the cluster may be stale (held back by a failed index write, or a change not yet sent to the
    cluster): left out, so a page unpublished or closed meanwhile is not found (fail closed)."""
    search = Search(index=alias_name()).query(text_query(query.plan, idfs if idfs is not None else {}))
    if query.principals is not None:
        search = search.filter("terms", principals=sorted(query.principals))
    if held:
        search = search.filter(Q("bool", must_not=[Q("terms", page_id=sorted(held))]))
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


def _stale_pages():
    pending = PendingIndexChange.objects.values_list("page_id", flat=True)
    return set(held_back_pages()) | set(pending)


def search(query: SearchQuery) -> EngineResult:
    try:
        idfs = statistics.idfs(query.plan.terms()) if not query.plan.is_empty else {}
        response = build_search(query, held=_stale_pages(), idfs=idfs).using(client()).execute()
    except ERRORS as error:
        raise Unavailable(str(error)) from error
    hits = [Hit(page_id=int(h.page_id), key=h.key or "", score=float(h.meta.score or 0)) for h in response.hits]
    facets = {}
    aggregations = response.aggregations.to_dict() if response.aggregations else {}
    for name in FACETS:
        buckets = aggregations.get(name, {}).get("values", {}).get("buckets", [])
        facets[name] = {str(b["key"]): b["doc_count"] for b in buckets}
    total = response.hits.total.value if hasattr(response.hits.total, "value") else int(response.hits.total)
    return EngineResult(total=total, hits=hits, facets=facets, engine="elasticsearch")
