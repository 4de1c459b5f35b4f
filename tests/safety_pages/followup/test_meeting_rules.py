"""The follow-up's meeting rules: forums short of meetings this year, records not justerade in two weeks."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from safety_pages.followup import rules as followup
from tests import builders

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 22)


def request_for(username):
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username=username)
    return request


def found(username, key, today=TODAY):
    rules = {rule.key: rule for rule in followup.collect(request_for(username), today=today)}
    return {item.title: item.detail for item in rules[key].items}


def test_demo_minutes_become_late_two_weeks_after_the_meeting(demo):
    # The two records still in the workflow (Granskning, Justering) are late too (issue 20, defect 6).
    assert found("redaktor", "records", today=D(2026, 11, 25)) == {
        f"Trygghets- och säkerhetsutskottet 2026-{day}": f"Sammanträdet hölls 2026-{day}; protokollet är inte justerat"
        for day in ("10-14", "10-28", "11-11")
    }


def test_forum_with_fewer_meetings_this_year_than_required_is_listed(demo):
    short = builders.forum("linkoping", "for-fa", meetings_per_year_min=4)
    builders.record(short, date=D(2026, 3, 1), adjusted_on=D(2026, 3, 5))
    builders.record(short, date=D(2026, 12, 10), status="planerat")
    builders.record(short, date=D(2026, 6, 1), status="installt")  # cancelled: does not count
    builders.record(short, date=D(2025, 10, 1), adjusted_on=D(2025, 10, 2))  # last year: does not count
    builders.record(short, date=D(2026, 9, 1), status="planerat", publish=False)  # a draft is not a planned meeting
    enough = builders.forum("linkoping", "tillrackligt", meetings_per_year_min=2)
    builders.record(enough, date=D(2026, 2, 1), adjusted_on=D(2026, 2, 3))
    builders.record(enough, date=D(2026, 12, 1), status="kallelse")
    dissolved = builders.forum(
        "linkoping", "upplost", meetings_per_year_min=4, status="upplost", dissolved_on=D(2020, 1, 1)
    )
    free = builders.forum("linkoping", "utan-krav")

    listed = found("redaktor", "meetings")
    assert listed[short.title] == "2 sammanträden hållna eller planerade 2026, uppdraget kräver minst 4"
    for other in (enough, dissolved, free):
        assert other.title not in listed


def test_the_instruction_in_force_sets_the_requirement(demo):
    adopted_by = builders.decision(date=D(2024, 1, 1))
    governed = builders.forum("linkoping", "med-instruktion", meetings_per_year_min=6)
    builders.record(governed, date=D(2026, 4, 1), adjusted_on=D(2026, 4, 2))
    builders.instruction(
        governed,
        "uppdrag",
        status="antagen",
        adopted_by=adopted_by,
        meetings_per_year_min=1,
        valid_from=D(2024, 1, 1),
    )
    assert governed.title not in found("redaktor", "meetings")
    stricter = builders.forum("linkoping", "strangare-instruktion")
    builders.instruction(stricter, "uppdrag", status="antagen", adopted_by=adopted_by, meetings_per_year_min=3)
    builders.instruction(stricter, "forslag", status="forslag", meetings_per_year_min=9)
    assert found("redaktor", "meetings")[stricter.title].startswith("0 sammanträden")
    assert found("redaktor", "meetings")[stricter.title].endswith("minst 3")


def test_records_not_justerade_two_weeks_after_the_meeting_are_listed(demo):
    group = builders.forum("linkoping", "protokoll")
    late = builders.record(group, date=TODAY - datetime.timedelta(days=15))
    on_the_day = builders.record(group, date=TODAY - datetime.timedelta(days=14))
    recent = builders.record(group, date=TODAY - datetime.timedelta(days=13))
    adjusted = builders.record(group, date=D(2026, 9, 1), adjusted_on=D(2026, 9, 20))
    planned_in_the_past = builders.record(group, date=D(2026, 8, 1), status="planerat")
    cancelled = builders.record(group, date=D(2026, 8, 2), status="installt")

    listed = found("redaktor", "records")
    assert late.title in listed and on_the_day.title in listed
    assert listed[late.title] == f"Sammanträdet hölls {late.meeting_date.isoformat()}; protokollet är inte justerat"
    for page in (recent, adjusted, planned_in_the_past, cancelled):
        assert page.title not in listed


def test_closed_minutes_stay_off_the_dashboard_of_those_who_may_not_read_them(demo):
    late = builders.record(builders.forum("linkoping", "slutet"), date=D(2026, 10, 1))
    assert late.title in found("redaktor", "records")
    assert late.title not in found("medarbetare", "records")


def test_meeting_rules_keep_their_query_count_as_forums_and_records_grow(demo, django_assert_num_queries):
    def add(first, count):
        for n in range(first, first + count):
            group = builders.forum("linkoping", f"vaxande-{n}", meetings_per_year_min=2)
            builders.record(group, date=D(2026, 10, 1))  # held, not justerat, late

    def meeting_lines():
        return len(found("redaktor", "meetings")) + len(found("redaktor", "records"))

    add(0, 1)
    meeting_lines()
    with CaptureQueriesContext(connection) as first:
        before = meeting_lines()
    add(1, 5)
    with django_assert_num_queries(len(first.captured_queries)):
        after = meeting_lines()
    assert after == before + 10
