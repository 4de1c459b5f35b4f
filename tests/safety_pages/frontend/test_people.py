"""The person page (/personer/<id>-<namn>/): a person's roles and paragraphs as far as the reader may see them."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safety_pages.models import ForumPage, Membership, Person
from tests import builders


def page_of(client, person):
    return client.get(person.get_absolute_url())


@pytest.fixture
def closed_forum(demo):
    """A forum closed to a group, with a member named by a marker word no demo page uses."""
    forum = builders.forum("mjolby", "skyddsgruppen", "Skyddsgruppen", kind="annat", level="strategisk")
    insiders = Group.objects.create(name="Skyddsgruppens läsare")
    builders.restrict_to_groups(forum, insiders)
    person = builders.person("Gunvor Kvastfening", title="Skyddsstrateg")
    Membership.objects.create(forum=forum, person=person, role="ordforande")
    insider = builders.user("insider")
    insider.groups.add(insiders)
    return {"forum": forum, "person": person, "insider": insider}


@pytest.mark.django_db
def test_the_presenter_finds_the_forum_with_the_role(demo, client_for):
    person = Person.objects.get(name="Carina Brofeldt")
    response = page_of(client_for("medarbetare"), person)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kommunstyrelsens trygghets- och säkerhetsutskott" in page and "Föredragande, Biträdande kommunchef" in page
    assert "Mjölby" in page  # the forum's municipality
    assert person.email == "" or person.email not in page


@pytest.mark.django_db
def test_the_paragraphs_someone_presented_are_listed_from_the_attendance(demo, client_for):
    page = page_of(client_for("medarbetare"), Person.objects.get(name="Helena Westman")).content.decode()
    for title in ("§ 35 Framtida samverkansformer med Polismyndigheten", "§ 36 Medborgardialog inom området"):
        assert title in page
    assert "Närvarande vid sammanträden" in page and "handläggare §§ 35–36" in page


@pytest.mark.django_db
def test_a_person_only_in_a_closed_forum_is_404_to_outsiders_as_a_missing_id(closed_forum, client, client_for):
    person = closed_forum["person"]
    outsider = client_for("medarbetare")
    assert page_of(outsider, person).status_code == 404
    assert outsider.get(f"/personer/{person.pk}-fel-namn/").status_code == 404  # no redirect telling the name
    for missing in ("999999", "999999-x", "abc", "99999999999999999999999-x", "²", "-1"):
        assert outsider.get(f"/personer/{missing}/").status_code == 404
    client.force_login(closed_forum["insider"])
    response = page_of(client, person)
    assert response.status_code == 200 and "Skyddsgruppen" in response.content.decode()
    assert "Ordförande" in response.content.decode()


@pytest.mark.django_db
def test_an_old_address_leads_to_the_persons_page(closed_forum, client):
    person = closed_forum["person"]
    client.force_login(closed_forum["insider"])
    response = client.get(f"/personer/{person.pk}-gammalt-namn/")
    assert response.status_code == 302 and response["Location"] == f"/personer/{person.pk}-gunvor-kvastfening/"


@pytest.mark.django_db
def test_roles_only_in_forums_the_reader_may_see(closed_forum, client, client_for):
    person = closed_forum["person"]
    open_forum = ForumPage.objects.get(slug="lag-mantorp")
    Membership.objects.create(forum=open_forum, person=person, role="ledamot")
    page = page_of(client_for("medarbetare"), person).content.decode()
    assert "LAG Mantorp" in page and "Skyddsgruppen" not in page and "Ordförande" not in page
    client.force_login(closed_forum["insider"])
    page = page_of(client, person).content.decode()
    assert "LAG Mantorp" in page and "Skyddsgruppen" in page


@pytest.mark.django_db
def test_past_roles_are_listed_apart(demo, client_for):
    person = builders.person("Tidigare Ledamotsson")
    forum = ForumPage.objects.get(slug="lag-mantorp")
    Membership.objects.create(forum=forum, person=person, role="ledamot", ends_on=datetime.date(2020, 12, 31))
    page = page_of(client_for("medarbetare"), person).content.decode()
    past = page.split("Tidigare uppdrag", 1)
    assert len(past) == 2 and "LAG Mantorp" in past[1] and "till 2020-12-31" in past[1]
    assert "Inga nuvarande uppdrag" in past[0]


@pytest.mark.django_db
def test_a_paragraph_naming_the_person_is_listed_only_where_its_text_may_be_read(demo, client_for):
    person = Person.objects.get(name="Carina Brofeldt")
    utskott = ForumPage.objects.get(slug="trygghets-och-sakerhetsutskottet")
    day = datetime.date(2026, 2, 2)
    builders.record(
        utskott,
        date=day,
        adjusted_on=day,
        paragraphs=[
            builders.paragraph(1, "Öppen lägesbild", background="<p>Carina Brofeldt redogör för läget.</p>"),
            builders.secret_paragraph(2, "Hemlig skyddsplan", background="<p>Carina Brofeldt föredrar.</p>"),
        ],
    )
    employee = page_of(client_for("medarbetare"), person).content.decode()
    assert "§ 1 Öppen lägesbild" in employee and "Nämns" in employee
    assert "Hemlig skyddsplan" not in employee and "§ 2 " not in employee
    member = page_of(client_for("ledamot"), person).content.decode()  # a member of the utskott reads its sekretess
    assert "§ 2 Hemlig skyddsplan" in member


@pytest.mark.django_db
def test_the_person_page_takes_as_many_queries_with_many_forums_and_meetings(demo, client_for):
    person = builders.person("Räknad Person")
    forums = list(ForumPage.objects.filter(slug__startswith="lag-"))
    reader = client_for("medarbetare")

    def queries():
        reader.get(person.get_absolute_url())  # the session and the site's root paths, once
        with CaptureQueriesContext(connection) as captured:
            assert reader.get(person.get_absolute_url()).status_code == 200
        return len(captured)

    Membership.objects.create(forum=forums[0], person=person, role="ledamot")
    few = queries()
    for forum in forums[1:]:
        Membership.objects.create(forum=forum, person=person, role="ledamot")
        builders.record(
            forum,
            date=datetime.date(2026, 1, 15),
            adjusted_on=datetime.date(2026, 1, 15),
            attendances=[{"person": person, "kind": "ovrig", "description": "handläggare § 1"}],
            paragraphs=[builders.paragraph(1, f"Punkt i {forum.title}")],
        )
    many = queries()
    assert "§ 1 Punkt i LAG" in reader.get(person.get_absolute_url()).content.decode()
    # 16 for the page itself, and two for the header's look and main menu (the branding setting, the menu's section).
    assert few <= 18, few
    # The meetings (attendance rows), the paragraphs presented and named: a query each, however many.
    assert many <= few + 3, (few, many)
