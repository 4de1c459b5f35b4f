"""The admin tells editors who can read a page and why, and who holds its lock."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from safety_pages.access import roles
from tests import builders

pytestmark = pytest.mark.django_db

EMPTY_RICH_TEXT = json.dumps(
    {
        "blocks": [
            {"key": "a", "type": "unstyled", "text": "", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}
        ],
        "entityMap": {},
    }
)


@pytest.fixture
def committee(demo):
    mjolby = demo.get_children().get(slug="mjolby").specific
    return builders.forum(mjolby, "trygghets-och-sakerhetsutskottet")


def _status_panel(client, page):
    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    match = re.search(r"data-access-summary>(.*?)</div>", html, re.S)
    assert match, "the access summary in the status side panel"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def test_status_panel_says_an_open_page_is_read_by_all_employees(committee, client_for):
    text = _status_panel(client_for("redaktor"), committee)
    assert "Kan läsas av: alla inloggade medarbetare" in text


def test_status_panel_names_the_group_restriction_and_where_it_is_set(committee, client_for):
    page = builders.instruction(committee, "intern")
    builders.restrict_to_groups(committee, Group.objects.get(name=roles.REVIEWERS))
    text = _status_panel(client_for("admin"), page)
    assert "Kan läsas av: Granskare" in text
    assert f"Begränsning på ”{committee.title}”: bara grupperna Granskare." in text


def test_status_panel_says_a_draft_is_seen_only_in_the_admin(committee, client_for):
    draft = builders.instruction(committee, "utkast", publish=False)
    text = _status_panel(client_for("redaktor"), draft)
    assert "Sidan är inte publicerad" in text


def test_someone_elses_lock_is_explained_in_swedish(committee, client_for):
    page = builders.instruction(committee, "last", "Uppdragsbeskrivning")
    page.locked, page.locked_by, page.locked_at = True, builders.user("granskare"), timezone.now()
    page.save()
    html = client_for("redaktor").get(f"/admin/pages/{page.pk}/edit/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "'Uppdragsbeskrivning' låstes av Greta Granskare" in text
    assert "Greta Granskare arbetar med sidan och låste den" in text
    assert "Du kan läsa sidan men inte spara ändringar förrän den är upplåst" in text


def test_lock_holder_sees_no_warning(committee, client_for):
    page = builders.instruction(committee, "last")
    page.locked, page.locked_by, page.locked_at = True, builders.user("granskare"), timezone.now()
    page.save()
    html = client_for("granskare").get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "arbetar med sidan" not in html


# The section page's form as an editor posts it: its fields and its main menu's (empty) inline rows.
SECTION_FORM = {
    "title": "Ändrad",
    "slug": "mjolby",
    "municipality": "Mjölby kommun",
    "intro": EMPTY_RICH_TEXT,
    "menu_items-TOTAL_FORMS": "0",
    "menu_items-INITIAL_FORMS": "0",
    "menu_items-MIN_NUM_FORMS": "0",
    "menu_items-MAX_NUM_FORMS": "1000",
}


def test_locked_page_cannot_be_saved_by_someone_else(demo, client_for):
    page = demo.get_children().get(slug="mjolby").specific
    page.locked, page.locked_by, page.locked_at = True, builders.user("granskare"), timezone.now()
    page.save()
    revisions = page.revisions.count()
    response = client_for("redaktor").post(
        f"/admin/pages/{page.pk}/edit/",
        SECTION_FORM,
    )
    page.refresh_from_db()
    assert page.title == "Mjölby kommun"
    assert page.revisions.count() == revisions
    follow = client_for("redaktor").get(response["Location"]).content.decode()
    assert "Dina ändringar sparades inte. Greta Granskare arbetar med sidan" in follow
    # The same form from the lock holder is saved as a draft.
    client_for("granskare").post(
        f"/admin/pages/{page.pk}/edit/",
        SECTION_FORM,
    )
    assert page.revisions.count() == revisions + 1
