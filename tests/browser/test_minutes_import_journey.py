"""*Importera protokoll* in Chromium (issue 21, item 6): the demo's `redaktor` opens a forum in the admin, takes
*Importera protokoll* from the header's menu, uploads one of the seed minutes, checks the review (the text read
beside the form, axe-core's WCAG 2.1 AA rules), corrects the title of the paragraph and the meeting date, creates
the draft and lands in its editor."""

import pytest

from tests.browser.conftest import axe_violations, describe, screenshot
from tests.safety_pages.meetings.importer.command import SEED_004

pytestmark = pytest.mark.browser

FORUM_SLUG = "importresans-rad"
FORUM_TITLE = "Importresans råd"
CORRECTED = "Samverkan med Polisen IMPORTRESAN"


@pytest.fixture(scope="module")
def forum(live_server):
    """A forum of its own, removed with its records at the end."""
    from safety_pages.models import Case, ForumPage
    from tests import builders

    forum = builders.forum("mjolby", FORUM_SLUG, FORUM_TITLE)
    cases_before = set(Case.objects.values_list("pk", flat=True))
    yield forum
    ForumPage.objects.get(pk=forum.pk).delete()
    Case.objects.exclude(pk__in=cases_before).delete()


def test_the_secretary_imports_minutes_corrects_a_title_and_lands_in_the_editor(open_page, forum):
    from safety_pages.models import MeetingRecordPage

    page = open_page("redaktor")
    page.goto(f"/admin/pages/{forum.pk}/edit/")
    page.locator("#w-slim-header-buttons").get_by_role("button", name="Handlingar").click()
    with page.expect_navigation():
        page.locator("#w-slim-header-buttons a", has_text="Importera protokoll").click()

    page.get_by_label("Protokollfil").set_input_files(str(SEED_004))
    with page.expect_navigation():
        page.get_by_role("button", name="Läs protokollet").click()
    assert page.url.endswith("/importera-protokoll/granska/")

    # The review: the text read on the left, the form on the right, both reachable by keyboard.
    source = page.get_by_role("region", name=f"Text ur {SEED_004.name}").or_(page.locator("pre[tabindex='0']"))
    assert "Framtida samverkansformer med Polismyndigheten" in source.first.inner_text()
    paragraph = page.get_by_role("group", name="§ 35")
    title = paragraph.get_by_label("Rubrik")
    assert title.input_value() == "Framtida samverkansformer med Polismyndigheten"
    violations = axe_violations(page)
    screenshot(page, "minutes-import-review", 1280)
    assert violations == [], describe(violations)

    title.fill(CORRECTED)
    page.get_by_label("Sammanträdesdatum").fill("2017-09-14")
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa utkast").click()

    record = MeetingRecordPage.objects.child_of(forum).get()
    assert page.url.endswith(f"/admin/pages/{record.pk}/edit/")
    assert f"Utkastet ”{FORUM_TITLE} 2017-09-14” är skapat" in page.locator(".messages").inner_text()
    page.get_by_role("tab", name="Protokoll").click()
    assert page.locator(f"input[name^='paragraphs-'][value='{CORRECTED}']").count() == 1
    assert not record.live
    assert [(p.number, p.title, p.case.number) for p in record.paragraphs.all()] == [(35, CORRECTED, "KS/2017:215")]
