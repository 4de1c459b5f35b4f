"""The editorial workflow: Granskning for every safety page, Justering for records, all in the audit log."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from safety_pages.editing.workflows import ensure_workflows
from safety_pages.models import InstructionPage
from safety_pages.models.workflow_tasks import justering_approvers
from safety_pages.organisation.local_roles import local_roles_for
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(demo):
    ensure_workflows(demo)
    mjolby = demo.get_children().get(slug="mjolby").specific
    return builders.forum(mjolby, "trygghets-och-sakerhetsutskottet")


def _submit(page, username):
    """What 'Skicka till Granskning' does in the editor."""
    page.save_revision(user=builders.user(username))
    workflow = page.get_workflow()
    return workflow.start(page, builders.user(username))


def _act(page, username, action, comment=""):
    state = page.current_workflow_task_state.specific
    state.task.specific.on_action(state, builders.user(username), action, comment=comment)
    page.refresh_from_db()


def test_every_safety_page_gets_the_granskning_workflow(committee):
    draft = builders.instruction(committee, "ny-instruktion", publish=False)
    assert draft.get_workflow().name == "Granskning"
    assert committee.get_workflow().name == "Granskning"


def test_reviewer_approves_with_a_comment_and_the_page_is_published_and_logged(committee):
    draft = builders.instruction(committee, "ny-instruktion", publish=False)
    _submit(draft, "redaktor")
    draft.refresh_from_db()
    assert not draft.live
    assert draft.current_workflow_task.name == "Granskning"
    _act(draft, "granskare", "approve", comment="Bra, publiceras.")
    assert draft.live
    assert draft.current_workflow_state is None
    approve = PageLogEntry.objects.get(
        page=draft, action="wagtail.workflow.approve", data__workflow__task__title="Granskning"
    )
    assert approve.user.username == "granskare"
    assert approve.data["comment"] == "Bra, publiceras."
    assert approve.timestamp is not None
    # The justering step does not apply to an instruction: it is skipped, not waiting for anyone.
    skipped = TaskState.objects.get(workflow_state__object_id=str(draft.pk), task__name="Justering")
    assert skipped.status == TaskState.STATUS_SKIPPED
    assert PageLogEntry.objects.filter(page=draft, action="wagtail.publish", user__username="granskare").exists()


def test_reviewer_requests_changes_with_a_comment(committee):
    draft = builders.instruction(committee, "ny-instruktion", publish=False)
    _submit(draft, "redaktor")
    _act(draft, "granskare", "reject", comment="Komplettera uppdraget.")
    state = WorkflowState.objects.get(object_id=str(draft.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not draft.live
    entry = PageLogEntry.objects.get(page=draft, action="wagtail.workflow.reject")
    assert (entry.user.username, entry.data["comment"]) == ("granskare", "Komplettera uppdraget.")


def test_editor_and_employee_cannot_approve(committee):
    draft = builders.instruction(committee, "ny-instruktion", publish=False)
    _submit(draft, "redaktor")
    task = draft.current_workflow_task.specific
    assert task.get_actions(draft, builders.user("redaktor")) == []
    assert task.get_actions(draft, builders.user("medarbetare")) == []
    assert task.locked_for_user(draft, builders.user("redaktor"))


def test_reviewer_approves_through_the_admin(committee, client_for):
    draft = builders.instruction(committee, "ny-instruktion", publish=False)
    _submit(draft, "redaktor")
    state = draft.current_workflow_task_state
    response = client_for("granskare").post(
        reverse("wagtailadmin_pages:workflow_action", args=(draft.pk, "approve", state.pk)),
        {"comment": "Godkänd i administrationen."},
    )
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert draft.live
    assert PageLogEntry.objects.get(page=draft, action="wagtail.workflow.approve").data["comment"] == (
        "Godkänd i administrationen."
    )


class StandInRecord:
    """The justering protocol, as the meeting record implements it, on an instruction page for this test."""

    justerade: dict = {}

    def needs_justering(self):
        return self.pk not in StandInRecord.justerade

    def justering_users(self):
        return [builders.user("justerare")]

    def set_justering(self, by, on):
        StandInRecord.justerade[self.pk] = (by.username, on)
        self.valid_from = on  # a field change, to prove the justering revision is the one published

    def anslag_starts_at(self):
        return getattr(self, "_anslag", None)


@pytest.fixture
def record_protocol(monkeypatch):
    StandInRecord.justerade = {}
    for name in ("needs_justering", "justering_users", "set_justering", "anslag_starts_at"):
        monkeypatch.setattr(InstructionPage, name, getattr(StandInRecord, name), raising=False)
    return StandInRecord


def test_record_waits_for_justering_after_granskning_and_only_justerare_may_approve(committee, record_protocol):
    record = builders.instruction(committee, "protokoll", publish=False)
    _submit(record, "redaktor")
    _act(record, "granskare", "approve")
    assert not record.live
    task = record.current_workflow_task.specific
    assert task.name == "Justering"
    assert task.get_actions(record, builders.user("granskare")) == []
    assert [name for name, *_ in task.get_actions(record, builders.user("justerare"))] == ["reject", "approve"]
    assert task.locked_for_user(record, builders.user("redaktor"))


def test_justering_sets_the_date_and_publishes_even_without_publish_right(committee, record_protocol):
    record = builders.instruction(committee, "protokoll", publish=False)
    _submit(record, "redaktor")
    _act(record, "granskare", "approve")
    _act(record, "justerare", "approve", comment="Justerat utan ändringar.")
    today = timezone.localdate()
    assert record_protocol.justerade[record.pk] == ("justerare", today)
    assert record.live
    assert record.specific.valid_from == today
    entry = PageLogEntry.objects.get(
        page=record, action="wagtail.workflow.approve", data__workflow__task__title="Justering"
    )
    assert (entry.user.username, entry.data["comment"]) == ("justerare", "Justerat utan ändringar.")


def test_forum_justering_group_may_justera_in_place_of_the_justerare(committee, record_protocol):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Utskottets justerare")
    builders.user("registrator").groups.add(group)
    roles = local_roles_for(committee)
    roles.reviewer_group = group
    roles.save()
    record = builders.instruction(committee, "protokoll", publish=False)
    assert set(justering_approvers(record.specific).values_list("username", flat=True)) == {"justerare", "registrator"}


def test_anslag_date_in_the_future_schedules_publishing(committee, record_protocol, monkeypatch):
    anslag = (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0)
    monkeypatch.setattr(InstructionPage, "_anslag", anslag, raising=False)
    record = builders.instruction(committee, "protokoll", publish=False)
    _submit(record, "redaktor")
    _act(record, "granskare", "approve")
    _act(record, "justerare", "approve")
    assert not record.live
    revision = record.get_latest_revision()
    assert revision.approved_go_live_at == anslag
    # On the anslag day the scheduled-publishing cron (manage.py publish_scheduled) puts it live.
    # (Time cannot pass in a test: the anslag moment is moved back to just now instead.)
    revision.content["go_live_at"] = timezone.now().isoformat()
    revision.approved_go_live_at = timezone.now()
    revision.save()
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    record.refresh_from_db()
    assert record.live
