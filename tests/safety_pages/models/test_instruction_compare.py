"""Instruction pages and two versions side by side with the changes marked."""

import datetime

import pytest

from tests import builders

pytestmark = pytest.mark.django_db

SECTION = [
    {
        "type": "section",
        "value": {"heading": "Sammansättning", "body": "<p>Utskottet består av tre ledamöter och två ersättare.</p>"},
    }
]
SECTION_NEW = [
    {
        "type": "section",
        "value": {"heading": "Sammansättning", "body": "<p>Utskottet består av fem ledamöter och två ersättare.</p>"},
    }
]


@pytest.fixture
def versions(org):
    forum = builders.forum(org, "utskott", title="Utskottet")
    old = builders.instruction(
        forum,
        "v2017",
        title="Uppdragsbeskrivning 2017",
        status="upphavd",
        ordinary_seats=3,
        substitute_seats=2,
        valid_from=datetime.date(2017, 1, 1),
        valid_to=datetime.date(2022, 12, 31),
        sections=SECTION,
    )
    new = builders.instruction(
        forum,
        "v2023",
        title="Uppdragsbeskrivning 2023",
        status="antagen",
        ordinary_seats=5,
        substitute_seats=2,
        valid_from=datetime.date(2023, 1, 1),
        supersedes=old,
        sections=SECTION_NEW,
    )
    return forum, old, new


def test_instruction_page_shows_rules_decision_validity_and_versions(versions, employee_client):
    forum, old, new = versions
    html = employee_client.get(new.url).content.decode()
    assert "Gäller" in html and "Ordinarie ledamöter" in html and "från 2023-01-01" in html
    assert "Kommunstyrelsen 2020-01-01" in html  # the adopting decision
    assert "Uppdragsbeskrivning 2017" in html  # the chain of versions
    assert f"jamfor/?a={old.pk}&amp;b={new.pk}" in html
    assert "Gäller inte" in employee_client.get(old.url).content.decode()


def test_forum_lists_the_instruction_in_force_and_earlier_ones(versions, employee_client):
    forum, old, new = versions
    html = employee_client.get(forum.url).content.decode()
    in_force = html[html.index('id="instruction-heading"') :]
    assert (
        in_force.index("Uppdragsbeskrivning 2023")
        < in_force.index("Andra versioner")
        < in_force.index("Uppdragsbeskrivning 2017")
    )


def test_compare_view_marks_removed_and_added_words_side_by_side(versions, employee_client):
    forum, old, new = versions
    response = employee_client.get(f"{forum.url}jamfor/?a={old.pk}&b={new.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<del><span class="visually-hidden">Borttaget: </span>tre</del>' in html
    assert '<ins><span class="visually-hidden">Tillagt: </span>fem</ins>' in html
    assert '<del><span class="visually-hidden">Borttaget: </span>3</del>' in html
    assert '<th scope="col">' in html and '<th scope="row">Ersättare</th>' in html  # unchanged row, no marker
    assert "ändrad" in html


def test_compare_view_without_choice_compares_the_version_in_force_with_the_one_it_replaced(versions, employee_client):
    forum, old, new = versions
    html = employee_client.get(f"{forum.url}jamfor/").content.decode()
    assert "<ins>" in html and "Uppdragsbeskrivning 2017" in html


def test_compare_view_rejects_bad_input_and_hides_closed_versions(versions, employee_client):
    forum, old, new = versions
    bad = employee_client.get(f"{forum.url}jamfor/?a=x&b={new.pk}")
    assert bad.status_code == 400 and "Välj två versioner att jämföra." in bad.content.decode()
    builders.restrict_to_groups(old, builders.group("Slutna gruppen"))
    assert employee_client.get(f"{forum.url}jamfor/?a={old.pk}&b={new.pk}").status_code == 404
    # An instruction of another forum cannot be pulled in either.
    other = builders.instruction(builders.forum(forum.get_parent(), "annat"), "v1", status="forslag")
    assert employee_client.get(f"{forum.url}jamfor/?a={other.pk}&b={new.pk}").status_code == 404
