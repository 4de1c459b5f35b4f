"""The demo shows the workflow and local roles: each demo user sees what their role allows."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import TaskState

from safety_pages.local_roles import local_roles_for
from safety_pages.models import ForumPage, InstructionPage

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
