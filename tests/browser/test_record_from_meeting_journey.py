"""Skapa protokoll in Chromium (issue 21, item 3): the secretary notes that the meeting was held, presses *Skapa
protokoll* in the page header's menu, finds the record filled from the föredragningslista (attendance with the
ersättare in for the member who reported förhinder), and sends it to Granskning. The clicks are counted: the figure in
docs/meetings.md.
"""

import datetime
import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.browser

FORUM_SLUG = "protokollresans-rad"
ITEMS = ("Lägesbild PROTOKOLLRESAN", "Handlingsplan PROTOKOLLRESAN", "Budget PROTOKOLLRESAN")


@pytest.fixture(scope="module")
def meeting(live_server):
    """A meeting of a forum of its own, called and past: the demo's `ordforande` in the chair, a member who reported
    förhinder and the ersättare called in for her, three items. Removed, with its forum and persons, at the end."""
    from wagtail.models import Site

    from safety_pages.editing.workflows import ensure_workflows
    from safety_pages.meetings import notices
    from safety_pages.models import ForumPage, MeetingStatus, Person
    from tests import builders

    ensure_workflows(Site.objects.get(is_default_site=True).root_page)
    forum = builders.forum("mjolby", FORUM_SLUG, "Protokollresans råd")
    chair = Person.objects.get(user__username="ordforande")
    member = builders.person("Petra Protokollresan")
    substitute = builders.person("Rut Protokollresan")
    builders.seat(forum, chair, "ordforande")
    builders.seat(forum, member)
    builders.seat(forum, substitute, "ersattare", substitute_order=1)
    case = builders.case("KS/2026:977", "Lägesbild")
    record = builders.record(
        forum,
        "protokollresan",
        title="Protokollresans sammanträde",
        date=timezone.localdate() - datetime.timedelta(days=2),
        status=MeetingStatus.NOTICE_SENT,
        # Each item's sort order as the admin's form stores it (the builder alone leaves it empty).
        agenda_items=[
            builders.agenda_item(
                ITEMS[0], case=case, presenter=chair, proposal="<p>Rådet noterar lägesbilden.</p>", sort_order=0
            ),
            builders.agenda_item(ITEMS[1], sort_order=1),
            builders.agenda_item(ITEMS[2], proposal="<p>Rådet godkänner budgeten.</p>", sort_order=2),
        ],
    )
    notices.report_absence(record, member)
    yield record
    ForumPage.objects.get(pk=forum.pk).delete()
    Person.objects.filter(pk__in=[member.pk, substitute.pk]).delete()
    case.delete()


def test_the_secretary_creates_the_record_from_the_held_meeting_and_sends_it_to_granskning(open_page, meeting):
    from safety_pages.models import MeetingRecordPage, Person

    editor = open_page("redaktor")
    editor.goto(f"/admin/pages/{meeting.pk}/edit/")
    clicks = 0

    # The meeting was held: the status select, "genomfört", Spara utkast.
    editor.select_option("#id_status", "genomfort")
    clicks += 2
    with editor.expect_navigation():
        editor.get_by_role("button", name="Spara utkast").click()
    clicks += 1

    # The header's menu, Skapa protokoll.
    editor.locator("#w-slim-header-buttons").get_by_role("button", name="Handlingar").click()
    with editor.expect_navigation():
        editor.get_by_role("button", name="Skapa protokoll").click()
    clicks += 2
    assert (
        "Protokollet är ifyllt från sammanträdet och sparat som utkast: 3 paragrafer"
        in editor.locator(".messages").inner_text()
    )
    # Present by default: the chair, and the ersättare serving for the member with förhinder.
    editor.get_by_role("tab", name="Närvaro").click()
    kinds = editor.evaluate(
        '() => Array.from(document.querySelectorAll(\'select[name^="attendances-"][name$="-kind"]\'))'
        ".map(select => select.value)"
    )
    assert kinds == ["beslutande", "tjanstgorande"], kinds
    editor.get_by_role("tab", name="Protokoll").click()
    for title in ITEMS:
        assert editor.locator(f"input[name^='paragraphs-'][value='{title}']").count() == 1

    # Fler åtgärder, Lämna in till Granskning.
    editor.wait_for_load_state("networkidle")
    editor.get_by_role("button", name="Fler åtgärder").click()
    with editor.expect_navigation():
        editor.get_by_role("button", name="Lämna in till Granskning").click()
    clicks += 2
    assert not re.search(r"/(add|edit)/", editor.url), editor.locator("main").inner_text()[:3000]

    record = MeetingRecordPage.objects.get(pk=meeting.pk)
    assert record.current_workflow_task.name == "Granskning"
    latest = record.get_latest_revision_as_object()
    assert [(p.number, p.title) for p in latest.paragraphs.all()] == [(1, ITEMS[0]), (2, ITEMS[1]), (3, ITEMS[2])]
    assert latest.title == f"Protokollresans råd {meeting.meeting_date.isoformat()}"
    assert [(a.person.name, a.kind) for a in latest.attendances.all()] == [
        (Person.objects.get(user__username="ordforande").name, "beslutande"),
        ("Rut Protokollresan", "tjanstgorande"),
    ]
    # 7 clicks from the meeting's edit view to Granskning (the tabs looked at are not counted: checking is reading).
    assert clicks == 7
