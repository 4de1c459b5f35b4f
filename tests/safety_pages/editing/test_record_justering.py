"""Granskning and Justering of a real meeting record: who may justera, what justering does, the audit log."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from safety_pages.editing.workflows import ensure_workflows
from safety_pages.models import MeetingRecordPage
from safety_pages.organisation.local_roles import local_roles_for
from tests import builders

pytestmark = pytest.mark.django_db


def _admin_user(username, *groups):
    """A user who may log in to the admin (a justerare acts in the admin's workflow view)."""
    account = builders.user(username, *groups)
    account.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return account


@pytest.fixture
def record(demo):
    ensure_workflows(demo)
    forum = builders.forum("mjolby", "justeringsutskottet", "Justeringsutskottet")
    justerare = _admin_user("justerare")
    person = builders.person(name="Jenny Justerare", user=justerare)
    chair = builders.person(name="Olga Ordförande", user=_admin_user("ordf"))
    today = timezone.localdate()
    page = builders.record(
        forum,
        "sammantrade",
        date=today - datetime.timedelta(days=3),
        publish=False,
        paragraphs=[builders.paragraph(1, "Lägesbild"), builders.paragraph(2, "Handlingsplan")],
        attendances=[
            {"person": chair, "kind": "beslutande", "function": "ordforande"},
            {"person": person, "kind": "beslutande", "function": "justerare"},
        ],
    )
    return page


def _submit(page, username="redaktor"):
    page.save_revision(user=builders.user(username))
    page.get_workflow().start(page, builders.user(username))
    page.refresh_from_db()


def _post_action(client, page, action, comment=""):
    state = page.current_workflow_task_state
    return client.post(
        reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, state.pk)), {"comment": comment}
    )


def _chair_signs(page):
    """The chair's signature; each test then lets the justerare sign last, which justerar the record."""
    page.refresh_from_db()
    state = page.current_workflow_task_state.specific
    state.task.specific.on_action(state, builders.user("ordf"), "approve", comment="")
    page.refresh_from_db()


def _logged(page, action, task):
    return PageLogEntry.objects.filter(page=page, action=action, data__workflow__task__title=task)


def test_submit_review_and_justering_by_the_records_justerare(record, client):
    _submit(record)
    assert record.current_workflow_task.name == "Granskning"
    client.force_login(builders.user("granskare"))
    assert _post_action(client, record, "approve", "Granskat.").status_code in (200, 302)
    record.refresh_from_db()
    assert record.current_workflow_task.name == "Justering" and not record.live

    _chair_signs(record)
    client.force_login(builders.user("justerare"))
    assert _post_action(client, record, "approve", "Justerat utan ändringar.").status_code in (200, 302)
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.live
    assert record.adjusted_on == timezone.localdate()
    assert record.current_workflow_state is None
    # The text is now locked: employees read it, and a change needs a rättelse.
    assert not record.minutes_closed
    assert [p.number for p in record.paragraphs.all()] == [1, 2]

    submitted = PageLogEntry.objects.get(page=record, action="wagtail.workflow.start")
    assert submitted.user.username == "redaktor"
    review = _logged(record, "wagtail.workflow.approve", "Granskning").get()
    assert (review.user.username, review.data["comment"]) == ("granskare", "Granskat.")
    justering = _logged(record, "wagtail.workflow.approve", "Justering").get()
    assert (justering.user.username, justering.data["comment"]) == ("justerare", "Justerat utan ändringar.")
    assert PageLogEntry.objects.filter(page=record, action="wagtail.publish").exists()


def test_the_forums_justering_group_sees_the_record_but_does_not_sign_for_the_justerare(record, client):
    # A signature is personal (issue 20, defect 4): the group is the fallback that sees the task, nothing more.
    group = Group.objects.create(name="Justeringsutskottets justerare")
    _admin_user("registrator").groups.add(group)
    roles = local_roles_for(record.forum)
    roles.reviewer_group = group
    roles.save()
    _submit(record)
    client.force_login(builders.user("granskare"))
    _post_action(client, record, "approve")
    record.refresh_from_db()
    client.force_login(builders.user("registrator"))
    assert _post_action(client, record, "approve", "Justerat av registrator.").status_code in (302, 403)
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert not record.live and record.adjusted_on is None
    assert record.title in client.get("/admin/").content.decode()


