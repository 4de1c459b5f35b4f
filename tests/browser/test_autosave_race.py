"""*Spara utkast* pressed while Wagtail's autosave is in flight, on a meeting never published, in Chromium.

The autosave's request reaches the server (which stores the new agenda item), and its answer, which would give the
form the item's id, is held back by the browser until the editor has pressed *Spara utkast*: the race, made certain
instead of likely. The item is stored once (safety_pages/models/autosave_rows.py).
"""

import datetime

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser

FORUM_SLUG = "autosparningens-rad"
TITLE = "Punkt AUTOSPARNINGEN"
TIMEOUT_MS = 15_000


@pytest.fixture
def new_meeting(live_server):
    """A planned meeting never published, with no items, in a forum of its own; removed at the end."""
    from safety_pages.models import ForumPage, MeetingStatus
    from tests import builders

    forum = builders.forum("mjolby", FORUM_SLUG, "Autosparningens råd")
    record = builders.record(
        forum,
        "autosparningen",
        date=timezone.localdate() + datetime.timedelta(days=7),
        status=MeetingStatus.PLANNED,
        publish=False,
    )
    yield record
    ForumPage.objects.get(pk=forum.pk).delete()


def test_spara_utkast_while_the_autosave_is_in_flight_stores_the_item_once(open_page, new_meeting):
    from playwright.sync_api import Error

    from safety_pages.models import AgendaItem, MeetingRecordPage

    held = []

    def hold_the_autosaves_answer(route):
        # The autosave asks for JSON; the editor's own save is a form submission asking for HTML.
        if route.request.method == "POST" and "application/json" in route.request.headers.get("accept", ""):
            held.append((route, route.fetch()))  # the server has saved; the form does not hear of it yet
        else:
            route.continue_()

    editor = open_page("redaktor")
    editor_url = f"/admin/pages/{new_meeting.pk}/edit/"
    editor.route(f"**{editor_url}", hold_the_autosaves_answer)
    # Wagtail notes the form as loaded a moment after the page (w-unsaved's "watch-edits"); edits before that are
    # part of what it compares with, so nothing would be autosaved.
    editor.add_init_script("document.addEventListener('w-unsaved:watch-edits', () => { window.watchingEdits = true })")
    editor.goto(editor_url)
    editor.wait_for_function("() => window.watchingEdits === true")
    editor.get_by_role("button", name="Lägg till punkt").click()
    editor.locator("#id_agenda_items-0-title").fill(TITLE)
    # Until the server has stored the autosave (the handler runs while Playwright handles the page's events): a
    # state, polled, with the tests' usual limit.
    for _poll in range(TIMEOUT_MS // 50):
        if held:
            break
        editor.wait_for_timeout(50)
    assert held, "no autosave was sent"
    # The form is still waiting for that answer when the editor presses Spara utkast.
    editor.locator("#w-autosave-indicator[data-w-autosave-state-value='saving']").wait_for(state="attached")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Spara utkast").click()
    for route, response in held:
        try:
            route.fulfill(response=response)
        except Error:
            pass  # the page it was for has gone (Spara utkast reloaded it), as a late answer would find it

    latest = MeetingRecordPage.objects.get(pk=new_meeting.pk).get_latest_revision_as_object()
    assert [item.title for item in latest.agenda_items.all()] == [TITLE]
    assert AgendaItem.objects.filter(record=new_meeting).count() == 1
    assert editor.locator("input[name$='-title'][value='" + TITLE + "']").count() == 1
