"""The justering journey of issue 20 in Chromium: the chair signs, the justerare asks for a change, the record goes
back to the secretary, who fixes the text and sends it on; both sign; the anslag is proposed and the record's page
shows the anslagsbevis. The record waits in Justering when the journey starts: the editor's writing and Granskning
are the first journey's (test_journeys.py).
"""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from tests.browser.conftest import axe_violations, describe, screenshot

pytestmark = pytest.mark.browser

FORUM_SLUG = "justeringsresans-utskott"
WRONG = "Utskottet beslutar att anslå 50 000 kronor RESANQZ."
RIGHT = "Utskottet beslutar att anslå 5 000 kronor RESANQZ."
COMMENT = "§ 1: beloppet ska vara 5 000 kronor, inte 50 000."


@pytest.fixture(scope="module")
def record(live_server):
    """A record of a forum of its own, chaired by the demo's `ordforande` with the demo's `ledamot` as justerare,
    past Granskning and waiting for their justering. Removed, with its forum, when the module ends."""
    from wagtail.models import Site

    from safety_pages.editing.workflows import ensure_workflows
    from safety_pages.models import ForumPage, JusteringSignature, Person
    from tests import builders

    ensure_workflows(Site.objects.get(is_default_site=True).root_page)
    forum = builders.forum("mjolby", FORUM_SLUG, "Justeringsresans utskott")
    page = builders.record(
        forum,
        "justeringsresan",
        title="Justeringsresans sammanträde",
        date=timezone.localdate() - datetime.timedelta(days=3),
        publish=False,
        kept_at="Kommunledningskontoret, Mjölby",
        paragraphs=[builders.paragraph(1, "Bidrag till trygghetsvandringar", decision=f"<p>{WRONG}</p>")],
        attendances=[
            {"person": Person.objects.get(user__username="ordforande"), "kind": "beslutande", "function": "ordforande"},
            {"person": Person.objects.get(user__username="ledamot"), "kind": "beslutande", "function": "justerare"},
        ],
    )
    page.save_revision(user=builders.user("redaktor"))
    page.get_workflow().start(page, builders.user("redaktor"))
    state = type(page).objects.get(pk=page.pk).current_workflow_task_state.specific
    state.task.specific.on_action(state, builders.user("granskare"), "approve", comment="")
    yield type(page).objects.get(pk=page.pk)
    JusteringSignature.objects.filter(page_id=page.pk).delete()
    ForumPage.objects.get(pk=forum.pk).delete()


def _justering_view(signer, record):
    """The signer's way in: the admin home's link to the justering view."""
    signer.goto("/admin/")
    with signer.expect_navigation():
        signer.get_by_role("link", name=f"Justera {record.title}").click()
    signer.get_by_role("heading", name="Protokollet som det publiceras").wait_for()


def test_chair_signs_justerare_asks_for_a_change_secretary_fixes_both_sign_and_the_anslag_is_shown(open_page, record):
    from safety_pages.models import MeetingRecordPage

    # The chair reads the record as it will be published and signs.
    chair = open_page("ordforande")
    _justering_view(chair, record)
    assert WRONG in chair.inner_text("main")
    with chair.expect_navigation():
        chair.get_by_role("button", name="Justera", exact=True).click()
    chair.get_by_text("Det väntar på de andras justering.").wait_for()

    # The justerare sees the chair's signature, finds the wrong sum and asks for a change, with a comment.
    justerare = open_page("ledamot")
    _justering_view(justerare, record)
    view = justerare.inner_text("main")
    assert "Olga Ordförande" in view and "har justerat" in view
    violations = axe_violations(justerare, include=".justering")
    assert not violations, describe(violations)
    screenshot(justerare, "justering-view", 1280)
    justerare.get_by_label("Vad behöver ändras?").fill(COMMENT)
    with justerare.expect_navigation():
        justerare.get_by_role("button", name="Begär ändring").click()
    justerare.get_by_text("Protokollet har skickats tillbaka till sekreteraren med din kommentar.").wait_for()
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert not record.live and record.adjusted_on is None

    # The secretary finds it back in the edit view, fixes the sum and sends it on (to Justering again).
    secretary = open_page("redaktor")
    secretary.goto(f"/admin/pages/{record.pk}/edit/")
    secretary.get_by_role("tab", name="Protokoll").click()
    field = "id_paragraphs-0-decision"
    box = secretary.locator(f"#{field}").locator("..").locator("[role='textbox'][contenteditable='true']")
    box.click()
    secretary.keyboard.press("Control+A")
    secretary.keyboard.press("Delete")
    box.press_sequentially(RIGHT)
    secretary.wait_for_function(
        "([id, text]) => document.getElementById(id).value.includes(text) && !document.getElementById(id)"
        ".value.includes('50 000')",
        arg=[field, RIGHT],
    )
    secretary.wait_for_load_state("networkidle")
    secretary.get_by_role("button", name="Fler åtgärder").click()
    with secretary.expect_navigation():
        secretary.get_by_role("button", name="Justering").click()
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.current_workflow_task.name == "Justering"
    assert RIGHT in strip_tags(record.get_latest_revision_as_object().paragraphs.all()[0].decision)

    # Both sign the corrected text: the chair's first signature was voided with the change request.
    for signer in (chair, justerare):
        _justering_view(signer, record)
        view = signer.inner_text("main")
        assert RIGHT in view and WRONG not in view
        assert COMMENT in view and "(upphävd)" in view  # the history: the request, the voided signature
        with signer.expect_navigation():
            signer.get_by_role("button", name="Justera", exact=True).click()
    justerare.get_by_text("Alla har justerat: protokollet är justerat.").wait_for()
    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.live and record.adjusted_on == timezone.localdate()
    assert record.posted_on is not None and record.posted_on <= record.adjusted_on + datetime.timedelta(days=2)

    # The record's page shows the text as justerat and the anslagsbevis with the proposed anslag.
    employee = open_page("medarbetare")
    employee.goto(record.url)
    bevis = employee.get_by_role("region", name="Anslagsbevis")
    bevis.wait_for()
    text = bevis.inner_text()
    assert "Justeringsresans utskott" in text and "Kommunledningskontoret, Mjölby" in text
    assert f"{record.adjusted_on:%Y-%m-%d}" in text
    assert f"från {record.posted_on:%Y-%m-%d} till {record.appeal_period_ends:%Y-%m-%d}" in text
    page_text = employee.inner_text("main")
    assert RIGHT in page_text and WRONG not in page_text
    violations = axe_violations(employee, include=".anslagsbevis")
    assert not violations, describe(violations)
    screenshot(employee, "anslagsbevis", 1280)
