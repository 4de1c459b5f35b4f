"""Personal calendar addresses: Outlook fetches them without a session; each shows its own user's meetings."""

import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from icalendar import Calendar

from safety_pages.calendars import subscriptions as calendar_subscriptions
from safety_pages.models import CalendarSubscription

pytestmark = pytest.mark.django_db

FORUM_PAGE = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"
UNJUSTERAT = FORUM_PAGE + "2026-11-11/"
JUSTERAT = FORUM_PAGE + "2017-09-13/"


def _address(client, page=FORUM_PAGE):
    html = client.get(page).content.decode()
    assert "Prenumerera på kalendern" in html
    return re.search(r'value="http://testserver(/kalender/prenumeration/[^"]+\.ics)"', html).group(1)


def _outlook(path):
    """What a calendar client does: a plain GET, no cookies."""
    return Client().get(path)


def _event_urls(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["url"]) for event in calendar.walk("VEVENT")}


def test_an_employees_address_works_without_a_session_and_never_shows_the_unjusterat_meeting(demo, client_for):
    path = _address(client_for("medarbetare"))
    response = _outlook(path)
    urls = _event_urls(response)
    assert "http://testserver" + JUSTERAT in urls
    assert "http://testserver" + UNJUSTERAT not in urls
    assert "sessionid" not in response.cookies  # nobody was logged in by the address
    assert response["Cache-Control"].startswith("private")


def test_a_members_address_shows_the_unjusterat_meeting(demo, client_for):
    urls = _event_urls(_outlook(_address(client_for("ledamot"))))
    assert "http://testserver" + UNJUSTERAT in urls


def test_the_section_page_offers_the_section_calendar_with_the_same_rule(demo, client_for):
    employee = _outlook(_address(client_for("medarbetare"), "/mjolby/"))
    member = _outlook(_address(client_for("ledamot"), "/mjolby/"))
    assert "http://testserver" + UNJUSTERAT not in _event_urls(employee)
    assert "http://testserver" + UNJUSTERAT in _event_urls(member)


def test_renewing_invalidates_the_old_address(demo, client_for):
    client = client_for("medarbetare")
    old = _address(client)
    response = client.post("/kalender/prenumeration/fornya/", {"next": FORUM_PAGE})
    assert response.status_code == 302 and response["Location"] == FORUM_PAGE
    new = _address(client)
    assert new != old
    assert _outlook(old).status_code == 404
    assert _outlook(new).status_code == 200


def test_renewing_needs_a_post_and_never_redirects_off_site(demo, client_for):
    client = client_for("medarbetare")
    assert client.get("/kalender/prenumeration/fornya/").status_code == 405
    response = client.post("/kalender/prenumeration/fornya/", {"next": "https://example.org/"})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "token", ["x" * calendar_subscriptions.TOKEN_CHARS, "kort", "A" * 43, "-" * calendar_subscriptions.TOKEN_CHARS]
)
def test_wrong_tokens_give_404(demo, client_for, token):
    _address(client_for("medarbetare"))  # a subscription exists, so a lookup has something to miss
    assert _outlook(f"/kalender/prenumeration/{token}/mjolby.ics").status_code == 404
    assert _outlook(f"/kalender/prenumeration/{token}/mjolby/trygghets-och-sakerhetsutskottet.ics").status_code == 404


def test_an_inactive_users_address_stops_working(demo, client_for):
    path = _address(client_for("ledamot"))
    get_user_model().objects.filter(username="ledamot").update(is_active=False)
    assert _outlook(path).status_code == 404


def test_the_token_is_stored_only_as_a_hash(demo, client_for):
    path = _address(client_for("medarbetare"))
    token = path.split("/")[3]
    row = CalendarSubscription.objects.get(user__username="medarbetare")
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (row.salt, row.token_hash)


def test_the_subscribed_calendar_takes_a_fixed_number_of_queries(demo, client_for, django_assert_max_num_queries):
    path = _address(client_for("ledamot"))
    with django_assert_max_num_queries(14):
        assert _outlook(path).status_code == 200
