"""The text of a justerat record is locked on every path that could change it (issue 20, item 2).

One test per path: the admin form, a revert to an older revision, copying, the admin API, the importer, the
workflow's `save_revision`, moving, and the bulk actions. Each tries to change a justerat record's paragraph
text and checks that it is refused with a Swedish message (never a 500) and that the live text is unchanged;
or, where the path is allowed (a move, an unpublish, a copy), that the text and its lock are kept. A change is
a rättelse, with date, reason and who, on the page and the extract.
"""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError
from wagtail.models import Page
from wagtail.test.utils.form_data import querydict_from_html

from safety_pages.editing.workflows import ensure_workflows
from safety_pages.meetings import corrections
from safety_pages.models import JusteringSignature, MeetingRecordPage
from tests import builders
from tests.safety_pages.meetings.importer.command import run as import_minutes

pytestmark = pytest.mark.django_db

SIGNED = "<p>Nämnden beslutar enligt förslaget LÅSTTEXTQZ.</p>"
DRAFT = "<p>Första utkastet UTKASTQZ.</p>"
LOCKED_MESSAGE = "Protokollet är justerat och texten är låst."


@pytest.fixture
def forum(demo):
    ensure_workflows(demo)
    return builders.forum("mjolby", "lastutskottet", "Låsutskottet")


@pytest.fixture
def record(forum):
    """A record justerat as people do it: a first draft, the text as signed, Granskning, both signatures."""
    page = builders.record(
        forum,
        "lasta-protokollet",
        date=datetime.date.today() - datetime.timedelta(days=3),
        publish=False,
        paragraphs=[builders.paragraph(1, "Lägesbild", decision=DRAFT)],
        attendances=builders.signers("las"),
    )
    draft = page.get_latest_revision_as_object()
    paragraph = draft.paragraphs.all()[0]
    paragraph.decision = SIGNED
    draft.paragraphs = [paragraph]
    draft.save_revision(user=builders.user("redaktor"))
    page = builders.justera(page)
    assert page.live and page.adjusted_on is not None and page.text_locked()
    return page


def _live_decision(page):
    return MeetingRecordPage.objects.get(pk=page.pk).paragraphs.get().decision


def _assert_unchanged(page):
    fresh = MeetingRecordPage.objects.get(pk=page.pk)
    assert fresh.paragraphs.get().decision == SIGNED
    assert fresh.adjusted_on == page.adjusted_on
    assert fresh.get_latest_revision_as_object().paragraphs.all()[0].decision == SIGNED
    assert fresh.text_locked()


def _messages(response):
    return " ".join(str(m) for m in response.wsgi_request._messages)


def test_admin_edit_form_refuses_a_change_to_a_paragraph(record, client_for):
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    data["paragraphs-0-decision"] = builders.rich_text("<p>Ändrat beslut i smyg.</p>")
    response = builders.publish(client, record, data)
    assert response.status_code == 200
    assert LOCKED_MESSAGE in response.content.decode()
    _assert_unchanged(record)


def test_admin_edit_form_refuses_a_change_to_the_records_title(record, client_for):
    # The title is part of the signed text: before, the form let it through.
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    data["title"] = "Ett annat sammanträde"
    response = builders.publish(client, record, data)
    assert response.status_code == 200
    assert LOCKED_MESSAGE in response.content.decode()
    assert MeetingRecordPage.objects.get(pk=record.pk).title == record.title


def test_reverting_to_a_revision_before_justering_is_refused(record, client_for):
    client = client_for("granskare")
    first = record.revisions.order_by("created_at").first()
    url = f"/admin/pages/{record.pk}/revisions/{first.pk}/revert/"
    response = client.get(url)
    assert response.status_code == 200
    assert "det kan inte återställas till en tidigare version" in response.content.decode()
    # The form as Wagtail draws it holds the old text; posting it would publish that text, not justerat.
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data.setdefault("paragraphs-0-basis-count", "0")
    data.setdefault("paragraphs-0-motions-count", "0")
    assert "UTKASTQZ" in data["paragraphs-0-decision"]
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{record.pk}/edit/"
    assert "det kan inte återställas till en tidigare version" in _messages(response)
    _assert_unchanged(record)
    html = client_for("medarbetare").get(record.url).content.decode()
    assert "LÅSTTEXTQZ" in html and "UTKASTQZ" not in html


def test_an_old_revision_saved_again_by_code_is_refused(record):
    first = record.revisions.order_by("created_at").first().as_object()
    with pytest.raises(ValidationError, match="Justeringsdatumet sätts av justeringen"):
        first.save_revision()
    _assert_unchanged(record)


