"""Anslag by the rules (issue 20, defect 5): on justering the anslag day is proposed (the next working day, at
most the second day after justering, Swedish holidays included), the appeal period computed (three weeks,
kommunallagen 13 kap.), and the record page shows the anslagsbevis."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from safety_pages.models import MeetingRecordPage
from safety_pages.models.meeting_rules import appeal_period_end, is_working_day, proposed_anslag_day

D = datetime.date


@pytest.mark.parametrize(
    "justering,anslag",
    [
        (D(2026, 11, 24), D(2026, 11, 25)),  # Tuesday → Wednesday
        (D(2026, 11, 27), D(2026, 11, 29)),  # Friday: Monday is the third day, so the second day (Sunday)
        (D(2026, 4, 2), D(2026, 4, 4)),  # Thursday before Good Friday: the second day
        (D(2026, 4, 6), D(2026, 4, 7)),  # Easter Monday → Tuesday
        (D(2026, 12, 22), D(2026, 12, 23)),  # Tuesday → Wednesday
        (D(2026, 12, 23), D(2026, 12, 25)),  # julafton is no working day: the second day
        (D(2026, 6, 18), D(2026, 6, 20)),  # midsommarafton 2026-06-19 is no working day
        (D(2026, 5, 13), D(2026, 5, 15)),  # Kristi himmelsfärd 2026-05-14
    ],
)
def test_proposed_anslag_day(justering, anslag):
    assert proposed_anslag_day(justering) == anslag
    assert (anslag - justering).days <= 2


def test_working_days():
    assert is_working_day(D(2026, 12, 3))
    assert not is_working_day(D(2026, 12, 5))  # Saturday
    assert not is_working_day(D(2026, 6, 6))  # nationaldagen
    assert not is_working_day(D(2026, 12, 31))  # nyårsafton


RECORD = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/2026-10-28/"


@pytest.mark.django_db
def test_the_demo_record_justerat_by_chair_and_justerare_gets_anslag_and_anslagsbevis(demo, client_for):
    """Defect 5: the demo's 2026-10-28 record was justerat with no anslag date and no end of the appeal period."""
    record = MeetingRecordPage.objects.get(url_path=f"/trygghetsportalen{RECORD}")
    users = get_user_model().objects
    for username in ("ordforande", "ledamot"):
        record.refresh_from_db()
        state = record.current_workflow_task_state.specific
        state.task.specific.on_action(state, users.get(username=username), "approve", comment="")
    record = MeetingRecordPage.objects.get(pk=record.pk)
    today = timezone.localdate()
    assert record.live and record.adjusted_on == today
    assert record.posted_on == proposed_anslag_day(today)
    assert record.appeal_period_ends == appeal_period_end(record.posted_on)
    assert record.appeal_period_ends >= record.posted_on + datetime.timedelta(weeks=3)
    html = client_for("medarbetare").get(RECORD).content.decode()
    assert "Anslagsbevis" in html
    assert f"från {record.posted_on:%Y-%m-%d} till {record.appeal_period_ends:%Y-%m-%d}" in html
    assert "Kommunstyrelsens trygghets- och säkerhetsutskott" in html


@pytest.mark.parametrize(
    "posted_on, ends_on",
    [
        ("2026-11-18", "2026-12-09"),  # a Wednesday: three weeks on, a Wednesday
        ("2026-12-06", "2026-12-28"),  # three weeks on is a Sunday: the next working day
        ("2026-12-03", "2026-12-28"),  # julafton, juldagen, annandag jul and a weekend follow
        ("2026-05-29", "2026-06-22"),  # midsommarafton (19 June), midsommardagen and Sunday
    ],
)
def test_an_appeal_period_ending_on_a_day_off_runs_to_the_next_working_day(posted_on, ends_on):
    """Lagen (1930:173) om beräkning av lagstadgad tid: the last day is never a Saturday, Sunday or holiday."""
    ends = appeal_period_end(datetime.date.fromisoformat(posted_on))
    assert ends == datetime.date.fromisoformat(ends_on) and is_working_day(ends)
