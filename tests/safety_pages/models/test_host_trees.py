"""Our sections and indexes under a host intranet's own page types, at any depth (issue 24).

The host's pages are plain Wagtail pages here (`wagtailcore.Page`), named in the settings as a host names its own
page types (docs/install.md); the section sits two levels below the start page instead of right under it.
"""

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from intranet.demo.pages import upsert_child
from safety_pages.models import ForumIndexPage, SectionPage
from safety_pages.organisation.local_roles import reader_group_name
from tests import builders

HOST_TYPES = ["safety_pages.HomePage", "wagtailcore.Page"]


def marker(word):
    return f"{word}{uuid.uuid4().hex[:8]}"


@pytest.fixture
def host_page(demo):
    """A page of the host's own type under the start page, as an intranet's department page would be."""
    page, _created = upsert_child(demo, Page, marker("avdelning"), title="Avdelningen")
    return page


@pytest.fixture
def host_types(settings):
    settings.SAFETY_PAGES_SECTION_PARENT_PAGE_TYPES = HOST_TYPES
    settings.SAFETY_PAGES_INDEX_PARENT_PAGE_TYPES = ["safety_pages.SectionPage", "wagtailcore.Page"]


def _add_page_choices(client, parent):
    # Wagtail goes straight to the form when one page type is allowed, and lists them when several are.
    return client.get(f"/admin/pages/{parent.pk}/add_subpage/", follow=True).content.decode().lower()


@pytest.mark.django_db
def test_editors_may_add_a_section_under_the_host_pages_the_settings_name(host_page, client, settings):
    client.force_login(get_user_model().objects.create_superuser(marker("admin"), password="x"))
    assert not SectionPage.can_create_at(host_page)
    assert "kommunsektion" not in _add_page_choices(client, host_page)

    settings.SAFETY_PAGES_SECTION_PARENT_PAGE_TYPES = HOST_TYPES
    assert SectionPage.can_create_at(host_page)
    assert "kommunsektion" in _add_page_choices(client, host_page)
    # The forum index stays under sections unless its own setting names more.
    assert not ForumIndexPage.can_create_at(host_page)
    settings.SAFETY_PAGES_INDEX_PARENT_PAGE_TYPES = ["safety_pages.SectionPage", "wagtailcore.Page"]
    assert ForumIndexPage.can_create_at(host_page)


@pytest.mark.django_db
def test_a_section_deep_in_a_host_tree_works_as_one_under_the_start_page(host_page, host_types, client):
    title = marker("Djupkommun")
    section, _created = upsert_child(host_page, SectionPage, marker("djup"), title=title, municipality=title)
    assert section.depth == 4
    forum = builders.forum(builders.organisation(section), marker("rad"), marker("Djupradet"))
    word = marker("gatlyktor")
    builders.record(
        forum,
        date=datetime.date(2026, 3, 12),
        adjusted_on=datetime.date(2026, 3, 16),
        paragraphs=[builders.paragraph(1, f"Belysning {word}")],
    )
    client.force_login(builders.user(marker("anstalld")))

    assert client.get(section.url).status_code == 200
    assert forum.title in client.get(forum.url).content.decode()
    calendar = client.get(f"/kalender/{section.slug}.ics")
    assert calendar.status_code == 200 and forum.title in calendar.content.decode()
    answer = client.get("/api/search/", {"q": word}).json()
    assert answer["results"], answer
    # The section facet names the section by its title, though it is not at the depth of the start page's sections.
    assert title in [item["label"] for item in answer["facets"]["section"]], answer["facets"]


@pytest.mark.django_db
def test_two_sections_in_different_parents_cannot_share_an_address(host_page, host_types):
    taken = SectionPage.objects.live().first()
    with pytest.raises(ValidationError) as refused:
        host_page.add_child(instance=SectionPage(title="Dubblett", slug=taken.slug, municipality="Dubblett"))
    assert "En annan kommunsektion har redan adressen" in str(refused.value)


@pytest.mark.django_db
def test_below_a_section_in_a_host_tree_routing_takes_one_query_for_the_path(host_page, host_types):
    """Wagtail's walk reaches the section through the host's pages; from there the rest of the path is read at
    once, and finds what Wagtail's walk would."""
    section, _created = upsert_child(host_page, SectionPage, marker("rutt"), title="Ruttkommun", municipality="R")
    forum = builders.forum(builders.organisation(section), marker("rad"))
    record = builders.record(forum, date=datetime.date(2026, 3, 12))
    components = record.url_path[len(section.url_path) :].strip("/").split("/")
    assert len(components) == 3
    request = RequestFactory().get(record.url)
    section = SectionPage.objects.get(pk=section.pk)

    with CaptureQueriesContext(connection) as ours:
        found = section.route(request, components)
    with CaptureQueriesContext(connection) as stock:
        walked = Page.route(section, request, components)
    assert found.page.pk == walked.page.pk == record.pk
    assert len(ours) < len(stock)


@pytest.mark.django_db
def test_a_forum_index_under_a_host_page_names_no_section_in_its_reader_groups(host_page, host_types):
    index, _created = upsert_child(host_page, ForumIndexPage, marker("organisation"), title="Organisation")
    forum = builders.forum(index, marker("rad"), "Rådet utan sektion")
    deep, _created = upsert_child(host_page, SectionPage, marker("sektion"), title="Sektionen", municipality="S")
    in_section = builders.forum(builders.organisation(deep), marker("rad"), "Rådet i sektionen")

    # The page above the index is the host's department, not a municipality: it is not named as one.
    assert reader_group_name(forum) == f"Läsare {forum.pk}: Rådet utan sektion"
    assert reader_group_name(in_section) == f"Läsare {in_section.pk}: Rådet i sektionen (Sektionen)"
