"""The personal-data check as the editor meets it: the panel on the edit form names the finding, the findings page
passes axe (WCAG 2.1 AA), and Kvittera with a reason clears the way to Granskning."""

import datetime

import pytest

from tests.browser.conftest import axe_violations, describe, screenshot

pytestmark = pytest.mark.browser

TITLE = "Protokoll med personnummer (webbläsartest)"
PNR = "811218-9876"


@pytest.fixture(scope="module")
def record(live_server):
    from safety_pages.models import ForumPage
    from tests import builders

    forum = ForumPage.objects.get(slug="trygghets-och-sakerhetsutskottet")
    page = builders.record(
        forum,
        "personnummer-webblasartest",
        title=TITLE,
        date=datetime.date(2026, 11, 2),
        publish=False,
        paragraphs=[builders.paragraph(901, "Anmälan", background=f"<p>Den anmälde, {PNR}, hördes.</p>")],
    )
    yield page
    page.delete()  # its log entries go with it: the demo is left as loaded


def test_the_editor_sees_the_finding_and_acknowledges_it(open_page, record):
    page = open_page("redaktor", 1280)
    page.goto(f"/admin/pages/{record.pk}/edit/")
    panel = page.locator(".personal-data-check")
    panel.wait_for(state="visible")
    assert "Personnummer" in panel.inner_text() and "§ 901" in panel.inner_text()

    panel.get_by_role("link", name="Granska och kvittera fynden").click()
    page.get_by_role("heading", name="Personuppgifter och sekretess").first.wait_for()
    violations = axe_violations(page, ".personal-data")
    screenshot(page, "admin-personal-data-findings", 1280)
    assert violations == [], describe(violations)

    page.get_by_label("Skäl").fill("Numret är fiktivt, ur en övning.")
    page.get_by_role("button", name="Kvittera").click()
    page.get_by_text("Fyndet är kvitterat").wait_for()
    assert "Kvitterad av" in page.locator(".personal-data").inner_text()
    screenshot(page, "admin-personal-data-acknowledged", 1280)
