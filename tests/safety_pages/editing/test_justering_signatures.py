"""Justering as personal signatures (issue 20, defects 1–4): the chair and each justerare sign for themselves,
the last signature justerar, a change voids what was signed, a begärd ändring goes back to the secretary, and
the signers get a read-only view with two buttons; what stands in the way is a Swedish message, never a 500."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from safety_pages.access import roles
from safety_pages.editing.workflows import ensure_workflows
from safety_pages.models import JusteringSignature, MeetingRecordPage, Person
from safety_pages.organisation.local_roles import local_roles_for
from tests import builders

pytestmark = pytest.mark.django_db


def _admin_user(username, *groups):
    account = builders.user(username, *groups)
    account.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return account


def _record(forum, slug="sammantrade", days_ago=3):
    chair = Person.objects.create(name="Olga Ordförande", user=_admin_user("ordf"))
    justerare = Person.objects.create(name="Jenny Justerare", user=_admin_user("justerare"))
    return builders.record(
        forum,
        slug,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        publish=False,
        paragraphs=[builders.paragraph(1, "Lägesbild"), builders.paragraph(2, "Handlingsplan")],
        attendances=[
            {"person": chair, "kind": "beslutande", "function": "ordforande"},
            {"person": justerare, "kind": "beslutande", "function": "justerare"},
        ],
    )


@pytest.fixture
def forum(demo):
    ensure_workflows(demo)
    return builders.forum("mjolby", "signaturutskottet", "Signaturutskottet")


@pytest.fixture
def record(forum):
    return _record(forum)


def _submit(page, username="redaktor"):
    page.save_revision(user=builders.user(username))
    page.get_workflow().start(page, builders.user(username))
    page.refresh_from_db()


def _review(page):
    state = page.current_workflow_task_state.specific
    state.task.specific.on_action(state, builders.user("granskare"), "approve", comment="")
    page.refresh_from_db()


def _in_justering(page):
    _submit(page)
    _review(page)
    assert page.current_workflow_task.name == "Justering"
    return page


def _justering_url(page):
    return reverse("safety_pages_justering", args=[page.pk])


def _fresh(page):
    return MeetingRecordPage.objects.get(pk=page.pk)


def test_one_signature_does_not_justera_the_last_one_does(record, client):
    _in_justering(record)
    client.force_login(builders.user("justerare"))
    assert client.post(_justering_url(record), {"justera": "1"}).status_code == 302
    record = _fresh(record)
    assert not record.live and record.adjusted_on is None
    assert record.current_workflow_task.name == "Justering"
    assert client.post(_justering_url(record), {"justera": "1"}).status_code == 302  # no second signature
    assert JusteringSignature.objects.filter(page_id=record.pk).count() == 1

    client.force_login(builders.user("ordf"))
    client.post(_justering_url(record), {"justera": "1"})
    record = _fresh(record)
    assert record.live and record.adjusted_on == timezone.localdate()
    signed = JusteringSignature.objects.filter(page_id=record.pk).order_by("at")
    assert [(s.user.username, s.role) for s in signed] == [("justerare", "justerare"), ("ordf", "ordforande")]
    assert len({s.digest for s in signed}) == 1 and len(signed[0].digest) == 64


@pytest.mark.parametrize("who", ["superuser", "justerargrupp", "fallback"])
def test_nobody_signs_for_another(record, client, who):
    """Defect 4: a superuser, a justerargrupp member or a fallback group could justera the whole record alone."""
    other = _admin_user("annan")
    if who == "superuser":
        other.is_superuser = True
        other.save()
    elif who == "justerargrupp":
        group = Group.objects.create(name="Signaturutskottets justerare")
        other.groups.add(group)
        roles = local_roles_for(record.forum)
        roles.reviewer_group = group
        roles.save()
    else:
        group = Group.objects.create(name="Registratorer")
        other.groups.add(group)
        ensure_workflows(record.get_site().root_page)
        from safety_pages.models import JusteringTask

        JusteringTask.objects.get().fallback_groups.add(group)
    _in_justering(record)
    task = record.current_workflow_task.specific
    assert task.get_actions(record, other) == []
    client.force_login(other)
    state = record.current_workflow_task_state
    response = client.post(reverse("wagtailadmin_pages:workflow_action", args=(record.pk, "approve", state.pk)))
    assert response.status_code in (302, 403)
    client.post(_justering_url(record), {"justera": "1"})
    record = _fresh(record)
    assert not record.live and record.adjusted_on is None
    assert not JusteringSignature.objects.filter(page_id=record.pk).exists()
    if who != "superuser":  # the group still sees the record waiting, on the admin's start page
        assert task.get_task_states_user_can_moderate(other).exists()


def test_adjusted_on_typed_by_an_editor_does_not_justera(record, client):
    """Defect 1: an editor set Justerat den, sent the record to Granskning, and it was published as justerat."""
    client.force_login(builders.user("redaktor", "Redaktörer"))
    _response, data = builders.edit_form(client, record)
    data["adjusted_on"] = str(timezone.localdate())
    data["action-submit"] = "1"
    response = client.post(f"/admin/pages/{record.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _fresh(record).get_latest_revision_as_object().adjusted_on is None
    _review(record)
    record = _fresh(record)
    assert not record.live and record.current_workflow_task.name == "Justering"


def test_a_justering_date_in_a_draft_by_another_path_is_not_a_justering(record):
    """Defect 1, any other path: a draft's date without signatures still needs the Justering step."""
    record.adjusted_on = timezone.localdate()
    _submit(record)
    _review(record)
    record = _fresh(record)
    assert not record.live and record.current_workflow_task.name == "Justering"


