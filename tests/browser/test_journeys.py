"""Journeys through the real admin and front end, as the demo's people would take them.

1. The editor registers a member of the utskott, gives her a seat on the forum's page and writes a meeting
   record with two paragraphs, naming her justerare, and sends both for review; the reviewer approves; the
   justerare justerar; an employee then finds a paragraph with the header search box and opens its extract.
2. An employee narrows a search with the facets, using the keyboard only.
3. A member reads a record that is not justerat yet; an employee cannot open it, nor its extract.
"""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

pytestmark = pytest.mark.browser

UTSKOTT_SLUG = "trygghets-och-sakerhetsutskottet"
MEMBER_NAME = "Jenny Justerare"


@pytest.fixture(scope="module")
def justerare_account(live_server):
    """The new member's login: an elected member who justerar in the admin (admin access, nothing to edit).

    The administrator creates accounts; the journey starts where the editor links the account to the person.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from intranet.demo.users import DEMO_PASSWORD
    from safety_pages.access import roles

    group, _created = Group.objects.get_or_create(name="Justerare med inloggning")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user, _created = get_user_model().objects.get_or_create(
        username="justerare", defaults={"first_name": "Jenny", "last_name": "Justerare"}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.add(group, Group.objects.get(name=roles.EMPLOYEES))
    yield user
    # Leave the demo as it was loaded: the record, the person, the login (its log entries go with them).
    from safety_pages.models import MeetingRecordPage, Person

    for record in MeetingRecordPage.objects.filter(title=_record_title()):
        record.delete()
    forum = _utskott()
    if forum.memberships.filter(person__name=MEMBER_NAME).exists():
        forum.memberships = [m for m in forum.memberships.all() if m.person is None or m.person.name != MEMBER_NAME]
        forum.save_revision().publish()
    Person.objects.filter(name=MEMBER_NAME).delete()
    user.delete()
    group.delete()


def _meeting_day():
    return timezone.localdate() - datetime.timedelta(days=2)


def _record_title():
    return f"Trygghets- och säkerhetsutskottet {_meeting_day():%Y-%m-%d}"


def _utskott():
    from safety_pages.models import ForumPage

    return ForumPage.objects.get(slug=UTSKOTT_SLUG)


def _status_text(page):
    """The search page's result count line, e.g. "5 träffar för ”trygghet”"."""
    return page.locator(".search-results p[role='status']").inner_text()


def _total(page):
    return int(re.match(r"\d+", _status_text(page)).group())


def _send_for_review(editor):
    """Fler åtgärder → Lämna in till Granskning, once Wagtail's autosave of the draft has settled."""
    editor.wait_for_load_state("networkidle")
    editor.get_by_role("button", name="Fler åtgärder").click()
    with editor.expect_navigation():
        editor.get_by_role("button", name="Lämna in till Granskning").click()
    # Sent: Wagtail goes back to the page listing (a refused form stays on its add or edit view).
    assert not re.search(r"/(add|edit)/", editor.url), editor.locator("main").inner_text()[:3000]


def _type_in_rich_text(page, field_id, text):
    """Type into the Draftail editor of the field, and wait until the form field holds the text.

    Draftail writes its content to the hidden input a moment after typing stops; sending earlier loses it.
    """
    editor = page.locator(f"#{field_id}").locator("..").locator("[role='textbox'][contenteditable='true']")
    editor.wait_for(state="visible")
    editor.click()
    editor.press_sequentially(text)
    page.wait_for_function("([id, text]) => document.getElementById(id).value.includes(text)", arg=[field_id, text])