def test_a_copy_is_a_new_draft_that_is_not_justerat_and_can_be_edited(record, forum, client_for):
    client = client_for("granskare")
    response = client.post(
        f"/admin/pages/{record.pk}/copy/",
        {"new_title": "Kopia av protokollet", "new_slug": "kopia-av-protokollet", "new_parent_page": forum.pk},
    )
    assert response.status_code == 302
    copy = MeetingRecordPage.objects.get(slug="kopia-av-protokollet")
    assert not copy.live and copy.adjusted_on is None and copy.posted_on is None
    assert not copy.get_latest_revision_as_object().adjusted_on
    assert not copy.text_locked() and copy.needs_justering()
    assert not JusteringSignature.objects.filter(page_id=copy.pk).exists()
    assert JusteringSignature.objects.filter(page_id=record.pk).count() == 2
    # The copy's text is a draft's: an editor changes it (renumbered: § 1 belongs to the original this year).
    _response, data = builders.edit_form(client, copy)
    data["paragraphs-0-number"] = ""
    data["paragraphs-0-decision"] = builders.rich_text("<p>Nytt beslut i kopian KOPIAQZ.</p>")
    response = client.post(f"/admin/pages/{copy.pk}/edit/", data)
    assert response.status_code == 302, _messages(response)
    copy = MeetingRecordPage.objects.get(pk=copy.pk)
    assert "KOPIAQZ" in copy.get_latest_revision_as_object().paragraphs.all()[0].decision
    _assert_unchanged(record)


def test_the_admin_api_writes_nothing(record, client_for):
    client = client_for("granskare")
    url = f"/admin/api/main/pages/{record.pk}/"
    assert client.get(url).status_code == 200
    body = '{"title": "Ändrat via API"}'
    for method in (client.put, client.patch, client.post, client.delete):
        assert method(url, body, content_type="application/json").status_code == 405
    assert client.post("/api/search/", {"q": "x"}).status_code in (400, 405)
    _assert_unchanged(record)


def test_importing_minutes_onto_the_forum_does_not_touch_the_justerat_record(record, forum, tmp_path):
    # The importer makes a new draft, never edits an existing record: the same meeting date is refused as a
    # duplicate, and even with --force the same numbers as the justerat record are refused in Swedish; nothing is
    # saved either way.
    minutes = Path(tmp_path) / "protokoll.txt"
    minutes.write_text(
        f"Låsutskottet\nSammanträdesdatum {record.meeting_date.isoformat()}\n\n"
        "§ 1 Lägesbild\n\nBeslut\nNämnden beslutar något annat IMPORTQZ.\n",
        encoding="utf-8",
    )
    revisions = record.revisions.count()
    with pytest.raises(CommandError, match="forumet har redan protokollet"):
        import_minutes(minutes, "--forum", forum.pk)
    with pytest.raises(CommandError, match="§ 1 är redan använd"):
        import_minutes(minutes, "--forum", forum.pk, "--force")
    assert record.revisions.count() == revisions
    assert not MeetingRecordPage.objects.filter(paragraphs__decision__contains="IMPORTQZ").exists()
    _assert_unchanged(record)


def test_save_revision_through_the_workflow_is_refused(record, client_for):
    # As the admin's submit for Granskning does, and as code would: the form first, then the model.
    client = client_for("redaktor")
    _response, data = builders.edit_form(client, record)
    data["paragraphs-0-decision"] = builders.rich_text("<p>Ändrat inför ny granskning.</p>")
    data["action-submit"] = "action-submit"
    response = client.post(f"/admin/pages/{record.pk}/edit/", data)
    assert response.status_code == 200 and LOCKED_MESSAGE in response.content.decode()
    assert record.get_workflow().workflow_states.filter(page=record, status="in_progress").count() == 0
    latest = record.get_latest_revision_as_object()
    paragraph = latest.paragraphs.all()[0]
    paragraph.decision = "<p>Ändrat i kod.</p>"
    latest.paragraphs = [paragraph]
    with pytest.raises(ValidationError, match=LOCKED_MESSAGE):
        latest.save_revision(user=builders.user("redaktor"))
    _assert_unchanged(record)


