"""Date rules of follow-up: month arithmetic, review dates, the dialogue plan, overdue actions."""

import datetime

import pytest

from safety_pages.models import schedule

D = datetime.date


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (D(2025, 11, 15), 3, D(2026, 2, 15)),  # crosses a year end
        (D(2025, 11, 30), 3, D(2026, 2, 28)),  # no 30 February: last day of the month
        (D(2023, 11, 30), 3, D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # leap-day adoption, ordinary year after
        (D(2015, 12, 17), 12, D(2016, 12, 17)),
        (D(2015, 12, 10), 24, D(2017, 12, 10)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 12, 31), 1, D(2027, 1, 31)),
    ],
)
def test_add_months(start, months, expected):
    assert schedule.add_months(start, months) == expected


def test_review_date_runs_from_the_adoption():
    assert schedule.next_review_date(D(2025, 11, 15), 3) == D(2026, 2, 15)


def test_review_date_runs_from_the_last_review_when_it_is_later():
    assert schedule.next_review_date(D(2015, 12, 17), 12, D(2025, 10, 14)) == D(2026, 10, 14)
    # A last review recorded before the adoption does not pull the date back.
    assert schedule.next_review_date(D(2020, 5, 1), 12, D(2019, 1, 1)) == D(2021, 5, 1)


def test_review_date_cannot_be_computed_without_adoption_or_interval():
    assert schedule.next_review_date(None, 24) is None
    assert schedule.next_review_date(D(2020, 1, 1), None) is None
    assert schedule.next_review_date(D(2020, 1, 1), 0) is None


def test_review_is_due_within_ninety_days_or_when_past():
    today = D(2026, 11, 22)
    assert schedule.review_is_due(D(2026, 10, 14), today)  # overdue
    assert schedule.review_is_due(today, today)
    assert schedule.review_is_due(D(2027, 2, 20), today)  # day 90
    assert not schedule.review_is_due(D(2027, 2, 21), today)  # day 91
    assert not schedule.review_is_due(None, today)


def test_mjolby_plan_alternates_dialogue_and_survey():
    kinds = {year: schedule.dialogue_plan_kind(year, 2018) for year in range(2017, 2023)}
    assert kinds == {
        2017: None,
        2018: "dialogue",
        2019: "survey",
        2020: "dialogue",
        2021: "survey",
        2022: "dialogue",
    }


def test_a_plan_that_does_not_alternate_has_no_survey_years():
    assert schedule.dialogue_plan_kind(2019, 2018, 2, alternates_with_survey=False) is None
    assert schedule.dialogue_plan_kind(2021, 2018, 3) == "dialogue"
    assert schedule.dialogue_plan_kind(2020, 2018, 3) is None


def test_next_dialogue_is_this_year_until_its_report_is_in():
    assert schedule.next_dialogue_year(D(2026, 3, 1), 2018) == 2026
    assert schedule.next_dialogue_year(D(2026, 11, 22), 2018, 2, held_years={2026}) == 2028
    assert schedule.next_dialogue_year(D(2027, 6, 1), 2018, 2, held_years={2026}) == 2028
    assert schedule.next_dialogue_year(D(2016, 6, 1), 2018) == 2018
    assert schedule.next_dialogue_year(D(2026, 1, 1), None) is None


def test_only_open_actions_past_their_due_date_are_overdue():
    today = D(2026, 11, 22)
    assert schedule.action_is_overdue(True, D(2026, 11, 21), today)
    assert not schedule.action_is_overdue(True, today, today)
    assert not schedule.action_is_overdue(False, D(2026, 1, 1), today)
    assert not schedule.action_is_overdue(True, None, today)
