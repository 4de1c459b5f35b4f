"""The organisation diagram is laid out once per set of forums a reader may see, and never shown to others."""

import pytest
from django.test import Client

from tests import builders

pytestmark = pytest.mark.django_db


def diagram_of(client, url):
    html = client.get(url).content.decode()
    start = html.index('class="org-diagram-section"')
    return html[start : html.index("</section>", start)]


def test_a_diagram_drawn_for_a_member_of_a_closed_forum_is_not_served_to_an_employee(
    org, employee_client, django_user_model
):
    board = builders.forum(org, "styrelsen", title="Styrelsen")
    secret = builders.forum(org, "slutet", title="Det slutna forumet", reports_to=[board])
    insiders = builders.group("Slutna gruppen")
    builders.restrict_to_groups(secret, insiders)
    member = django_user_model.objects.create_user("insider", password="x")
    member.groups.add(insiders)
    insider = Client()
    insider.force_login(member)
    assert "Det slutna forumet" in diagram_of(insider, org.url)  # drawn (and cached) for the insider first

    html = employee_client.get(org.url).content.decode()
    assert "Det slutna forumet" not in html
    assert "Styrelsen" in diagram_of(employee_client, org.url)


def test_the_diagram_follows_an_edit_at_once(org, employee_client):
    board = builders.forum(org, "styrelsen", title="Styrelsen")
    renamed = builders.forum(org, "natverket", title="Nätverket", reports_to=[board])
    assert "Nätverket<" in diagram_of(employee_client, org.url)
    renamed.title = "Nätverket för trygghet"
    renamed.save_revision().publish()
    assert "Nätverket för trygghet" in diagram_of(employee_client, org.url)
    builders.forum(org, "gruppen", title="Arbetsgruppen", gives_assignments_to=[board])
    drawn = diagram_of(employee_client, org.url)
    assert "Arbetsgruppen" in drawn and 'data-kind="gives_assignments_to" data-from="' in drawn
