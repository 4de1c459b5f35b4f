"""The Elasticsearch engine: its mapping and queries by definition, its behaviour against osmem-server
(in-memory, Elasticsearch API) and, when ELASTICSEARCH_URL is set, against a real cluster."""

import socket

import pytest
from django.core.management import call_command
from osmem_server import OsmemServer
from wagtail.models import Page

from search import analysis
from search.engines import DATABASE, ELASTICSEARCH, FACETS, SearchQuery
from search.engines.elastic import query as elastic_query
from search.engines.elastic.client import client
from search.engines.elastic.mapping import alias_name, index_for
from search.models import PendingIndexChange
from tests.search.conftest import use_elasticsearch

pytestmark = pytest.mark.elasticsearch

EMPLOYEES = frozenset({"authenticated"})


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200
    return response.json()


def test_mapping_declares_the_swedish_analysis_chain():
    definition = index_for("x").to_dict()
    analysis_settings = definition["settings"]["analysis"]
    filters = analysis_settings["filter"]
    assert filters["swedish_stemmer"] == {"type": "stemmer", "language": "swedish"}
    assert filters["swedish_decompound"]["type"] == "dictionary_decompounder"
    assert {"råd", "rådet", "utskott", "trygghets"} <= set(filters["swedish_decompound"]["word_list"])
    assert filters["swedish_folding"]["type"] == "asciifolding"
    assert analysis_settings["analyzer"]["swedish_compound"]["filter"] == [
        "lowercase",
        "swedish_decompound",
        "swedish_stemmer",
    ]
    title = definition["mappings"]["properties"]["title"]
    assert title["analyzer"] == "swedish_compound" and title["fields"]["folded"]["analyzer"] == "swedish_folded"
    assert definition["mappings"]["properties"]["principals"] == {"type": "keyword"}


def test_query_filters_access_in_one_clause_and_facets_by_the_other_filters():
    plan = analysis.plan_query("Dnr KS/2017:215 samverkan")
    query = SearchQuery(plan=plan, filters={"section": {"mjolby"}, "year": {"2017"}}, principals=frozenset({"group:3"}))
    idfs = {term: 2.0 for term in plan.terms()}
    body = elastic_query.build_search(query, idfs=idfs).to_dict()
    assert body["query"]["bool"]["filter"] == [{"terms": {"principals": ["group:3"]}}]
    assert {"terms": {"section": ["mjolby"]}} in body["post_filter"]["bool"]["filter"]
    # The section facet counts without the section filter, but with the year filter.
    assert body["aggs"]["section"]["filter"] == {"bool": {"filter": [{"terms": {"year": ["2017"]}}]}}
    scored = body["query"]["bool"]["must"][0]["function_score"]
    # Title coverage (search.ranking): the factor applies only where the title holds every clause.
    assert scored["boost_mode"] == "multiply" and scored["functions"][1]["field_value_factor"]["field"] == (
        "title_inverse_length"
    )
    assert "#ks2017-215" in str(scored["functions"][1]["filter"])
    case_number = scored["query"]["bool"]["must"][0]
    # The case number's posting weight times its query weight and idf, as the embedded engine scores it.
    assert {"rank_feature": {"field": "weights.#ks2017-215", "linear": {}, "boost": 6.0}} in nested_queries(case_number)
    assert body["track_total_hits"] is True


def nested_queries(query):
    """Every query inside a query's dict, however deeply nested."""
    found = [query]
    for value in query.values() if isinstance(query, dict) else query:
        if isinstance(value, dict | list):
            found += nested_queries(value)
    return found


def test_a_superuser_query_has_no_access_filter():
    query = SearchQuery(plan=analysis.plan_query("råd"), filters={}, principals=None)
    assert "principals" not in str(elastic_query.build_search(query).to_dict()["query"])


