"""Editors keep the synonyms (Settings → Synonymer i sökningen): each change is logged and searched with at once."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from search import engines
from search.models import Synonym
from tests import builders

ADMIN = "/admin/search/synonym/"


def found(client, query):
    response = client.get("/api/search/", {"q": query})
    assert response.status_code == 200
    return [r["title"] for r in response.json()["results"]]


def log_of(synonym_pk):
    return list(
        ModelLogEntry.objects.filter(object_id=str(synonym_pk))
        .order_by("timestamp", "pk")
        .values_list("action", "user__username", "label")
    )


@pytest.mark.django_db
def test_an_editor_adds_changes_and_deletes_a_synonym_and_readers_find_by_it_at_once(engine, site, client_for):
    # Words made up for this test: only the new forum holds them, and no synonym names them yet.
    builders.forum(
        "mjolby",
        "kvarnplumsradet",
        "Kvarnplumsrådet i Mjölby",
        purpose="<p>Samordnar vandringar längs zorblikstigen.</p>",
    )
    if engine != "database":
        engines.ELASTICSEARCH.rebuild()  # the page's own indexing: test transactions never commit
    reader = client_for("medarbetare")
    assert found(reader, "KVPR") == []

    editor = client_for("redaktor")
    assert not get_user_model().objects.get(username="redaktor").is_superuser
    listing = editor.get(ADMIN)
    assert listing.status_code == 200
    dashboard = editor.get("/admin/").content.decode()
    assert "Synonymer i sökningen" in dashboard or "Synonymer i s\\u00f6kningen" in dashboard  # the settings menu
    response = editor.post(f"{ADMIN}create/", {"term": "KVPR", "equivalents": "kvarnplumsrådet"})
    assert response.status_code == 302
    synonym = Synonym.objects.get(term="KVPR")
    # No reindex is waited for: synonyms are read by both engines at query time.
    assert found(client_for("medarbetare"), "KVPR") == ["Kvarnplumsrådet i Mjölby"]

    response = client_for("redaktor").post(
        f"{ADMIN}edit/{synonym.pk}/", {"term": "KVPR", "equivalents": "zorblikstigen\nnågot annat"}
    )
    assert response.status_code == 302
    assert found(client_for("medarbetare"), "KVPR") == ["Kvarnplumsrådet i Mjölby"]  # now by the purpose's word
    response = client_for("redaktor").post(
        f"{ADMIN}edit/{synonym.pk}/", {"term": "KVPR", "equivalents": "något helt annat"}
    )
    assert response.status_code == 302
    assert found(client_for("medarbetare"), "KVPR") == []

    response = client_for("redaktor").post(f"{ADMIN}delete/{synonym.pk}/")
    assert response.status_code == 302
    assert not Synonym.objects.filter(pk=synonym.pk).exists()

    assert log_of(synonym.pk) == [
        ("wagtail.create", "redaktor", "KVPR"),
        ("wagtail.edit", "redaktor", "KVPR"),
        ("wagtail.edit", "redaktor", "KVPR"),
        ("wagtail.delete", "redaktor", "KVPR"),
    ]


@pytest.mark.django_db
def test_employees_do_not_reach_the_synonyms(site, client_for):
    Synonym.objects.create(term="HLPX", equivalents="hemligt uttryck")
    employee = client_for("medarbetare")
    assert employee.get(ADMIN).status_code in (302, 403)
    assert employee.post(f"{ADMIN}create/", {"term": "ZQX", "equivalents": "x"}).status_code in (302, 403)
    assert not Synonym.objects.filter(term="ZQX").exists()
