"""Date rules of follow-up: review cycles of steering documents, the dialogue plan, overdue actions.

Plain functions on dates, so the pages, the dashboard and the tests share one rule.
Months are added with calendar arithmetic (no extra dependency): a date past the
end of the target month is clamped to its last day, so 2025-11-30 + 3 months is
2026-02-28 and a leap-day adoption is reviewed on 28 February in ordinary years.
"""

import calendar
import datetime

# The dashboard looks this far ahead for documents whose review is coming up.
REVIEW_HORIZON_DAYS = 90


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))


def next_review_date(adopted_on, interval_months, last_reviewed_on=None):
    """When a document is next due for review, or None when it cannot be computed.

    The cycle runs from the latest of adoption and last review: a yearly
    follow-up that was held moves the next one a year on.
    """
    anchors = [d for d in (adopted_on, last_reviewed_on) if d is not None]
    if not anchors or not interval_months:
        return None
    return add_months(max(anchors), interval_months)


def review_is_due(next_review_on, today, horizon_days=REVIEW_HORIZON_DAYS):
    """True when the review date has passed or falls within the horizon."""
    return next_review_on is not None and next_review_on <= today + datetime.timedelta(days=horizon_days)


def dialogue_plan_kind(year, first_dialogue_year, every_years=2, alternates_with_survey=True):
    """What the plan holds for `year`: "dialogue", "survey" or None.

    Mjölby's rule (KS/2017:152 § 36): a citizen dialogue every second year, in
    the years the citizen survey is not carried out.
    """
    if not first_dialogue_year or not every_years or year < first_dialogue_year:
        return None
    offset = (year - first_dialogue_year) % every_years
    if offset == 0:
        return "dialogue"
    if alternates_with_survey and every_years == 2:
        return "survey"
    return None


def next_dialogue_year(today, first_dialogue_year, every_years=2, held_years=()):
    """The first planned dialogue year from this year on that has no report yet."""
    if not first_dialogue_year or not every_years:
        return None
    year = max(today.year, first_dialogue_year)
    year += (first_dialogue_year - year) % every_years
    while year in set(held_years):
        year += every_years
    return year


def action_is_overdue(status_is_open: bool, due_on, today) -> bool:
    """An action is overdue when it is still open and its due date has passed."""
    return status_is_open and due_on is not None and due_on < today
