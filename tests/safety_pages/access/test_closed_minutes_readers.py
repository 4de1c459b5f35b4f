"""Minutes not yet justerade are read by the forum's local roles, and search follows membership changes."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from safety_pages.access import roles
from safety_pages.models import MeetingRecordPage, Membership
from safety_pages.organisation.local_roles import local_roles_for, sync_forum_readers
from tests import builders

pytestmark = pytest.mark.django_db

UTKAST = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/2026-11-11/"


def _finds_the_record(client):
    """Whether the closed record's paragraphs are among the search API's hits for their text."""
    data = client.get("/api/search/", {"q": "lägesbild hösten"}).json()
    return any(r["url"].startswith(UTKAST) for r in data["results"])


@pytest.fixture
def committee(demo):
    return builders.forum("mjolby", "trygghets-och-sakerhetsutskottet")


@pytest.fixture
def newcomer(django_user_model):
    return builders.user("nyledamot", roles.EMPLOYEES)


def test_a_new_member_reads_the_closed_record_the_day_the_membership_starts(committee, newcomer, client):
    client.force_login(newcomer)
    assert client.get(UTKAST).status_code == 404
    assert not _finds_the_record(client)

    builders.member(committee, newcomer, starts_on=timezone.localdate())
    assert newcomer.groups.filter(pk=local_roles_for(committee).reader_group_id).exists()
    client.force_login(newcomer)  # a fresh request, as the member's next visit
    assert client.get(UTKAST).status_code == 200
    assert _finds_the_record(client)


def test_a_membership_ending_by_its_date_closes_the_record_in_search_after_the_nightly_sync(
    committee, newcomer, client
):
    # Added by an editor on the forum page: publishing the forum reindexes its records with the new member.
    page = committee.get_latest_revision_as_object()
    page.memberships.add(Membership(person=builders.person("Ny Ledamot", user=newcomer), role="ledamot"))
    page.save_revision().publish()
    membership = Membership.objects.get(forum=committee, person__user=newcomer)
    client.force_login(newcomer)
    assert _finds_the_record(client)

    # The end date passes without anyone saving: only the nightly command notices.
    type(membership).objects.filter(pk=membership.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    sync_forum_readers(committee)
    assert not newcomer.groups.filter(pk=local_roles_for(committee).reader_group_id).exists()
    assert client.get(UTKAST).status_code == 404
    assert not _finds_the_record(client)


def test_the_forums_justering_group_reads_the_closed_record_without_a_seat(committee, client):
    registrar = builders.user("registrator", roles.EMPLOYEES)
    group = Group.objects.create(name="Utskottets justerare")
    registrar.groups.add(group)
    client.force_login(registrar)
    assert not _finds_the_record(client)

    local_roles = local_roles_for(committee)
    local_roles.reviewer_group = group
    local_roles.save()
    record = MeetingRecordPage.objects.get(url_path=f"{builders.UTSKOTT_PATH}2026-11-11/")
    client.force_login(registrar)
    assert client.get(UTKAST).status_code == 200
    assert client.get(UTKAST + "paragraf/22/").status_code == 200
    assert _finds_the_record(client)
    # The calendar of the forum lists the meeting for them too (the listing rule agrees with the page rule).
    calendar = client.get("/kalender/mjolby/trygghets-och-sakerhetsutskottet.ics").content.decode()
    assert record.full_url.rstrip("/").split("/")[-1] in calendar


def test_an_employee_outside_the_forum_never_reads_it(committee, client_for):
    client = client_for("medarbetare")
    assert client.get(UTKAST).status_code == 404
    assert not _finds_the_record(client)