def test_record_from_editor_through_review_and_justering_to_the_employees_search(open_page, justerare_account):
    from wagtail.models import PageLogEntry

    from safety_pages.models import MeetingRecordPage, Membership, Person

    meeting_day, title = _meeting_day(), _record_title()
    forum = _utskott()

    # The editor registers the new member and links her login.
    editor = open_page("redaktor")
    editor.goto("/admin/safety_pages/person/create/")
    editor.fill("#id_name", MEMBER_NAME)
    editor.fill("#id_title", "ledamot")
    editor.fill("#id_party", "S")
    editor.select_option("#id_user", label="justerare")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Spara").click()
    person = Person.objects.get(name=MEMBER_NAME)
    assert person.user == justerare_account

    # … gives her a seat (as ersättare, beside the full ordinary seats) on the utskott's page, sent for review.
    editor.goto(f"/admin/pages/{forum.pk}/edit/")
    editor.get_by_role("tab", name="Medlemmar").click()
    seats = int(editor.locator("#id_memberships-TOTAL_FORMS").input_value())
    editor.get_by_role("button", name="Lägg till medlemskap").click()
    editor.select_option(f"#id_memberships-{seats}-person", label=f"{MEMBER_NAME} (S)")
    editor.select_option(f"#id_memberships-{seats}-role", value="ersattare")
    _send_for_review(editor)

    # … and writes the record: the meeting, her attendance as justerare, two paragraphs.
    editor.goto(f"/admin/pages/add/safety_pages/meetingrecordpage/{forum.pk}/")
    editor.fill("#id_title", title)
    editor.fill("#id_meeting_date", meeting_day.isoformat())
    editor.fill("#id_starts_at", "13:00")
    editor.fill("#id_place", "Sammanträdesrum Mjölnaren")
    editor.get_by_role("tab", name="Närvaro").click()
    editor.get_by_role("button", name="Lägg till närvarande").click()
    editor.select_option("#id_attendances-0-person", label=f"{MEMBER_NAME} (S)")
    editor.select_option("#id_attendances-0-function", value="justerare")
    # … and the demo's chair of the utskott, who signs the justering with her.
    editor.get_by_role("button", name="Lägg till närvarande").click()
    editor.select_option("#id_attendances-1-person", label="Olga Ordförande (fiktiv demoperson)")
    editor.select_option("#id_attendances-1-function", value="ordforande")
    editor.get_by_role("tab", name="Protokoll").click()
    paragraphs = [
        ("Lägesbild för trygghetsvandringarna i Väderstad", "Utskottet noterar lägesbilden för Väderstad."),
        ("Uppföljning av belysningsåtgärder vid Mjölby resecentrum", "Utskottet godkänner uppföljningen."),
    ]
    for index, (heading, decision) in enumerate(paragraphs):
        editor.get_by_role("button", name="Lägg till paragraf").click()
        editor.fill(f"#id_paragraphs-{index}-title", heading)
        _type_in_rich_text(editor, f"id_paragraphs-{index}-decision", decision)
    _send_for_review(editor)
    record = MeetingRecordPage.objects.get(title=title)
    assert not record.live
    assert record.current_workflow_task.name == "Granskning"
    submitted = sorted(record.get_latest_revision_as_object().paragraphs.all(), key=lambda p: p.number)
    assert [(p.title, strip_tags(p.decision)) for p in submitted] == paragraphs
    # Left blank, the numbers continue the forum's running sequence.
    assert submitted[1].number == submitted[0].number + 1

    # The reviewer approves both in the admin: the forum page is published (it has nothing to justera),
    # the record waits for its justerare.
    reviewer = open_page("granskare")
    for page_id in (forum.pk, record.pk):
        reviewer.goto(f"/admin/pages/{page_id}/edit/")
        reviewer.get_by_role("button", name="Fler åtgärder").click()
        with reviewer.expect_navigation():
            reviewer.get_by_role("button", name="Godkänn", exact=True).click()
    assert Membership.objects.filter(forum=forum, person=person, role="ersattare").exists()
    record.refresh_from_db()
    assert not record.live
    assert record.current_workflow_task.name == "Justering"

    # The chair and the justerare each find it on the admin home and sign it in the read-only justering view
    # (issue 20): the chair first, then the justerare, whose signature justerar and publishes it.
    for username in ("ordforande", "justerare"):
        signer = open_page(username)
        signer.goto("/admin/")
        with signer.expect_navigation():
            signer.get_by_role("link", name=f"Justera {title}").click()
        assert paragraphs[0][0] in signer.inner_text("main")
        with signer.expect_navigation():
            signer.get_by_role("button", name="Justera", exact=True).click()
    record.refresh_from_db()
    assert record.live
    assert record.adjusted_on == timezone.localdate()
    assert record.posted_on is not None  # the anslag proposed by the rules
    assert PageLogEntry.objects.filter(page=record, action="wagtail.workflow.approve", user=justerare_account).exists()

    # An employee finds a paragraph through the header search box and opens its extract.
    employee = open_page("medarbetare")
    employee.goto("/")
    employee.fill("#site-search-q", "belysningsåtgärder resecentrum")
    with employee.expect_navigation():
        employee.press("#site-search-q", "Enter")
    hit = employee.locator(".result__title a", has_text=paragraphs[1][0]).first
    assert hit.count() == 1, _status_text(employee)
    with employee.expect_navigation():
        hit.click()
    assert re.search(r"/paragraf/\d+/$", employee.url)
    extract = employee.inner_text("main")
    assert paragraphs[1][0] in extract and paragraphs[1][1] in extract
    assert paragraphs[0][0] not in extract  # the extract holds its own paragraph only
    # … with the record's header: the body, the meeting day and the justering it carries.
    assert forum.title in extract and meeting_day.isoformat() in extract
    assert f"justerat {timezone.localdate():%Y-%m-%d}" in extract


