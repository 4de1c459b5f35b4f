"""The tag listing shows every safety page with the tag that the reader may see, and nothing else."""

import pytest

from tests import builders

pytestmark = pytest.mark.django_db


def tag(page, *names):
    page.tags.add(*names)
    page.save_revision().publish()


def test_tag_page_lists_forums_and_instructions_with_the_tag(org, employee_client):
    forum = builders.forum(org, "utskott", title="Utskottet")
    tag(forum, "krisberedskap")
    instruction = builders.instruction(forum, "uppdrag", title="Uppdraget")
    tag(instruction, "krisberedskap")
    tag(builders.forum(org, "annat", title="Annat forum"), "medborgardialog")

    response = employee_client.get("/etiketter/krisberedskap/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Utskottet" in html and "Uppdraget" in html and "Annat forum" not in html
    assert '<ul class="card-list" lang="sv">' in html  # Swedish hyphenation for long compounds
    # The forum page links its tags to the listing.
    assert 'href="/etiketter/krisberedskap/"' in employee_client.get(forum.url).content.decode()


def test_tag_page_leaves_out_pages_closed_to_the_reader(org, employee_client):
    open_forum = builders.forum(org, "oppet", title="Öppet forum")
    closed = builders.forum(org, "slutet", title="Slutet forum")
    tag(open_forum, "brottsförebyggande")
    tag(closed, "brottsförebyggande")
    builders.restrict_to_groups(closed, builders.group("Slutna gruppen"))
    html = employee_client.get("/etiketter/brottsförebyggande/").content.decode()
    assert "Öppet forum" in html and "Slutet forum" not in html


def test_unknown_tag_is_not_found(org, employee_client):
    assert employee_client.get("/etiketter/finns-inte/").status_code == 404
