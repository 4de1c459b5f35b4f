"""The main menu in the header: the municipality's own, kept by editors on the section page (Meny tab), or
derived from the section's subpages; never a page the reader may not see; a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safety_pages.models import SectionMenuItem
from tests import builders

pytestmark = pytest.mark.django_db


def _menu(html):
    """The menu's entries as (label, href, aria-current or "")."""
    nav = re.search(r'<nav class="main-menu" aria-label="Huvudmeny">(.*?)</nav>', html, re.S)
    if nav is None:
        return []
    return [
        (label, href, current)
        for href, current, label in re.findall(
            r'<a href="([^"]+)"(?: aria-current="([^"]+)")?>([^<]+)</a>', nav.group(1)
        )
    ]


def test_without_menu_items_the_section_and_its_subpages_are_the_menu(org, employee_client):
    index = builders.steering_index(builders.section("exempel"), slug="styrdokument")
    menu = _menu(employee_client.get(org.url).content.decode())
    assert menu == [
        ("Exempel kommun", "/exempel/", "true"),
        (builders.ORGANISATION_TITLE, "/exempel/organisation/", "page"),
        (index.title, "/exempel/styrdokument/", ""),
    ]


def test_the_start_page_lists_the_municipalities(org, employee_client):
    assert _menu(employee_client.get("/").content.decode()) == [("Exempel kommun", "/exempel/", "")]


def test_the_editors_items_in_their_order_and_words(org, employee_client):
    section = builders.section("exempel")
    forum = builders.forum(org, "utskottet", title="Utskottet")
    SectionMenuItem.objects.create(section=section, link_page=forum, label="Vårt utskott", sort_order=0)
    SectionMenuItem.objects.create(section=section, link_page=org, sort_order=1)
    menu = _menu(employee_client.get(forum.url).content.decode())
    assert menu == [
        ("Vårt utskott", "/exempel/organisation/utskottet/", "page"),
        (builders.ORGANISATION_TITLE, "/exempel/organisation/", "true"),
    ]


def test_a_page_the_reader_may_not_see_is_left_out(org, client, employee_client):
    section = builders.section("exempel")
    closed = builders.forum(org, "stangt", title="Stängt forum Kvastfening")
    insiders = builders.group("Kvastfeningarna")
    builders.restrict_to_groups(closed, insiders)
    SectionMenuItem.objects.create(section=section, link_page=closed, label="Kvastfening i menyn", sort_order=0)
    SectionMenuItem.objects.create(section=section, link_page=org, sort_order=1)
    html = employee_client.get(org.url).content.decode()
    assert "Kvastfening" not in html
    assert _menu(html) == [(builders.ORGANISATION_TITLE, "/exempel/organisation/", "page")]
    client.force_login(builders.user("insider", "Kvastfeningarna"))
    assert [label for label, _href, _current in _menu(client.get(org.url).content.decode())] == [
        "Kvastfening i menyn",
        builders.ORGANISATION_TITLE,
    ]


def test_an_unpublished_page_is_left_out(org, employee_client):
    draft = builders.forum(org, "utkast", title="Opublicerat Kvastfening", publish=False)
    SectionMenuItem.objects.create(section=builders.section("exempel"), link_page=draft, sort_order=0)
    assert "Kvastfening" not in employee_client.get(org.url).content.decode()


def test_anonymous_visitors_get_no_menu(org, client):
    assert _menu(client.get("/login/").content.decode()) == []


def test_an_editor_keeps_the_menu_on_the_section_pages_meny_tab(org, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("menyredaktor", password="x"))
    section = builders.section("exempel")
    response, data = builders.edit_form(client, section)
    assert "Huvudmeny" in response.content.decode()
    builders.add_inline(data, "menu_items", {"link_page": org.pk, "label": "Vilka gör vad"})
    assert builders.publish(client, section, data).status_code == 302
    assert ("Vilka gör vad", "/exempel/organisation/", "page") in _menu(client.get(org.url).content.decode())


def test_the_menu_costs_the_same_queries_whatever_its_length(org, employee_client):
    section = builders.section("exempel")
    forums = [builders.forum(org, f"forum-{n}") for n in range(6)]
    SectionMenuItem.objects.create(section=section, link_page=forums[0], sort_order=0)
    employee_client.get(org.url)
    with CaptureQueriesContext(connection) as one:
        employee_client.get(org.url)
    for n, forum in enumerate(forums[1:], start=1):
        SectionMenuItem.objects.create(section=section, link_page=forum, sort_order=n)
    employee_client.get(org.url)
    with CaptureQueriesContext(connection) as six:
        html = employee_client.get(org.url).content.decode()
    assert len(_menu(html)) == 6
    assert len(six) == len(one)


def test_the_menu_is_drawn_from_the_cache_until_something_changes(org, employee_client):
    section = builders.section("exempel")
    forum = builders.forum(org, "forum-cachat")
    employee_client.get(org.url)
    with CaptureQueriesContext(connection) as cached:
        employee_client.get(org.url)
    assert not [q for q in cached.captured_queries if "safety_pages_sectionmenuitem" in q["sql"]]
    # An editor's new menu entry bumps the content generation: the next page shows it.
    SectionMenuItem.objects.create(section=section, link_page=forum, sort_order=0, label="Cachat forum")
    assert ("Cachat forum", forum.url, "") in _menu(employee_client.get(org.url).content.decode())


def test_a_cached_menu_is_not_shared_with_a_reader_who_may_see_less(org, employee_client):
    section = builders.section("exempel")
    closed = builders.forum(org, "stangt", title="Stängt forum Kvastfening")
    builders.restrict_to_groups(closed, builders.group("Kvastfeningarna"))
    SectionMenuItem.objects.create(section=section, link_page=closed, label="Kvastfening i menyn", sort_order=0)
    # The insider draws (and caches) the menu first, in the same content generation as the employee after her.
    insider = Client()
    insider.force_login(builders.user("insider", "Kvastfeningarna"))
    assert "Kvastfening i menyn" in insider.get(org.url).content.decode()
    assert "Kvastfening" not in employee_client.get(org.url).content.decode()