@pytest.mark.django_db
def test_reindex_builds_a_new_index_and_swaps_the_alias(site, elasticsearch):
    es = client()
    call_command("search_reindex", stdout=open("/dev/null", "w"))
    first = set(es.indices.get_alias(name=alias_name()))
    call_command("search_reindex", stdout=open("/dev/null", "w"))
    second = set(es.indices.get_alias(name=alias_name()))
    assert len(first) == len(second) == 1 and first != second
    assert not es.indices.exists(index=first.pop())


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,expected",
    [
        ("säkerhetsutskott", "Kommunstyrelsens trygghets- och säkerhetsutskott"),
        ("skanninge", "LAG Skänninge – lokal arbetsgrupp"),
        ("sakerhetsradet", "Trygghets- och säkerhetsrådet"),
        ("BRÅ", "BRÅ – brottsförebyggande rådet, upplöst"),
        ("KS 2015/99", "Strategiskt nätverk för trygghet och säkerhet"),
    ],
)
def test_elasticsearch_finds_what_the_embedded_engine_finds(site, elasticsearch, client_for, query, expected):
    ELASTICSEARCH.rebuild()
    data = api(client_for("medarbetare"), q=query)
    assert data["engine"] == "elasticsearch"
    assert data["results"][0]["title"] == expected


# Queries on which osmem-server's own BM25 ordered the hits otherwise than the embedded engine (short titles first),
# and queries using each rule of the plan: compound parts, folded words, synonyms, a word of three that may be
# missing, a question's intent, a place, a case number.
SAME_ORDER_QUERIES = [
    "samverkansrad",
    "när sammanträder utskottet",
    "Mantorp",
    "trygghetsråd Mjölby",
    "vem leder trygghetsrådet i Linköping",
    "lokal arbetsgrupp Mjölby",
    "sakerhetsutskottet",
    "BRÅ",
    "polisen samverkan trygghet skolan",
    "KS 2015/99",
]


def ask(engine, text, per_page):
    wanted = {name: set() for name in FACETS}
    return engine.search(SearchQuery(analysis.plan_query(text), wanted, per_page=per_page, principals=EMPLOYEES))


@pytest.mark.django_db
def test_elasticsearch_gives_the_embedded_engines_hits_in_its_order(site, elasticsearch):
    ELASTICSEARCH.rebuild()
    for text in SAME_ORDER_QUERIES:
        elastic, embedded = ask(ELASTICSEARCH, text, 10), ask(DATABASE, text, 20)
        assert elastic.engine == "elasticsearch" and elastic.hits, text
        assert elastic.total == embedded.total, text
        # The cluster keeps a weight to 9 significant bits (rank_features): scores within a percent, so two hits
        # whose scores are that close may change places, and no others.
        scores = [h.score for h in embedded.hits]
        assert [h.score for h in elastic.hits] == pytest.approx(scores[: len(elastic.hits)], rel=0.01), text
        for position, (hit, expected) in enumerate(zip(elastic.hits, embedded.hits, strict=False)):
            tied = any(
                other == pytest.approx(scores[position], rel=0.01)
                for other in scores[:position] + scores[position + 1 :]
            )
            assert tied or (hit.page_id, hit.key) == (expected.page_id, expected.key), (text, position)


@pytest.mark.django_db
def test_facets_and_empty_query_on_elasticsearch(site, elasticsearch, client_for):
    ELASTICSEARCH.rebuild()
    data = api(client_for("medarbetare"), q="", section="haninge", type="forumpage")
    assert data["engine"] == "elasticsearch"
    found = {r["title"] for r in data["results"]}
    assert {"BRÅ – brottsförebyggande rådet, upplöst", "Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"} <= found
    assert all(r["url"].startswith("/haninge/") and r["type"] == "forumpage" for r in data["results"])
    assert data["total"] == len(data["results"])
    assert {f["value"] for f in data["facets"]["section"]} >= {"haninge", "mjolby"}


