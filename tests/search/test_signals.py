"""The index follows the page tree: publish, drafts, unpublish, move, delete and view restrictions."""

import pytest
from wagtail.models import PageViewRestriction

from tests import builders

KDLG = "Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"


def found(client, query):
    return [r["title"] for r in client.get("/api/search/", {"q": query}).json()["results"]]


@pytest.fixture
def reader(site, client_for):
    return client_for("medarbetare")


@pytest.mark.django_db
def test_a_published_page_is_found_and_a_draft_is_not(site, reader):
    index = site["kombra"].get_parent()
    page = builders.forum(index, "ny", "Nattvandrarnätverket", kind="natverk", level="operativ")
    assert found(reader, "nattvandrarnätverket") == ["Nattvandrarnätverket"]

    page.title = "Fältgruppen för nattvandring"
    page.save_revision()  # a draft: the live page keeps its title
    assert found(reader, "fältgruppen") == []
    assert found(reader, "nattvandrarnätverket") == ["Nattvandrarnätverket"]

    page.get_latest_revision().publish()
    assert found(reader, "fältgruppen") == ["Fältgruppen för nattvandring"]
    assert found(reader, "nattvandrarnätverket") == []


@pytest.mark.django_db
def test_an_unpublished_page_disappears(site, reader):
    site["kdlg"].unpublish()
    assert KDLG not in found(reader, "Kdlg")


@pytest.mark.django_db
def test_a_deleted_page_disappears(site, reader):
    site["kdlg"].delete()
    assert KDLG not in found(reader, "Kdlg")


@pytest.mark.django_db
def test_a_moved_page_changes_section_and_url(site, reader):
    haninge_index = site["bra"].get_parent()
    site["lag_skanninge"].move(haninge_index, pos="last-child")
    data = reader.get("/api/search/", {"q": "skänninge", "section": "haninge"}).json()
    assert [r["url"] for r in data["results"]] == ["/haninge/organisation/lag-skanninge/"]


@pytest.mark.django_db
def test_a_new_restriction_closes_the_page_and_its_removal_opens_it(site, reader):
    restriction = builders.restrict_to_groups(site["kdlg"], site["insiders"])
    assert KDLG not in found(reader, "Kdlg")
    restriction.delete()
    assert found(reader, "Kdlg")[0] == KDLG


@pytest.mark.django_db
def test_a_restriction_on_an_ancestor_closes_the_subtree(site, reader):
    PageViewRestriction.objects.create(
        page=site["utskott"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert "Uppdragsbeskrivning för utskottet" not in found(reader, "uppdragsbeskrivning")
