"""Labels are content (issue 19, item 1): a forum id or a section slug in a filter never names a page the reader may
not see, on the API or the search page; such a value is dropped from the filters as one that does not exist."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from intranet.demo.pages import upsert_child
from safety_pages.models import ForumPage, InstructionPage, SectionPage
from tests.search.test_access import _unadjusted_record


def marker(word):
    """A title word no other page has, so finding it anywhere in a response means this page was named."""
    return f"{word}{uuid.uuid4().hex[:8]}"


def restrict(page, group):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)


@pytest.fixture
def closed(site, demo):
    """Pages whose titles a plain employee must never read: each state the leak was found in."""
    index = site["radet"].get_parent()
    group = Group.objects.create(name=marker("grupp"))
    made = {}
    made["restricted"] = upsert_child(
        index, ForumPage, marker("r"), title=marker("Slutenforum"), kind="rad", level="strategisk"
    )[0]
    restrict(made["restricted"], group)
    made["unpublished"] = upsert_child(
        index, ForumPage, marker("u"), title=marker("Avpubliceratforum"), kind="rad", level="strategisk"
    )[0]
    made["unpublished"].unpublish()
    made["draft"] = upsert_child(
        index, ForumPage, marker("d"), title=marker("Utkastforum"), kind="rad", level="strategisk", publish=False
    )[0]
    section, _ = upsert_child(demo, SectionPage, marker("sektion"), title=marker("Slutensektion"), municipality="X")
    restrict(section, group)
    made["section"] = section
    made["under_section"] = upsert_child(
        section, ForumPage, marker("f"), title=marker("Underforum"), kind="rad", level="strategisk"
    )[0]
    made["group"] = group
    return made


def titles_of(closed):
    return [closed[name].title for name in ("restricted", "unpublished", "draft", "section", "under_section")]


def forum_ids(site, closed):
    ids = [closed[name].pk for name in ("restricted", "unpublished", "draft", "under_section")]
    return [str(pk) for pk in [*ids, site["radet"].pk]]


@pytest.mark.django_db
def test_forum_and_section_filters_name_no_page_the_reader_may_not_see(site, closed, client_for):
    reader = client_for("medarbetare")
    params = {"q": "", "forum": forum_ids(site, closed), "section": [closed["section"].slug, "mjolby"]}
    api = reader.get("/api/search/", params)
    page = reader.get("/sok/", params)
    assert api.status_code == page.status_code == 200
    shown = api.content.decode() + page.content.decode()
    for title in titles_of(closed):
        assert title not in shown
    # The visible forum is still named, and still filters.
    forums = {f["value"]: f["label"] for f in api.json()["facets"]["forum"]}
    assert forums[str(site["radet"].pk)] == "Trygghets- och säkerhetsrådet"
    assert set(forums) & set(forum_ids(site, closed)[:-1]) == set()
    assert "Trygghets- och säkerhetsrådet" in page.content.decode()


@pytest.mark.django_db
def test_a_hidden_forum_is_no_filter_as_one_that_does_not_exist(site, closed, client_for):
    reader = client_for("medarbetare")

    def listing(**params):
        data = reader.get("/api/search/", {"q": "råd", **params}).json()
        return data["total"], data["facets"]["forum"], [r["url"] for r in data["results"]]

    everything = listing()
    assert listing(forum=str(closed["restricted"].pk)) == everything
    assert listing(forum="2147483647") == everything  # no such page: the same answer, so no existence oracle
    assert listing(section=closed["section"].slug) == listing(section="ingen-sadan-sektion") == everything


@pytest.mark.django_db
def test_a_member_sees_the_closed_forum_named_and_can_filter_by_it(site, closed, client_for):
    get_user_model().objects.get(username="medarbetare").groups.add(closed["group"])
    reader = client_for("medarbetare")
    data = reader.get("/api/search/", {"q": "", "forum": str(closed["restricted"].pk)}).json()
    assert [r["title"] for r in data["results"]] == [closed["restricted"].title]
    assert {"value": str(closed["restricted"].pk), "label": closed["restricted"].title, "count": 1} in data["facets"][
        "forum"
    ]
    sections = reader.get("/api/search/", {"q": "", "section": closed["section"].slug}).json()
    assert closed["section"].title in [f["label"] for f in sections["facets"]["section"]]
    # The unpublished and the draft forum stay unnamed even to a member.
    shown = reader.get("/api/search/", {"q": "", "forum": forum_ids(site, closed)}).content.decode()
    assert closed["unpublished"].title not in shown and closed["draft"].title not in shown


@pytest.mark.django_db
def test_an_unadjusted_record_is_not_named_by_its_id(site, client_for):
    record = _unadjusted_record()
    shown = client_for("medarbetare").get("/api/search/", {"forum": str(record.pk)}).content.decode()
    assert record.title not in shown


@pytest.mark.django_db
def test_a_hit_under_a_hidden_forum_does_not_show_that_forums_title(site, closed, client_for):
    # A live page below an unpublished forum stays findable (Wagtail serves it), but the forum's title is not shown.
    child = upsert_child(
        closed["unpublished"], InstructionPage, marker("i"), title=marker("Levande"), referrers="Kommundirektör"
    )[0]
    data = client_for("medarbetare").get("/api/search/", {"q": child.title}).json()
    assert [r["title"] for r in data["results"]] == [child.title]
    assert closed["unpublished"].title not in str(data)
