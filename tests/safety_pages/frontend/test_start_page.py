"""The start page per role (issue 23, item 2): what everyone may read, the member's forums, the tasks of editors and
justerare first, nothing closed named, and a bounded number of queries."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safety_pages.access import roles
from safety_pages.editing.workflows import ensure_workflows
from tests import builders

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SOON = TODAY + datetime.timedelta(days=9)


def _section(html, heading_id):
    """The HTML of the start page's section labelled by `heading_id` (empty when it is not drawn)."""
    start = html.find(f'aria-labelledby="{heading_id}"')
    if start < 0:
        return ""
    return html[start : html.find("</section>", start)]


@pytest.fixture
def fresh(demo):
    """Content made in the test: an open upcoming meeting and justerat record, a closed one, and a forum and a
    steering document restricted to a group the employee is not in."""
    forum = builders.forum("mjolby", "startsidesradet", "Startsidesrådet Blåklint")
    builders.record(forum, "kommande", date=SOON, status="planerat", place="Rådhuset Blåklint", title="Möte Blåklint")
    builders.record(
        forum, "justerat", date=TODAY - datetime.timedelta(days=20), adjusted_on=TODAY, title="Protokoll Blåklint"
    )
    # Held, published, not yet justerat: closed to all but the forum's members and the editors.
    builders.record(forum, "stangt", date=TODAY - datetime.timedelta(days=2), title="Protokoll Kvastfening")
    secret_forum = builders.forum("mjolby", "slutna-radet", "Slutna rådet Smultron")
    builders.record(secret_forum, "kommande", date=SOON, status="planerat", title="Möte Smultron")
    readers = builders.group("Smultronläsare")
    builders.restrict_to_groups(secret_forum, readers)
    index = builders.steering_index(builders.section("mjolby"))
    document = builders.steering_document(index, "Styrdokument Lingonris")
    builders.restrict_to_groups(document, readers)
    builders.steering_document(index, "Styrdokument Hallonbåt")
    return {"forum": forum, "readers": readers}


def test_an_employee_sees_what_is_coming_and_the_latest_but_nothing_closed(fresh, client_for):
    html = client_for("medarbetare").get("/").content.decode()
    upcoming = _section(html, "upcoming-heading")
    assert "Startsidesrådet Blåklint" in upcoming and "Mjölby kommun, Rådhuset Blåklint" in upcoming
    assert SOON.isoformat() in upcoming
    assert "Protokoll Blåklint" in _section(html, "records-heading")
    assert "Styrdokument Hallonbåt" in _section(html, "documents-heading")
    for closed in ("Kvastfening", "Smultron", "Lingonris"):
        assert closed not in html
    # Neither tasks nor forums of her own: she holds no seat and acts on no workflow.
    assert "Att göra" not in html and "Mina forum" not in html
    # What the page had before stays: the municipalities.
    assert "Mjölby kommun" in _section(html, "sections-heading")


def test_readers_of_a_group_get_their_own_lists_not_another_groups_cached_ones(fresh, client_for, client):
    reader = builders.user("smultronlasare", roles.EMPLOYEES)
    reader.groups.add(fresh["readers"])
    client.force_login(reader)
    html = client.get("/").content.decode()
    assert "Möte Smultron" not in html  # the forum's title is shown, not the record's
    assert "Slutna rådet Smultron" in _section(html, "upcoming-heading")
    assert "Styrdokument Lingonris" in _section(html, "documents-heading")
    # Drawn for her group set and cached; an employee outside the group still gets lists without them.
    employee_html = client_for("medarbetare").get("/").content.decode()
    assert "Smultron" not in employee_html and "Lingonris" not in employee_html
    assert "Startsidesrådet Blåklint" in employee_html


def test_the_cached_lists_follow_a_new_restriction_and_a_new_document(fresh, client_for):
    client = client_for("medarbetare")
    assert "Styrdokument Hallonbåt" in client.get("/").content.decode()  # drawn and cached for employees
    index = builders.steering_index(builders.section("mjolby"))
    document = index.get_children().get(title="Styrdokument Hallonbåt")
    builders.restrict_to_groups(document, fresh["readers"])
    builders.steering_document(index, "Styrdokument Vinbärsbuske")
    html = client.get("/").content.decode()
    assert "Hallonbåt" not in html
    assert "Styrdokument Vinbärsbuske" in _section(html, "documents-heading")


def test_a_member_sees_her_forums_with_the_next_meeting_and_its_papers(fresh, client):
    member = builders.user("blaklintledamot", roles.EMPLOYEES)
    builders.member(fresh["forum"], member, name="Bodil Blåklint")
    record = fresh["forum"].get_children().get(slug="kommande").specific
    record.agenda = "<p>Föredragningslista</p>"
    record.save_revision().publish()
    client.force_login(member)
    html = client.get("/").content.decode()
    mine = _section(html, "my-forums-heading")
    assert "Startsidesrådet Blåklint" in mine
    assert SOON.isoformat() in mine and "Rådhuset Blåklint" in mine
    assert f'href="{record.url}#agenda-heading"' in mine
    # A member reads her forum's closed record, in the lists too; the restricted forum stays closed to her.
    assert "Protokoll Kvastfening" not in _section(html, "records-heading")  # not justerat: not among the latest
    assert "Smultron" not in html