def _tab_to(page, matches, limit=150):
    """Press Tab until the focused element satisfies `matches` (a JS predicate over `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({matches}); }})()"):
            return
    raise AssertionError(f"no element matching {matches} could be reached with Tab")


def test_employee_narrows_a_search_with_the_facets_by_keyboard_only(open_page):
    page = open_page("medarbetare")
    page.goto("/")
    # From the top of the page: the header search box, typed into and sent with Enter.
    _tab_to(page, "el.id === 'site-search-q'")
    page.keyboard.type("trygghet")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    everything = _total(page)
    steering_label = page.locator("label", has=page.locator("input[name='type'][value='steeringdocumentpage']"))
    steering_count = int(re.search(r"\((\d+)", steering_label.inner_text()).group(1))
    assert 0 < steering_count < everything

    # A type facet: Tab to its checkbox, Space ticks it, then Tab to the apply button and Enter.
    _tab_to(page, "el.name === 'type' && el.value === 'steeringdocumentpage'")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    _tab_to(page, "el.type === 'submit' && el.closest('.search-facets')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _total(page) == steering_count
    # Every hit is of the ticked type (the badge is styled in lower case, so compare without case).
    type_label = steering_label.inner_text().split("(")[0].strip().lower()
    badges = {badge.strip().lower() for badge in page.locator(".results .badge").all_inner_texts()}
    assert badges == {type_label}

    # A second facet (municipality) narrows further: facets combine with AND.
    section_value = page.locator(".search-facets input[name='section']").first.get_attribute("value")
    section_label = page.locator("label", has=page.locator(f"input[name='section'][value='{section_value}']"))
    section_count = int(re.search(r"\((\d+)", section_label.inner_text()).group(1))
    _tab_to(page, f"el.name === 'section' && el.value === '{section_value}'")
    page.keyboard.press("Space")
    _tab_to(page, "el.type === 'submit' && el.closest('.search-facets')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert _total(page) == section_count < steering_count
    assert "type=steeringdocumentpage" in page.url and f"section={section_value}" in page.url

    # Past the filters in one step: the link before them leads to the hits, and the next Tab to the first one.
    _tab_to(page, "el.classList.contains('skip-to-results')")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"
    page.keyboard.press("Tab")
    first_hit = page.locator(".results .result__title a").first
    assert page.evaluate("document.activeElement.textContent.trim()") == first_hit.inner_text().strip()


def test_member_reads_a_record_not_justerat_that_an_employee_cannot_open(open_page):
    from safety_pages.models import MeetingRecordPage

    record = MeetingRecordPage.objects.get(
        slug="2026-11-11", path__startswith=_utskott().path, adjusted_on__isnull=True
    )
    assert record.live and record.minutes_closed
    paragraph = record.paragraphs.order_by("sort_order").first()
    extract_url = f"{record.url}paragraf/{paragraph.number}/"

    member = open_page("ledamot")
    response = member.goto(record.url)
    assert response.status == 200
    assert paragraph.title in member.inner_text("main")
    assert member.goto(extract_url).status == 200
    assert paragraph.title in member.inner_text("main")

    employee = open_page("medarbetare")
    for url in (record.url, extract_url):
        response = employee.goto(url)
        assert response.status in (403, 404), f"{url} answered {response.status} to an employee"
        assert paragraph.title not in employee.content()
        assert record.title not in employee.inner_text("main")
