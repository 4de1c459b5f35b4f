"""The calendar block on forum and section pages: subscribing is the first thing offered, in one click (webcal:)
or by copying the address; the .ics lists the agenda item by item."""

import datetime
import re

import pytest
from icalendar import Calendar

from tests import builders

pytestmark = pytest.mark.django_db


def test_a_forum_page_offers_subscribing_first_with_a_webcal_link_and_a_copy_button(org, employee_client):
    forum = builders.forum(org, "prenumererat", title="Prenumererat forum")
    html = employee_client.get(forum.url).content.decode()
    block = html[html.index('<details class="calendar-subscription') :]
    assert html.index("Prenumerera på kalendern") < html.index('<dl class="facts">')  # before the facts
    webcal = re.search(r'href="(webcal://testserver/kalender/prenumeration/[^"]+\.ics)"', block).group(1)
    address = re.search(r'value="(http://testserver/kalender/prenumeration/[^"]+\.ics)"', block).group(1)
    assert webcal == "webcal:" + address.removeprefix("http:")
    # A labelled field and a copy button that script shows (hidden without it), its result announced.
    assert '<label for="calendar-address">Din personliga kalenderadress</label>' in block
    assert re.search(
        r'<button type="button"[^>]*data-copy="calendar-address"[^>]*hidden>Kopiera adressen</button>', block
    )
    assert 'role="status"' in block
    # One way to subscribe: the session-bound file is offered only as a one-off download inside the block.
    assert "i kalendern (iCalendar)" not in html
    assert html.count(f"/kalender/exempel/{forum.slug}.ics") == 1


def test_a_section_page_has_no_separate_calendar_link_beside_the_subscription(org, employee_client):
    html = employee_client.get("/exempel/").content.decode()
    assert "Sammanträden i kalendern (iCalendar)" not in html
    assert html.count("Prenumerera på kalendern") == 1


def test_the_ics_description_lists_the_agenda_item_by_item(org, employee_client):
    forum = builders.forum(org, "dagordning")
    builders.record(
        forum,
        date=datetime.date(2030, 5, 6),
        status="planerat",
        agenda="<ol><li>Val av justerare</li><li>Handlingsplan &amp; uppföljning</li></ol><p>Övrigt</p>",
    )
    response = employee_client.get(f"/kalender/exempel/{forum.slug}.ics")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    description = str(event["description"])
    assert description.startswith("Val av justerare\nHandlingsplan & uppföljning\nÖvrigt\n\n")
