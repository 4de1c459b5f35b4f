"""What a reader may not see answers exactly like what does not exist: no status code tells them it is there."""

import pytest
from wagtail.models import PageViewRestriction

from tests import builders

pytestmark = pytest.mark.django_db


def _same_as_missing(client, url, missing_url):
    response, missing = client.get(url), client.get(missing_url)
    assert (response.status_code, response.get("Location")) == (missing.status_code, missing.get("Location"))
    assert response.status_code == 404
    return response.content.decode()


def test_a_tag_used_only_by_pages_closed_to_the_reader_is_not_found(org, employee_client):
    closed = builders.forum(org, "slutet", title="Slutet forum")
    closed.tags.add("hemligetikett")
    closed.save_revision().publish()
    _restrict_to_new_group(closed)
    draft = builders.instruction(builders.forum(org, "oppet"), "utkast", title="Utkast")
    draft.tags.add("utkastetikett")
    draft.save_revision()
    draft.unpublish()
    for tag in ("hemligetikett", "utkastetikett"):
        html = _same_as_missing(employee_client, f"/etiketter/{tag}/", "/etiketter/finns-inte/")
        assert tag not in html


def test_a_group_restricted_page_answers_a_reader_outside_the_group_as_a_missing_page(org, employee_client):
    closed = builders.forum(org, "slutet", title="Slutet forum")
    _restrict_to_new_group(closed)
    inside = builders.instruction(closed, "inuti", title="Inuti")
    for page in (closed, inside):
        html = _same_as_missing(employee_client, page.url, f"{page.url}finns-inte/")
        assert "Slutet forum" not in html and "Inuti" not in html


def test_a_login_restriction_still_sends_the_visitor_to_log_in_and_a_member_still_reads(org, client, employee):
    closed = builders.forum(org, "slutet", title="Slutet forum")
    group = _restrict_to_new_group(closed)
    employee.groups.add(group)
    client.force_login(employee)
    assert client.get(closed.url).status_code == 200
    client.logout()
    response = client.get(closed.url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_password_restricted_page_still_asks_for_its_password(org, employee_client):
    page = builders.forum(org, "losen", title="Lösenordsskyddat")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")
    response = employee_client.get(page.url)
    assert response.status_code == 200 and "password" in response.content.decode()


def _restrict_to_new_group(page):
    group = builders.group("Slutna gruppen")
    builders.restrict_to_groups(page, group)
    return group
