"""Fixtures of the meetings tests: a forum with a planned meeting to call. The SMTP server and the worker
(`smtp_server`, `run_tasks`) are tests/smtp.py's."""

import datetime

import pytest
from django.utils import timezone

from safety_pages.models import MeetingStatus
from tests import builders

IN_A_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def _planned_meeting(org, **fields):
    """A forum with a chair, a member known by her account, two ersättare, a member without address and an
    employee outside it, and a planned meeting with two items (one with a beslutsförslag and a handling)."""
    forum = builders.forum(org, "trygghetsradet", "Trygghetsrådet")
    chair = builders.person("Anna Ordförande", email="anna@example.se")
    member = builders.person("Bo Ledamot", user=builders.user("bo"))
    member.user.email = "bo.konto@example.se"
    member.user.save()
    first = builders.person("Cecilia Ersättare", email="cecilia@example.se")
    second = builders.person("David Ersättare", email="david@example.se")
    unreachable = builders.person("Eva Utan Adress")
    builders.person("Fredrik Utanför", email="fredrik@example.se")
    builders.seat(forum, chair, "ordforande")
    builders.seat(forum, member)
    builders.seat(forum, unreachable)
    builders.seat(forum, second, "ersattare", substitute_order=2)
    builders.seat(forum, first, "ersattare", substitute_order=1)
    case = builders.case("KS/2026:41", "Lägesbild", section_slug="exempel")
    record = builders.record(
        forum,
        date=IN_A_WEEK,
        status=MeetingStatus.PLANNED,
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 0),
        place="Stadshuset, sal Ödeshög",
        title="Trygghetsrådet sammanträde",
        agenda_items=[
            builders.agenda_item(
                "Lägesbild från polisen",
                case=case,
                presenter=chair,
                proposal="<p>Rådet noterar BESLUTSFORSLAGTEXT.</p>",
            ),
            builders.agenda_item("Handlingsplan 2027"),
        ],
        **fields,
    )
    return record


@pytest.fixture
def planned_meeting(org):
    """Makes the forum and its planned meeting (`_planned_meeting`), with the record's fields given."""
    return lambda **fields: _planned_meeting(org, **fields)
