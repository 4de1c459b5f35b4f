"""SQL queries per request stay the same however large a forum, an organisation or a case grows.

The sizes are those of the page-speed benchmark (`make bench`): a forum with 50
members and 20 meetings, an organisation with 30 forums, a case handled in 20
meetings. Each page is requested at a small and a large size and must cost the
same number of queries, so a page does not slow down query by query as editors
add content. (Records at 2 vs 40 paragraphs and their extracts are in
test_meeting_records.py.)
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safety_pages.models import Membership, Organisation
from tests import builders

pytestmark = pytest.mark.django_db


def captured(client, url, expect):
    """SQL of one request on a cache miss (the fragment caches emptied) and of the next one (a hit).

    The SQL is copied at once: the next request empties the connection's query log.
    """
    from django.core.cache import cache

    client.get(url)  # content types are cached per process
    runs = {}
    for run in ("miss", "hit"):
        if run == "miss":
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert expect in response.content.decode()
        runs[run] = [q["sql"] for q in queries.captured_queries]
    return runs


def assert_same_count(small, large):
    for run in ("miss", "hit"):
        assert len(large[run]) == len(small[run]), run + ":\n" + "\n".join(large[run])


def forum_of_size(index, slug, members, meetings, reports_to):
    forum = builders.forum(index, slug, title=f"Forum {slug}", reports_to=reports_to)
    organisation = Organisation.objects.create(name=f"Förvaltningen {slug}")
    forum.memberships = [
        Membership(
            person=builders.person(f"Ledamot {slug} {n}", organisation=organisation),
            organisation=organisation,
            role="ordforande" if n == 0 else ("ersattare" if n % 3 == 0 else "ledamot"),
            substitute_order=n if n % 3 == 0 and n else None,
        )
        for n in range(members)
    ]
    forum.save_revision().publish()
    builders.instruction(forum, "uppdrag", status="antagen", ordinary_seats=members)
    today = datetime.date.today()
    for n in range(meetings):
        # Half held (with a record justerad), half planned: both lists on the forum page fill up.
        offset = (n // 2 + 1) * (-14 if n % 2 else 14)
        held = offset < 0
        builders.record(
            forum,
            f"m-{n}",
            date=today + datetime.timedelta(days=offset),
            status="genomfort" if held else "planerat",
            adjusted_on=today + datetime.timedelta(days=offset + 7) if held else None,
            paragraphs=[builders.paragraph(1)] if held else (),
        )
    return forum


def test_forum_page_costs_the_same_at_5_members_and_2_meetings_as_at_50_and_20(org, employee_client):
    board = builders.forum(org, "styrelsen", title="Styrelsen")
    small_forum = forum_of_size(org, "litet", 5, 2, [board])
    large_forum = forum_of_size(org, "stort", 50, 20, [board])
    small = captured(employee_client, small_forum.url, "Ledamot litet 4")
    large = captured(employee_client, large_forum.url, "Ledamot stort 49")
    assert_same_count(small, large)


def test_forum_page_of_a_closed_forum_stays_closed_to_the_employee(org, employee_client):
    # The benchmark's sizes do not change who reads: a closed large forum answers the employee as a missing page
    # (test_existence_oracles.py).
    closed = forum_of_size(org, "slutet", 50, 20, [])
    builders.restrict_to_groups(closed, builders.group("Slutna gruppen"))
    response = employee_client.get(closed.url)
    assert response.status_code == 404
    assert "Ledamot slutet" not in response.content.decode()


def organisation_of(index, forums):
    top = builders.forum(index, "kommunstyrelsen", title="Kommunstyrelsen", level="politisk")
    for n in range(forums - 1):
        builders.forum(
            index,
            f"grupp-{n}",
            title=f"Arbetsgrupp {n}",
            level="operativ",
            reports_to=[top],
            gives_assignments_to=[top] if n % 4 == 0 else [],
        )


def test_forum_index_costs_the_same_at_3_forums_as_at_30(org, employee_client):
    organisation_of(org, 3)
    small = captured(employee_client, org.url, "Arbetsgrupp 1")
    for n in range(2, 29):
        builders.forum(
            org,
            f"grupp-{n}",
            title=f"Arbetsgrupp {n}",
            level="operativ",
            reports_to=[org.get_children().first().specific],
        )
    large = captured(employee_client, org.url, "Arbetsgrupp 28")
    assert_same_count(small, large)


def _case_handled_in(meetings, number, forum_slug):
    forum = builders.forum("mjolby", forum_slug)
    handled = builders.case(number, title=f"Ärendet {number}")
    for n in range(meetings):
        builders.record(
            forum,
            f"m-{n}",
            date=datetime.date(2030, 1, 1) + datetime.timedelta(days=7 * n),
            adjusted_on=datetime.date(2030, 1, 1) + datetime.timedelta(days=7 * n + 3),
            paragraphs=[builders.paragraph(n + 1, title=f"Behandling {n + 1}", case=handled)],
        )
    return handled


def test_case_page_costs_the_same_handled_in_2_meetings_as_in_20(demo, client_for):
    two = _case_handled_in(2, "KS/2030:901", "forum-tva")
    twenty = _case_handled_in(20, "KS/2030:902", "forum-tjugo")
    client = client_for("medarbetare")
    small = captured(client, two.get_absolute_url(), "Behandling 2")
    large = captured(client, twenty.get_absolute_url(), "Behandling 20")
    assert_same_count(small, large)
