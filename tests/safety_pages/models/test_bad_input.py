"""Bad input answers 400 or 404, never 500: the compare view's version ids and the case register's filters."""

import pytest
from django.http import QueryDict

from safety_pages.models import Case, SectionPage
from tests import builders

pytestmark = pytest.mark.django_db

# Ids `str.isdigit()` accepts but no row can have: past SQLite's and PostgreSQL's integers, a superscript two, zero.
BAD_IDS = ["99999999999999999999999", "9223372036854775808", "²", "0", "-1", " ", "1e3"]


@pytest.fixture
def versions(org):
    forum = builders.forum(org, "utskott", title="Utskottet")
    old = builders.instruction(forum, "v1", title="Version 1", status="upphavd")
    new = builders.instruction(forum, "v2", title="Version 2", status="antagen", supersedes=old)
    return forum, old, new


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize("query", ["a={old}&b={bad}", "a={bad}&b={new}"])
def test_compare_view_answers_400_for_ids_no_row_can_have(versions, employee_client, query, bad):
    forum, old, new = versions
    response = employee_client.get(f"{forum.url}jamfor/", QueryDict(query.format(old=old.pk, new=new.pk, bad=bad)))
    assert response.status_code == 400
    assert "Välj två versioner att jämföra." in response.content.decode()


def test_case_register_opens_and_filters_by_municipality_for_the_superuser(demo, admin_client):
    mjolby = SectionPage.objects.get(slug="mjolby")
    Case.objects.create(municipality=mjolby, number="KS 2026/901", title="Ärende i Mjölby")
    response = admin_client.get("/admin/safety_pages/case/")
    assert response.status_code == 200
    assert "Mjölby" in response.content.decode()
    filtered = admin_client.get(f"/admin/safety_pages/case/?municipality={mjolby.pk}")
    assert filtered.status_code == 200 and "Ärende i Mjölby" in filtered.content.decode()
