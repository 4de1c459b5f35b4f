"""The forum and section calendars and the minutes feed follow the same visibility as the pages."""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest
from icalendar import Calendar

from tests import builders

pytestmark = pytest.mark.django_db

UTSKOTT_ICS = "/kalender/mjolby/trygghets-och-sakerhetsutskottet.ics"


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["URL"]).split("/")[-2]: event for event in calendar.walk("VEVENT")}


def test_forum_calendar_validates_links_back_and_says_when_a_meeting_is_cancelled(demo, client_for):
    events = _events(client_for("medarbetare").get(UTSKOTT_ICS))
    assert {"2017-09-13", "2026-12-09", "2026-11-25"} <= set(events)
    upcoming = events["2026-12-09"]
    assert str(upcoming["URL"]) == "http://testserver/mjolby/organisation/trygghets-och-sakerhetsutskottet/2026-12-09/"
    assert upcoming.decoded("DTSTART") == datetime.datetime(
        2026, 12, 9, 13, 0, tzinfo=upcoming.decoded("DTSTART").tzinfo
    )
    assert str(upcoming["DTSTART"].params["TZID"]) == "Europe/Stockholm"
    cancelled = events["2026-11-25"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("INSTÄLLT")


def test_calendars_leave_out_minutes_closed_to_the_reader(demo, client_for):
    assert "2026-11-11" not in _events(client_for("medarbetare").get(UTSKOTT_ICS))
    assert "2026-11-11" in _events(client_for("ledamot").get(UTSKOTT_ICS))
    section_events = _events(client_for("medarbetare").get("/kalender/mjolby.ics"))
    assert {"2016-12-07", "2017-09-13", "2026-12-09"} <= set(section_events)
    assert "2026-11-11" not in section_events
    assert client_for("medarbetare").get("/kalender/finns-inte.ics").status_code == 404


def test_atom_feed_lists_justerade_records_only(demo, client_for):
    response = client_for("ledamot").get("/protokoll/mjolby/trygghets-och-sakerhetsutskottet.atom")
    xml = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Trygghets- och säkerhetsutskottet 2017-09-13" in xml
    assert "§ 36 Medborgardialog inom området trygghet och säkerhet" in xml
    assert "2026-11-11" not in xml  # not justerat: not in the feed, even for a member
    assert "2026-12-09" not in xml  # a planned meeting has no minutes


def test_atom_summaries_show_markup_in_a_paragraph_title_as_text(demo, client_for):
    """A feed reader renders a type="html" summary: a title with markup must arrive as text, never as HTML."""
    builders.record(
        builders.forum("mjolby", "trygghets-och-sakerhetsutskottet"),
        "2027-06-01",
        date=datetime.date(2027, 6, 1),
        adjusted_on=datetime.date(2027, 6, 3),
        paragraphs=[builders.paragraph(4, title='Kameror <img src=x onerror="alert(1)"> & <b>vakter</b>')],
    )
    response = client_for("medarbetare").get("/protokoll/mjolby/trygghets-och-sakerhetsutskottet.atom")
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = [
        entry.find(f"{atom}summary") for entry in ElementTree.fromstring(response.content).iter(f"{atom}entry")
    ]
    ours = [summary for summary in summaries if "Kameror" in summary.text]
    assert len(ours) == 1
    summary = ours[0]
    if summary.get("type") == "html":
        assert "<" not in summary.text  # what the reader parses as HTML holds no tag
        assert "&lt;img" in summary.text and "&amp; &lt;b&gt;vakter" in summary.text
    else:
        assert 'Kameror <img src=x onerror="alert(1)"> & <b>vakter</b>' in summary.text


def test_feeds_need_a_login(demo, client):
    response = client.get(UTSKOTT_ICS)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
