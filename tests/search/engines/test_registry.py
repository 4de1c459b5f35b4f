"""The registry (search.engines): the settings choose the engine; the database index answers when it cannot."""

import socket

import pytest

from search import analysis, engines
from search.engines import SearchQuery


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_without_a_cluster_the_database_index_answers_and_nothing_keeps_a_copy(settings):
    settings.ELASTICSEARCH_URL = ""
    assert engines.primary() is engines.fallback() is engines.DATABASE
    assert engines.copies() == []


def test_a_configured_cluster_answers_and_keeps_a_copy(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    assert engines.primary() is engines.ELASTICSEARCH
    assert engines.fallback() is engines.DATABASE
    assert engines.copies() == [engines.ELASTICSEARCH]


@pytest.mark.django_db
def test_an_unreachable_cluster_falls_back_to_the_database_index_and_says_so(site, settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{_free_port()}"
    query = SearchQuery(analysis.plan_query("Kdlg"), {}, principals=None)
    result, fell_back = engines.search(query)
    assert fell_back and result.engine == "database" and result.total >= 1
    assert engines.titles("kdl", None, 8)  # titles come from the database index the cluster is fed from


@pytest.mark.django_db
def test_only_stop_words_find_nothing_on_the_database_index(site):
    result, fell_back = engines.search(SearchQuery(analysis.plan_query("och"), {}, principals=None))
    assert (result.total, result.hits, fell_back) == (0, [], False)