def test_a_meeting_ahead_is_a_swedish_message_not_a_500(forum, client):
    """Defect 2: justering a record dated after today raised an unhandled ValidationError."""
    record = _record(forum, "framtida", days_ago=-5)
    _submit(record)
    client.force_login(builders.user("granskare"))
    edit = client.get(f"/admin/pages/{record.pk}/edit/").content.decode()
    assert "protokollet kan inte justeras före sammanträdet" in edit  # Granskning is warned
    _review(record)
    client.force_login(builders.user("justerare"))
    state = record.current_workflow_task_state
    response = client.post(reverse("wagtailadmin_pages:workflow_action", args=(record.pk, "approve", state.pk)))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "protokollet kan inte justeras före sammanträdet" in page.content.decode()
    response = client.post(_justering_url(record), {"justera": "1"}, follow=True)
    assert response.status_code == 200
    assert "protokollet kan inte justeras före sammanträdet" in response.content.decode()
    assert not JusteringSignature.objects.filter(page_id=record.pk).exists()


def test_granskning_is_warned_of_a_record_without_a_chair(forum, client):
    justerare = Person.objects.create(name="Jenny Justerare", user=_admin_user("justerare"))
    record = builders.record(
        forum,
        "utan-ordforande",
        date=timezone.localdate() - datetime.timedelta(days=2),
        publish=False,
        paragraphs=[builders.paragraph(1)],
        attendances=[{"person": justerare, "kind": "beslutande", "function": "justerare"}],
    )
    client.force_login(builders.user("granskare"))
    html = client.get(f"/admin/pages/{record.pk}/edit/").content.decode()
    assert "Närvaron anger ingen ordförande" in html


def test_the_signer_gets_a_read_only_view_not_the_edit_form(record, client):
    """Defect 3: the justerare got the full edit form, could change a title and cancel the workflow."""
    _in_justering(record)
    client.force_login(builders.user("justerare"))
    assert client.get(f"/admin/pages/{record.pk}/edit/").status_code in (302, 403)
    html = client.get(_justering_url(record)).content.decode()
    assert "Lägesbild" in html and "Handlingsplan" in html
    assert 'name="justera"' in html and 'name="request_change"' in html
    assert "page-edit-form" not in html and "Avbryt arbetsflöde" not in html
    task = record.current_workflow_task.specific
    assert task.locked_for_user(record, builders.user("justerare"))
    assert not task.user_can_access_editor(record, builders.user("justerare"))


def test_begar_andring_sends_the_record_back_to_the_secretary_and_voids_signatures(record, client):
    _in_justering(record)
    client.force_login(builders.user("ordf"))
    client.post(_justering_url(record), {"justera": "1"})
    client.force_login(builders.user("justerare"))
    response = client.post(_justering_url(record), {"request_change": "1", "comment": "§ 2: fel belopp."})
    assert response.status_code == 302
    record = _fresh(record)
    assert not record.live and record.adjusted_on is None
    state = WorkflowState.objects.for_instance(record).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert JusteringSignature.objects.filter(page_id=record.pk, action="justerat").get().voided_at is not None
    assert JusteringSignature.objects.filter(page_id=record.pk, action="andring_begard").get().comment == (
        "§ 2: fel belopp."
    )


def test_a_change_after_a_signature_voids_it(record, client):
    _in_justering(record)
    client.force_login(builders.user("ordf"))
    client.post(_justering_url(record), {"justera": "1"})
    changed = _fresh(record).get_latest_revision_as_object()
    changed.paragraphs.all()[0].title = "Lägesbild (ändrad)"
    changed.save_revision(user=builders.user("redaktor"))
    client.force_login(builders.user("justerare"))
    client.post(_justering_url(record), {"justera": "1"})
    record = _fresh(record)
    assert not record.live and record.adjusted_on is None  # the chair's signature was for another text
    task = record.current_workflow_task.specific
    assert [name for name, *_ in task.get_actions(record, builders.user("ordf"))] == ["reject", "approve"]
    client.force_login(builders.user("ordf"))
    client.post(_justering_url(record), {"justera": "1"})
    assert _fresh(record).live


def test_the_admin_home_links_each_signer_to_the_justering_view(record, client):
    _in_justering(record)
    client.force_login(builders.user("justerare"))
    html = client.get("/admin/").content.decode()
    assert f'href="{_justering_url(record)}"' in html
    client.post(_justering_url(record), {"justera": "1"})
    assert f'href="{_justering_url(record)}"' not in client.get("/admin/").content.decode()  # signed: nothing left


def test_the_justerares_task_comes_first_on_the_admin_home_and_justera_is_confirmed(record, client):
    """A justerare who is also an editor: the record to sign stands above the follow-up and Wagtail's own lists,
    and Justera ends on a confirmation of what happened."""
    _in_justering(record)
    client.force_login(builders.user("justerare", roles.EDITORS))
    html = client.get("/admin/").content.decode()
    assert 'id="records-to-sign-heading"' in html and 'id="followup' in html
    assert html.index('id="records-to-sign-heading"') < html.index('id="followup')
    response = client.post(_justering_url(record), {"justera": "1"}, follow=True)
    assert "Du har justerat protokollet. Det väntar på de andras justering." in response.content.decode()
