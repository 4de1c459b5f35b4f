"""Editors get clear Swedish messages in the admin for bad memberships and forum data, and registers work."""

import datetime

import pytest
from wagtail.models import Revision

from safety_pages.models import Decision, Organisation
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def utskott_with_instruction(org):
    forum = builders.forum(org, "utskottet", kind="utskott", level="politisk")
    builders.instruction(forum, "uppdrag", status="antagen", ordinary_seats=3, substitute_seats=2)
    return forum


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("chef", "chef@example.invalid", "x")


@pytest.fixture
def edit(client, admin_user):
    """Open a page's edit form as the admin: returns its POST data, ready to change."""
    client.force_login(admin_user)
    return lambda page: builders.edit_form(client, page)[1]


def post(client, page, data):
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    return response, response.content.decode()


def persons(*names):
    return [builders.person(name) for name in names]


def test_more_ordinary_members_than_seats_is_refused(client, edit, utskott_with_instruction):
    forum = utskott_with_instruction
    data = edit(forum)
    for person in persons("A", "B", "C", "D"):
        builders.add_membership(data, person=person.pk, role="ledamot")
    response, html = post(client, forum, data)
    assert response.status_code == 200
    assert "ger 3 ordinarie platser, men 4 aktiva ledamöter är angivna" in html
    assert not forum.memberships.exists()


def test_substitutes_and_former_members_do_not_take_ordinary_seats(client, edit, utskott_with_instruction):
    forum = utskott_with_instruction
    data = edit(forum)
    a, b, c, d, e = persons("A", "B", "C", "D", "E")
    builders.add_membership(data, person=a.pk, role="ordforande")
    builders.add_membership(data, person=b.pk, role="ledamot")
    builders.add_membership(data, person=c.pk, role="ledamot", starts_on="2010-01-01", ends_on="2012-12-31")
    builders.add_membership(data, person=d.pk, role="ledamot")
    builders.add_membership(data, person=e.pk, role="ersattare", substitute_order=1)
    response, _html = post(client, forum, data)
    assert response.status_code == 302
    assert Revision.objects.filter(object_id=str(forum.pk)).latest("created_at").content["memberships"]


def test_two_active_chairs_are_refused(client, edit, utskott_with_instruction):
    forum = utskott_with_instruction
    data = edit(forum)
    a, b = persons("A", "B")
    builders.add_membership(data, person=a.pk, role="ordforande")
    builders.add_membership(data, person=b.pk, role="ordforande")
    response, html = post(client, forum, data)
    assert response.status_code == 200
    assert "Forumet kan bara ha en aktiv ordförande, men 2 är angivna." in html


def test_membership_ending_before_it_starts_is_refused(client, edit, utskott_with_instruction):
    forum = utskott_with_instruction
    data = edit(forum)
    builders.add_membership(data, person=persons("A")[0].pk, starts_on="2024-05-01", ends_on="2024-01-01")
    response, html = post(client, forum, data)
    assert response.status_code == 200
    assert "Slutdatumet kan inte ligga före startdatumet." in html


def test_membership_without_person_or_organisation_is_refused(client, edit, utskott_with_instruction):
    forum = utskott_with_instruction
    data = edit(forum)
    builders.add_membership(data, role="ledamot", note="ingen alls")
    response, html = post(client, forum, data)
    assert response.status_code == 200
    assert "Ange en person, eller den organisation som utser en representant." in html


def test_meetings_minimum_above_maximum_is_refused(client, edit, utskott_with_instruction):
    forum = utskott_with_instruction
    data = edit(forum)
    data["meetings_per_year_min"], data["meetings_per_year_max"] = "6", "2"
    response, html = post(client, forum, data)
    assert response.status_code == 200
    assert "Högsta antalet sammanträden per år kan inte vara lägre än det lägsta (6)." in html


def test_dissolved_forum_without_date_is_refused(client, edit, utskott_with_instruction):
    forum = utskott_with_instruction
    data = edit(forum)
    data["status"] = "upplost"
    response, html = post(client, forum, data)
    assert response.status_code == 200
    assert "Ett upplöst forum behöver ett datum för när det upplöstes." in html


def test_registers_can_be_listed_searched_filtered_and_created(client, admin_user):
    client.force_login(admin_user)
    police, _created = Organisation.objects.get_or_create(name="Polismyndigheten", defaults={"kind": "myndighet"})
    builders.person("Cecilia V Burenby", party="S")
    builders.person("Bo Jensen", organisation=police)
    Decision.objects.create(
        body="Kommunstyrelsen", body_abbreviation="KS", date=datetime.date(2016, 12, 7), case_number="KS/2016:37"
    )

    listing = client.get("/admin/safety_pages/person/?q=Burenby").content.decode()
    assert "Cecilia V Burenby" in listing and "Bo Jensen" not in listing
    filtered = client.get(f"/admin/safety_pages/person/?organisation={police.pk}").content.decode()
    assert "Bo Jensen" in filtered and "Cecilia V Burenby" not in filtered
    assert "KS/2016:37" in client.get("/admin/safety_pages/decision/?q=2016:37").content.decode()
    assert "Polismyndigheten" in client.get("/admin/safety_pages/organisation/?kind__exact=myndighet").content.decode()

    response = client.post(
        "/admin/safety_pages/organisation/create/",
        {"name": "Trygghetsföreningen i Test", "kind": "forening", "internal": ""},
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Trygghetsföreningen i Test", kind="forening").exists()
    # The register menu and its labels are Swedish.
    menu = client.get("/admin/").content.decode()
    assert "Register" in menu and "Personer" in menu


def test_editor_from_the_demo_can_open_the_person_register(demo, client_for):
    client = client_for("redaktor")
    assert client.get("/admin/safety_pages/person/").status_code == 200
    assert "Cecilia V Burenby" in client.get("/admin/safety_pages/person/?q=Burenby").content.decode()
    assert client_for("medarbetare").get("/admin/safety_pages/person/").status_code in (302, 403)
