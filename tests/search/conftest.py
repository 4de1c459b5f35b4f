"""Content for the search tests: a few forums, an instruction and closed pages, built like editors do."""

import os
import uuid

import pytest
from django.contrib.auth.models import Group
from osmem_server import OsmemServer

from search import engines
from search.engines.elastic.client import client
from search.engines.elastic.mapping import alias_name
from tests import builders


@pytest.fixture
def site(demo):
    """Forums in Mjölby and Haninge, an instruction, and a page closed to a group."""
    pages = {}
    mjolby, haninge = builders.organisation("mjolby"), builders.organisation("haninge")
    pages["utskott"] = builders.forum(
        mjolby,
        "trygghets-och-sakerhetsutskottet",
        "Kommunstyrelsens trygghets- och säkerhetsutskott",
        kind="utskott",
        level="politisk",
        purpose="<p>Bereder ärenden om krisberedskap, informationssäkerhet och brottsförebyggande arbete.</p>",
    )
    pages["radet"] = builders.forum(
        mjolby,
        "trygghets-och-sakerhetsradet",
        "Trygghets- och säkerhetsrådet",
        kind="rad",
        level="strategisk",
        purpose="<p>Dialog med externa aktörer som Polisen och bostadsbolagen.</p>",
    )
    pages["lag_skanninge"] = builders.forum(
        mjolby,
        "lag-skanninge",
        "LAG Skänninge – lokal arbetsgrupp",
        kind="lokal_arbetsgrupp",
        level="operativ",
        short_name="LAG",
        locality="Skänninge",
    )
    pages["kombra"] = builders.forum(
        mjolby,
        "kombra",
        "Kombrå – brottsförebyggande rådet, upplöst",
        kind="rad",
        level="strategisk",
        status="upplost",
        purpose="<p>Det tidigare brottsförebyggande rådet.</p>",
    )
    pages["natverk"] = builders.forum(
        mjolby,
        "strategiskt-natverk",
        "Strategiskt nätverk för trygghet och säkerhet",
        kind="natverk",
        level="strategisk",
        # A case number no demo record handles, so this page is the one place it is written.
        purpose="<p>Förvaltningarnas samordning, Dnr KS/2015:99.</p>",
    )
    pages["bra"] = builders.forum(
        haninge,
        "bra",
        "BRÅ – brottsförebyggande rådet, upplöst",
        kind="rad",
        level="strategisk",
        status="upplost",
        short_name="BRÅ",
    )
    pages["kdlg"] = builders.forum(
        haninge,
        "kommundirektorens-ledningsgrupp",
        "Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp",
        kind="styrgrupp",
        level="strategisk",
        short_name="Kdlg",
    )
    pages["instruktion"] = builders.instruction(
        pages["utskott"],
        "uppdragsbeskrivning",
        "Uppdragsbeskrivning för utskottet",
        referrers="Biträdande kommundirektör",
    )
    pages["closed"] = builders.forum(
        mjolby,
        "sakerhetsskydd",
        "Säkerhetsskyddsgruppen",
        kind="annat",
        level="strategisk",
        purpose="<p>Hemlig planering av skyddsobjekt.</p>",
    )
    insiders = Group.objects.create(name="Säkerhetsskydd")
    builders.restrict_to_groups(pages["closed"], insiders)
    pages["insiders"] = insiders
    return pages


@pytest.fixture(scope="session")
def osmem():
    """An in-memory Elasticsearch-API server for the whole run (osmem-server from PyPI)."""
    try:
        server = OsmemServer.start(japanese=False)
    except Exception as error:  # no binary for this platform, no free port…
        if os.environ.get("CI") == "true":
            pytest.fail(f"osmem-server must start in CI: {error}")
        pytest.skip(f"osmem-server could not start here: {error}")
    yield server
    server.close()


def use_elasticsearch(settings, url, plain_json):
    settings.ELASTICSEARCH_URL = url
    settings.ELASTICSEARCH_PLAIN_JSON = plain_json
    # Each test its own alias, so tests never see each other's documents on a shared cluster.
    settings.SEARCH_INDEX_PREFIX = f"test-trygghet-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def elasticsearch(request, settings, osmem):
    """Elasticsearch through osmem-server, torn down (index deleted) after the test."""
    use_elasticsearch(settings, osmem.url, True)
    yield osmem.url
    _drop_indexes()


@pytest.fixture
def real_elasticsearch(settings):
    url = settings.TEST_ELASTICSEARCH_URL
    if not url:
        pytest.skip("ELASTICSEARCH_URL is not set: no real Elasticsearch to test against")
    use_elasticsearch(settings, url, False)
    yield url
    _drop_indexes()


def _drop_indexes():
    try:
        es = client()
        if es.indices.exists_alias(name=alias_name()):
            for name in es.indices.get_alias(name=alias_name()):
                es.indices.delete(index=name)
    except Exception:  # the test stopped the server on purpose
        pass


@pytest.fixture(params=["database", "osmem", "elasticsearch"])
def engine(request, site):
    """Run a test on each engine: the embedded one, osmem-server, and a real cluster when ELASTICSEARCH_URL is set."""
    if request.param == "osmem":
        request.getfixturevalue("elasticsearch")
    elif request.param == "elasticsearch":
        request.getfixturevalue("real_elasticsearch")
    if request.param != "database":
        engines.ELASTICSEARCH.rebuild()
    return request.param
