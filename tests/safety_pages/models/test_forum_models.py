"""Forum rules a user notices: which instruction is in force, vacancies, role order, refused bad input."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from safety_pages.models import Membership, Organisation
from tests import builders

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
LAST_YEAR = TODAY - datetime.timedelta(days=365)
NEXT_YEAR = TODAY + datetime.timedelta(days=365)


def test_instruction_in_force_is_the_adopted_one_valid_today(org):
    forum = builders.forum(org, "utskottet")
    builders.instruction(forum, "gammal", status="upphavd", ordinary_seats=5, valid_from=LAST_YEAR)
    current = builders.instruction(forum, "gallande", status="antagen", ordinary_seats=3, valid_from=LAST_YEAR)
    builders.instruction(forum, "forslag", status="forslag", ordinary_seats=4, valid_from=TODAY)
    builders.instruction(forum, "framtida", status="antagen", ordinary_seats=6, valid_from=NEXT_YEAR)
    assert forum.instruction_in_force() == current


def test_no_instruction_in_force_when_the_adopted_one_has_expired(org):
    forum = builders.forum(org, "utskottet")
    builders.instruction(
        forum, "utgangen", status="antagen", valid_from=LAST_YEAR, valid_to=TODAY - datetime.timedelta(1)
    )
    assert forum.instruction_in_force() is None


def test_vacancies_count_active_ordinary_seats_only(org):
    forum = builders.forum(org, "utskottet")
    instruction = builders.instruction(forum, "gallande", status="antagen", ordinary_seats=3, substitute_seats=2)
    anna, bo, cia, dan = (builders.person(n) for n in ("Anna", "Bo", "Cia", "Dan"))
    forum.memberships = [
        Membership(person=anna, role="ordforande"),
        Membership(person=bo, role="ersattare", substitute_order=1),
        Membership(person=cia, role="ledamot", ends_on=LAST_YEAR),  # left last year
        Membership(person=dan, role="ledamot", starts_on=LAST_YEAR),
    ]
    forum.save()
    summary = forum.seat_summary(instruction, list(forum.memberships.all()))
    assert summary == {"seats": 3, "filled": 2, "vacant": 1}


def test_substitutes_are_listed_in_call_order(org):
    forum = builders.forum(org, "utskottet")
    first, second, member = (builders.person(n) for n in ("Först", "Sedan", "Ledamot"))
    forum.memberships = [
        Membership(person=second, role="ersattare", substitute_order=2),
        Membership(person=member, role="ledamot"),
        Membership(person=first, role="ersattare", substitute_order=1),
    ]
    forum.save()
    groups = {
        role: [m.person.name for m in members]
        for role, _label, members in forum.members_by_role(list(forum.memberships.all()))
    }
    assert groups == {"ledamot": ["Ledamot"], "ersattare": ["Först", "Sedan"]}


def test_membership_must_name_a_person_or_an_organisation(org):
    forum = builders.forum(org, "utskottet")
    with pytest.raises(ValidationError) as error:
        Membership(forum=forum, role="ledamot").full_clean()
    assert "Ange en person, eller den organisation som utser en representant." in error.value.message_dict["person"]
    Membership(forum=forum, role="ledamot", organisation=Organisation.objects.create(name="Polisen")).full_clean()


def test_membership_cannot_end_before_it_starts(org):
    forum = builders.forum(org, "utskottet")
    person = builders.person("Anna")
    membership = Membership(forum=forum, person=person, starts_on=TODAY, ends_on=LAST_YEAR)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert error.value.message_dict["ends_on"] == ["Slutdatumet kan inte ligga före startdatumet."]


def test_forum_meetings_minimum_cannot_exceed_maximum(org):
    forum = builders.forum(org, "radet")
    forum.meetings_per_year_min, forum.meetings_per_year_max = 5, 3
    with pytest.raises(ValidationError) as error:
        forum.full_clean()
    assert "kan inte vara lägre än det lägsta (5)" in error.value.message_dict["meetings_per_year_max"][0]


def test_instruction_meetings_minimum_cannot_exceed_maximum(org):
    instruction = builders.instruction(builders.forum(org, "radet"), "regler")
    instruction.meetings_per_year_min, instruction.meetings_per_year_max = 4, 2
    with pytest.raises(ValidationError) as error:
        instruction.full_clean()
    assert "meetings_per_year_max" in error.value.message_dict


def test_dissolved_forum_needs_the_date_it_was_dissolved(org):
    forum = builders.forum(org, "bra")
    forum.status = "upplost"
    with pytest.raises(ValidationError) as error:
        forum.full_clean()
    assert error.value.message_dict["dissolved_on"] == ["Ett upplöst forum behöver ett datum för när det upplöstes."]
    forum.dissolved_on = TODAY
    forum.full_clean()


def test_page_tree_lets_editors_create_forum_pages_only_where_they_belong(org):
    from safety_pages.models import ForumIndexPage, ForumPage, InstructionPage

    section = org.get_parent().specific
    forum = builders.forum(org, "radet")
    assert not ForumIndexPage.can_create_at(section)  # one organisation per section
    assert ForumPage.can_create_at(org) and not ForumPage.can_create_at(section)
    assert InstructionPage.can_create_at(forum) and not InstructionPage.can_create_at(org)