@pytest.mark.parametrize("username", ["granskare", "redaktor", "medarbetare"])
def test_someone_else_cannot_approve_the_justering(record, client, username):
    _submit(record)
    client.force_login(builders.user("granskare"))
    _post_action(client, record, "approve")
    record.refresh_from_db()
    client.force_login(builders.user(username))
    response = _post_action(client, record, "approve", "Försök.")
    assert response.status_code in (302, 403)
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert not record.live and record.adjusted_on is None
    assert record.current_workflow_task.name == "Justering"
    assert not _logged(record, "wagtail.workflow.approve", "Justering").exists()


def test_justering_with_a_planned_anslag_day_schedules_publishing_for_that_day(record):
    anslag = timezone.localdate() + datetime.timedelta(days=4)
    record.posted_on = anslag  # a planned anslag day may be set before justering
    _submit(record)
    state = record.current_workflow_task_state.specific
    state.task.specific.on_action(state, builders.user("granskare"), "approve", comment="")
    _chair_signs(record)
    state = record.current_workflow_task_state.specific
    state.task.specific.on_action(state, builders.user("justerare"), "approve", comment="Justerat.")
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert not record.live  # employees read it from the anslag day, not before
    revision = record.get_latest_revision()
    expected = timezone.make_aware(datetime.datetime.combine(anslag, datetime.time.min))
    assert revision.approved_go_live_at == expected
    assert revision.as_object().adjusted_on == timezone.localdate()


def test_a_justerat_record_skips_the_justering_step(record, client):
    # Published as justerat (imported, or justerat earlier): a later rättelse goes through Granskning only.
    record.adjusted_on = timezone.localdate()
    record.save_revision().publish()
    _submit(record)
    client.force_login(builders.user("granskare"))
    _post_action(client, record, "approve", "Rättelse granskad.")
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.live and record.current_workflow_state is None


def test_naming_a_justering_group_lets_its_members_log_in_to_the_admin_to_justera(record, client):
    group = Group.objects.create(name="Nya justerare")
    politician = builders.user("politiker")
    politician.groups.add(group)
    client.force_login(politician)
    assert client.get("/admin/").status_code == 302  # no admin login before the group is named
    roles = local_roles_for(record.forum)
    roles.reviewer_group = group
    roles.save()
    assert client.get("/admin/").status_code == 200
    # Admin login only: no page rights come with it.
    assert not group.permissions.exclude(codename="access_admin").exists()


def test_a_named_justerare_without_admin_login_gets_it_when_the_record_awaits_justering(demo, client):
    ensure_workflows(demo)
    forum = builders.forum("mjolby", "valda-justerare", "Utskottet med vald justerare")
    politician = builders.user("politiker", "Medarbetare")
    chair = builders.person(name="Olga Ordförande", user=_admin_user("ordf"))
    page = builders.record(
        forum,
        "sammantrade",
        date=timezone.localdate() - datetime.timedelta(days=2),
        publish=False,
        paragraphs=[builders.paragraph(1, "Lägesbild")],
        attendances=[
            {"person": chair, "kind": "beslutande", "function": "ordforande"},
            {
                "person": builders.person("Pia Politiker", user=politician),
                "kind": "beslutande",
                "function": "justerare",
            },
        ],
    )
    client.force_login(politician)
    assert client.get("/admin/").status_code == 302  # an employee has no admin login of her own
    _submit(page)
    client.force_login(builders.user("granskare"))
    _post_action(client, page, "approve")
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Justering"

    client.force_login(politician)
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert page.title in dashboard.content.decode()  # the record waits for her on the dashboard
    _chair_signs(page)
    assert _post_action(client, page, "approve", "Justerat.").status_code in (200, 302)
    page = MeetingRecordPage.objects.get(pk=page.pk)
    assert page.live and page.adjusted_on == timezone.localdate()
    # Admin login only: no page rights come with it, so she cannot edit other pages.
    assert not politician.has_perm("wagtailcore.change_page")
    assert not Group.objects.get(name="Utsedda justerare").permissions.exclude(codename="access_admin").exists()