@pytest.mark.django_db
def test_a_deleted_subtree_leaves_elasticsearch(site, elasticsearch, django_capture_on_commit_callbacks):
    ELASTICSEARCH.rebuild()
    es = client()
    subtree = list(Page.objects.descendant_of(site["utskott"], inclusive=True).values_list("pk", flat=True))

    def documents():
        es.indices.refresh(index=alias_name())
        found = es.search(index=alias_name(), query={"terms": {"page_id": subtree}}, size=0, track_total_hits=True)
        return found["hits"]["total"]["value"]

    assert len(subtree) > 2 and documents() >= len(subtree)
    # The utskott goes with its instruction and its records: each page leaves the cluster once its row is gone.
    with django_capture_on_commit_callbacks(execute=True):
        site["utskott"].delete()
    assert documents() == 0
    assert not PendingIndexChange.objects.exists()


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_publishing_while_the_cluster_is_down_succeeds_and_is_replayed(
    site, settings, client_for, osmem, django_capture_on_commit_callbacks
):
    address = f"127.0.0.1:{_free_port()}"
    server = OsmemServer.start(japanese=False, addr=address)
    try:
        use_elasticsearch(settings, f"http://{address}", True)
        ELASTICSEARCH.rebuild()
        server.close()  # the cluster goes down

        page = site["kdlg"]
        page.title = "Kommundirektörens ledningsgrupp – styrgrupp för trygghetsarbetet"
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        assert PendingIndexChange.objects.filter(page_id=page.pk).exists()

        reader = client_for("medarbetare")
        data = api(reader, q="trygghetsarbetet")
        assert data["engine"] == "database" and data["results"][0]["title"] == page.title
        assert "svarar inte just nu" in reader.get("/sok/", {"q": "trygghetsarbetet"}).content.decode()

        server = OsmemServer.start(japanese=False, addr=address)  # back, but empty: it was in memory
        call_command("search_reindex", "--pending", stdout=open("/dev/null", "w"))
        assert not PendingIndexChange.objects.exists()
        data = api(reader, q="trygghetsarbetet")
        assert data["engine"] == "elasticsearch" and data["results"][0]["title"] == page.title
    finally:
        server.close()


@pytest.mark.django_db
def test_an_index_of_the_former_mapping_is_not_searched_and_a_reindex_replaces_it(
    site, settings, elasticsearch, client_for
):
    # As a cluster fed by the release before the posting weights holds it: its analysed terms, its own alias.
    es = client()
    former = f"{settings.SEARCH_INDEX_PREFIX}-entries"
    es.indices.create(
        index=f"{former}-20261201000000000000",
        mappings={"properties": {"page_id": {"type": "integer"}, "body_terms": {"type": "text"}}},
        aliases={former: {}},
    )
    reader = client_for("medarbetare")
    # Searched, it would have found nothing (it has no weights): the embedded engine answers meanwhile.
    data = api(reader, q="säkerhetsutskott")
    assert data["engine"] == "database" and data["results"][0]["title"] == (
        "Kommunstyrelsens trygghets- och säkerhetsutskott"
    )
    call_command("search_reindex", stdout=open("/dev/null", "w"))
    data = api(reader, q="säkerhetsutskott")
    assert data["engine"] == "elasticsearch" and data["results"][0]["title"] == (
        "Kommunstyrelsens trygghets- och säkerhetsutskott"
    )
    assert not es.indices.exists_alias(name=former)


@pytest.mark.django_db
def test_pending_changes_replay_onto_a_cluster_that_kept_its_index(
    site, settings, elasticsearch, client_for, django_capture_on_commit_callbacks
):
    ELASTICSEARCH.rebuild()
    reachable = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_free_port()}"  # unreachable for a while
    page = site["bra"]
    page.title = "BRÅ – brottsförebyggande rådet (vilande)"  # a word no demo page uses
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert PendingIndexChange.objects.count() == 1

    settings.ELASTICSEARCH_URL = reachable
    assert api(client_for("medarbetare"), q="vilande")["total"] == 0  # the cluster still has the old title
    call_command("search_reindex", "--pending", stdout=open("/dev/null", "w"))
    data = api(client_for("medarbetare"), q="vilande")
    assert data["engine"] == "elasticsearch" and [r["title"] for r in data["results"]] == [page.title]


@pytest.mark.django_db
def test_replay_without_a_cluster_fails_and_keeps_the_changes(site, settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_free_port()}"
    PendingIndexChange.objects.create(page_id=site["bra"].pk)
    with pytest.raises(Exception, match="väntar fortfarande"):
        call_command("search_reindex", "--pending", stdout=open("/dev/null", "w"))
    assert PendingIndexChange.objects.count() == 1


@pytest.mark.django_db
def test_real_cluster_splits_stems_and_folds_swedish(site, real_elasticsearch):
    """The Swedish chain itself can only be checked on a real Elasticsearch."""
    ELASTICSEARCH.rebuild()
    es = client()
    tokens = es.indices.analyze(index=alias_name(), analyzer="swedish_compound", text="Trygghetsrådet")["tokens"]
    assert "råd" in {t["token"] for t in tokens}
    folded = es.indices.analyze(index=alias_name(), analyzer="swedish_folded", text="Skänninge")["tokens"]
    assert folded[0]["token"].startswith("skanning")
