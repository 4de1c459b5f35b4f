"""Cases that editors keep (issue 21, item 4) in Chromium: the paragraph's Ärende (Dnr) is a chooser; the editor
registers a new Dnr in its "Nytt ärende" tab without leaving the record's form, and the Protokoll tab no longer
scrolls sideways (a select of every case made it 1 436 px wide)."""

import datetime

import pytest

from tests import builders
from tests.browser.conftest import axe_violations, describe, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def record(live_server):
    """A draft record of Mjölby's Kommunstyrelsen with one paragraph without a case; removed afterwards."""
    forum = builders.forum("mjolby", "kommunstyrelsen")
    page = builders.record(
        forum,
        "2031-05-06-valjarende",
        date=datetime.date(2031, 5, 6),
        publish=False,
        paragraphs=[builders.paragraph(7, title="Belysning i Hagaparken VALJQZ")],
    )
    yield page
    page.delete()


def test_an_editor_registers_a_new_dnr_without_leaving_the_paragraph_form(open_page, record):
    from safety_pages.models import Case

    editor = open_page("redaktor", 1280)
    editor.goto(f"/admin/pages/{record.pk}/edit/")
    editor.get_by_role("tab", name="Protokoll").click()
    editor.get_by_role("button", name="Välj ärende (Dnr)").first.click()
    modal = editor.locator(".modal-dialog")
    modal.wait_for(state="visible")
    modal.get_by_role("tab", name="Nytt ärende").click()
    modal.get_by_role("textbox", name="Diarienummer").wait_for()
    # Contrast is measured once the modal has faded in (while it fades, every colour is paler).
    editor.wait_for_function(
        "() => [...document.querySelectorAll('.modal, .modal-dialog, .modal-content')]"
        ".every(el => getComputedStyle(el).opacity === '1')"
    )
    violations = axe_violations(editor, ".modal-dialog")
    assert violations == [], describe(violations)
    modal.get_by_role("textbox", name="Diarienummer").fill("ks 2031/404")
    modal.get_by_role("textbox", name="Ärendemening").fill("Belysning i Hagaparken")
    modal.get_by_role("button", name="Nytt ärende").click()
    modal.wait_for(state="hidden")
    editor.get_by_text("ks 2031/404 Belysning i Hagaparken").wait_for()
    width = editor.evaluate("() => document.documentElement.scrollWidth")
    screenshot(editor, "case-chooser-protokoll", 1280)
    assert width <= 1280, f"the Protokoll tab scrolls sideways: {width} px"
    case = Case.objects.get(normalised_number="ks-2031-404")
    assert case.municipality.slug == "mjolby"
    # The case is set on the paragraph when the form is saved.
    with editor.expect_navigation():
        editor.get_by_role("button", name="Spara utkast").click()
    saved = type(record).objects.get(pk=record.pk).get_latest_revision_as_object()
    assert [p.case for p in saved.paragraphs.all()] == [case]