def test_a_rattelse_changes_the_text_with_date_reason_and_who_on_the_page_and_the_extract(record, client_for):
    def change(page):
        page.paragraphs.all()[0].decision = "<p>Nämnden beslutar enligt förslaget RÄTTADQZ.</p>"

    editor = builders.user("granskare")
    editor.first_name, editor.last_name = "Greta", "Granskare"
    editor.save()
    corrections.correct(
        record, description="Beslutet var felskrivet.", reason="Skrivfel RÄTTELSESKÄLQZ.", change=change, user=editor
    )
    fresh = MeetingRecordPage.objects.get(pk=record.pk)
    assert "RÄTTADQZ" in fresh.paragraphs.get().decision and fresh.text_locked()
    assert fresh.adjusted_on == record.adjusted_on
    reader = client_for("medarbetare")
    for url in (fresh.url, fresh.url + "paragraf/1/"):
        html = reader.get(url).content.decode()
        assert "RÄTTADQZ" in html and "RÄTTELSESKÄLQZ" in html and "Greta Granskare" in html, url
    # The rättelse stays: the next change without one is refused again.
    latest = fresh.get_latest_revision_as_object()
    latest.corrections = []
    with pytest.raises(ValidationError, match="En registrerad rättelse kan varken ändras eller tas bort."):
        latest.save_revision()


def test_moving_a_justerat_record_is_allowed_and_keeps_its_text_and_lock(record, client_for):
    # Moving changes where the record lives (its forum), not what was justerat: allowed, and the lock moves along.
    destination = builders.forum("mjolby", "lastutskottet-nytt", "Nya låsutskottet")
    client = client_for("granskare")
    response = client.post(f"/admin/pages/{record.pk}/move/{destination.pk}/confirm/")
    assert response.status_code == 302
    moved = MeetingRecordPage.objects.get(pk=record.pk)
    assert moved.get_parent().pk == destination.pk
    _assert_unchanged(record)
    _response, data = builders.edit_form(client, moved)
    data["paragraphs-0-decision"] = builders.rich_text("<p>Ändrat efter flytten.</p>")
    assert LOCKED_MESSAGE in builders.publish(client, moved, data).content.decode()
    _assert_unchanged(record)


def test_bulk_unpublish_is_allowed_and_keeps_the_text_locked(record, client_for):
    # Unpublishing takes the record off the intranet (e.g. when personal data is found in it) without changing a
    # word: the text stays justerat and locked, and publishing it again shows the same text.
    client = client_for("granskare")
    response = client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={record.pk}", {})
    assert response.status_code == 302
    assert not Page.objects.get(pk=record.pk).live
    _assert_unchanged(record)
    _response, data = builders.edit_form(client, record)
    data["paragraphs-0-decision"] = builders.rich_text("<p>Ändrat medan avpublicerat.</p>")
    assert LOCKED_MESSAGE in builders.publish(client, record, data).content.decode()
    record.get_latest_revision().publish()
    assert "LÅSTTEXTQZ" in client_for("medarbetare").get(record.url).content.decode()


def test_an_editor_cannot_delete_a_justerat_record_nor_the_forum_above_it(record, forum, client_for):
    # A justerat protokoll is an allmän handling: unpublishing is open to editors, deleting is not (an
    # administrator gallrar by the records plan).
    client = client_for("granskare")
    for url in (
        f"/admin/pages/{record.pk}/delete/",
        f"/admin/pages/{forum.pk}/delete/",
        f"/admin/bulk/wagtailcore/page/delete/?id={record.pk}",
    ):
        response = client.post(url, {})
        assert response.status_code == 302, url
        assert "Justerade protokoll är allmänna handlingar och raderas inte härifrån" in _messages(response), url
        _assert_unchanged(record)
    assert Page.objects.filter(pk=forum.pk).exists()


def test_admin_edit_form_refuses_moving_a_paragraph(forum, client_for):
    # The order is part of the text as signed; before, the form let a move through and the model refused it (500).
    record = builders.record(
        forum,
        "ordning",
        date=datetime.date(2026, 3, 3),
        adjusted_on=datetime.date(2026, 3, 6),
        paragraphs=[builders.paragraph(11, "Första"), builders.paragraph(12, "Andra")],
    )
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    data["paragraphs-0-ORDER"], data["paragraphs-1-ORDER"] = "2", "1"
    response = builders.publish(client, record, data)
    assert response.status_code == 200 and LOCKED_MESSAGE in response.content.decode()
    # In the order the page shows them (sort order, then number): a bare `.all()` leaves ties to the database.
    titles = [p.title for p in MeetingRecordPage.objects.get(pk=record.pk).paragraph_list()]
    assert titles == ["Första", "Andra"]
