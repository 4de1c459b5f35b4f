"""The demo shows the workflow and local roles: each demo user sees what their role allows."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import TaskState

from safety_pages.models import ForumPage, InstructionPage
from safety_pages.organisation.local_roles import local_roles_for

pytestmark = pytest.mark.django_db

RESTRICTED = "/mjolby/organisation/krishanteringsradet/larm-och-kontaktvagar/"


@pytest.mark.parametrize(
    "username,sees",
    [("medarbetare", False), ("ledamot", False), ("redaktor", False), ("granskare", True), ("admin", True)],
)
def test_group_restricted_demo_page(demo, client_for, username, sees):
    response = client_for(username).get(RESTRICTED)
    assert (response.status_code == 200 and "Larmvägar" in response.content.decode()) is sees


def test_demo_page_in_review_waits_for_granskare(demo):
    page = InstructionPage.objects.get(slug="uppdragsbeskrivning-forslag")
    assert not page.live
    assert page.current_workflow_task.name == "Granskning"
    reviewer = get_user_model().objects.get(username="granskare")
    assert TaskState.objects.reviewable_by(reviewer).filter(workflow_state__object_id=str(page.pk)).exists()


def test_demo_reviewer_dashboard_lists_the_page_awaiting_review(demo, client_for):
    html = client_for("granskare").get("/admin/").content.decode()
    assert "Uppdragsbeskrivning för LAG Mantorp (förslag)" in html


def test_demo_forum_member_reads_as_the_committees_reader(demo):
    committee = ForumPage.objects.get(slug="trygghets-och-sakerhetsutskottet", url_path__contains="/mjolby/")
    readers = local_roles_for(committee).reader_group.user_set.values_list("username", flat=True)
    assert "ledamot" in readers


RECORDS = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"


def _record(slug):
    from safety_pages.models import MeetingRecordPage

    return MeetingRecordPage.objects.get(url_path=f"/trygghetsportalen{RECORDS}{slug}/")


def test_demo_record_in_review_waits_for_granskare(demo):
    record = _record("2026-10-14")
    assert not record.live and record.current_workflow_task.name == "Granskning"
    reviewer = get_user_model().objects.get(username="granskare")
    assert TaskState.objects.reviewable_by(reviewer).filter(workflow_state__object_id=str(record.pk)).exists()


def test_demo_record_awaiting_justering_is_for_its_justerare_only(demo, client_for):
    record = _record("2026-10-28")
    assert not record.live and record.current_workflow_task.name == "Justering"
    users = get_user_model().objects
    task = record.current_workflow_task.specific
    assert [name for name, *_ in task.get_actions(record, users.get(username="ledamot"))][-1] == "approve"
    assert task.get_actions(record, users.get(username="granskare")) == []
    assert task.get_actions(record, users.get(username="redaktor")) == []
    # The justerare finds it on the admin's start page, among the tasks awaiting them.
    assert "Trygghets- och säkerhetsutskottet 2026-10-28" in client_for("ledamot").get("/admin/").content.decode()


@pytest.mark.parametrize("username", ["medarbetare", "ledamot", "redaktor", "granskare"])
def test_demo_records_in_the_workflow_are_not_on_the_intranet_yet(demo, client_for, username):
    client = client_for(username)
    for slug in ("2026-10-14", "2026-10-28"):
        assert client.get(f"{RECORDS}{slug}/").status_code == 404
    assert "2026-10-28" not in client.get(RECORDS).content.decode()


@pytest.mark.parametrize(
    "username,reads", [("medarbetare", False), ("ledamot", True), ("redaktor", True), ("granskare", True)]
)
def test_demo_unjusterat_record_and_its_beslutsunderlag_by_role(demo, client_for, username, reads):
    from wagtail.documents.models import Document

    client = client_for(username)
    record = client.get(f"{RECORDS}2026-11-11/")
    document = Document.objects.get(title="Lägesbild trygghet och säkerhet hösten 2026 (utkast)")
    assert (record.status_code == 200) is reads
    assert (client.get(document.url).status_code == 200) is reads