def _admin_user(username):
    account = builders.user(username, roles.EMPLOYEES)
    account.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return account


@pytest.fixture
def in_workflow(demo):
    """A record submitted for Granskning; its chair and justerare sign in the Justering step after it."""
    ensure_workflows(demo)
    forum = builders.forum("mjolby", "justeringsradet", "Justeringsrådet")
    chair = builders.person(name="Olga Ordf", user=_admin_user("ordf-start"))
    adjuster = builders.person(name="Jenny Just", user=_admin_user("justerare-start"))
    page = builders.record(
        forum,
        "att-justera",
        date=TODAY - datetime.timedelta(days=3),
        publish=False,
        title="Protokoll Rönnbär",
        paragraphs=[builders.paragraph(1, "Lägesbild")],
        attendances=[
            {"person": chair, "kind": "beslutande", "function": "ordforande"},
            {"person": adjuster, "kind": "beslutande", "function": "justerare"},
        ],
    )
    page.save_revision(user=builders.user("redaktor"))
    page.get_workflow().start(page, builders.user("redaktor"))
    page.refresh_from_db()
    return page


def test_a_reviewer_has_the_review_first_with_its_action_one_click_away(in_workflow, client_for):
    html = client_for("granskare").get("/").content.decode()
    tasks = _section(html, "tasks-heading")
    assert "Väntar på din granskning" in tasks and "Protokoll Rönnbär" in tasks
    assert f'href="/admin/pages/{in_workflow.pk}/edit/"' in tasks
    # Tasks come before everything else on the page.
    assert html.index("tasks-heading") < html.index("upcoming-heading") < html.index("sections-heading")


def test_a_justerare_finds_the_record_waiting_for_her_signature(in_workflow, client):
    state = in_workflow.current_workflow_task_state.specific
    state.task.specific.on_action(state, builders.user("granskare"), "approve", comment="")
    client.force_login(builders.user("justerare-start"))
    tasks = _section(client.get("/").content.decode(), "tasks-heading")
    assert "Protokoll som väntar på din justering" in tasks and "Protokoll Rönnbär" in tasks
    assert f'href="/admin/protokoll/{in_workflow.pk}/justering/"' in tasks
    # Once she has signed, it is no longer hers to do (the chair's signature is still missing).
    in_workflow.refresh_from_db()
    state = in_workflow.current_workflow_task_state.specific
    state.task.specific.on_action(state, builders.user("justerare-start"), "approve", comment="")
    assert "Protokoll Rönnbär" not in client.get("/").content.decode()


def test_an_editor_has_the_follow_up_of_her_area_with_edit_links(demo, client_for):
    forum = builders.forum("mjolby", "efterslapande", "Eftersläpande rådet")
    record = builders.record(forum, "ojusterat", date=TODAY - datetime.timedelta(days=40), title="Protokoll Hjortron")
    html = client_for("redaktor").get("/").content.decode()
    tasks = _section(html, "tasks-heading")
    assert "Protokoll som inte justerats inom två veckor" in tasks
    assert f'href="/admin/pages/{record.pk}/edit/"' in tasks and "Protokoll Hjortron" in tasks
    assert 'href="/admin/uppfoljning/"' in tasks
    # An employee has no follow-up, and does not learn of the closed record.
    assert "Hjortron" not in client_for("medarbetare").get("/").content.decode()


# Queries of the start page, measured on the demo: an employee 25 (19 with her lists cached), a member who also
# signs a record 61, an editor 67 (the follow-up rules). The bounds leave room for the frame to grow a little
# without letting a query per listed page slip in. The header's branding and main menu add 3 to a cold visit (the
# Branding row, the municipalities and their restrictions); warm, the menu comes from the cache (measured
# 2026-12-04: an employee's warm visit 19 before the header, 22 with it, 20 with the menu cached).
EMPLOYEE_COLD, EMPLOYEE_WARM, MEMBER, EDITOR = 35, 25, 83, 88


def test_the_start_page_reads_a_bounded_number_of_queries(fresh, client_for, django_assert_max_num_queries):
    client = client_for("medarbetare")
    with django_assert_max_num_queries(EMPLOYEE_COLD):
        assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert "Startsidesrådet Blåklint" in client.get("/").content.decode()
    assert len(warm) <= EMPLOYEE_WARM
    # Her lists are the same for every employee: the second visit draws them from the cache, reading no record.
    assert not [q for q in warm.captured_queries if "safety_pages_meetingrecordpage" in q["sql"]]
    with django_assert_max_num_queries(MEMBER):
        assert client_for("ledamot").get("/").status_code == 200
    with django_assert_max_num_queries(EDITOR):
        assert client_for("redaktor").get("/").status_code == 200
