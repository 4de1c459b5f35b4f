"""The personal-data check in the admin (issue 20, item 4): a record with a personnummer cannot be sent to
Granskning nor published; the editor sees the finding with its place, acknowledges it with a reason (a log
entry), and then the record goes on. Findings in attached files name the file."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry
from wagtail.test.utils.form_data import querydict_from_html, rich_text

from safety_pages.access import roles
from safety_pages.editing.workflows import ensure_workflows
from safety_pages.models import MeetingRecordPage, SteeringDocumentAttachment, personal_data_review
from tests import builders

pytestmark = pytest.mark.django_db

PNR = "811218-9876"


@pytest.fixture
def forum(org):
    ensure_workflows(Page.objects.get(slug="start"))
    return builders.forum(org, "granskningsforum", "Granskningsforumet")


def _record(forum, background, **paragraph_values):
    return builders.record(
        forum,
        "pnr-protokoll",
        date=datetime.date(2026, 11, 2),
        publish=False,
        paragraphs=[builders.paragraph(7, "Anmälan om otrygghet", background=background, **paragraph_values)],
    )


@pytest.fixture
def record(forum):
    return _record(forum, f"<p>Den anmälde, {PNR}, hördes av polisen.</p>")


def _login(client, username, group):
    account = builders.user(username, group)
    client.force_login(account)
    return account


def _post(client, record, action, **changes):
    _response, data = builders.edit_form(client, record)
    data.update(changes)
    data[action] = "1"
    return client.post(f"/admin/pages/{record.pk}/edit/", data, follow=True)


def _fresh(record):
    return MeetingRecordPage.objects.get(pk=record.pk)


def _findings_url(record):
    return reverse(personal_data_review.FINDINGS_URL_NAME, args=[record.pk])


def test_a_personnummer_stops_granskning_and_the_draft_is_kept(record, client):
    _login(client, "redaktor", roles.EDITORS)
    response = _post(client, record, "action-submit", **{"paragraphs-0-title": "Anmälan, reviderad"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sidan skickades inte vidare" in page and "1 fynd av personuppgifter" in page
    record = _fresh(record)
    assert record.current_workflow_state is None and not record.live
    # The editor's change is kept as a draft, and the panel on the form says what was found and where.
    assert record.get_latest_revision_as_object().paragraphs.get().title == "Anmälan, reviderad"
    assert "Personnummer: § 7 – bakgrund" in page and PNR in page


def test_a_personnummer_stops_publishing(record, client):
    _login(client, "granskare", roles.REVIEWERS)
    response = _post(client, record, "action-publish")
    assert "Sidan skickades inte vidare" in response.content.decode()
    assert not _fresh(record).live


def test_editing_the_number_away_resolves_the_finding(record, client):
    _login(client, "redaktor", roles.EDITORS)
    response = _post(
        client, record, "action-submit", **{"paragraphs-0-background": rich_text("<p>Den anmälde hördes.</p>")}
    )
    assert "Sidan skickades inte vidare" not in response.content.decode()
    assert _fresh(record).current_workflow_state is not None


def test_acknowledging_with_a_reason_is_logged_and_lets_the_record_through(record, client):
    editor = _login(client, "redaktor", roles.EDITORS)
    page = client.get(_findings_url(record)).content.decode()
    assert "Personnummer" in page and "§ 7 – bakgrund" in page and PNR in page and "Kvittera" in page
    (finding,) = personal_data_review.unresolved(record.get_latest_revision_as_object())

    # No reason, or a finding that is not there: a Swedish message, status 400, nothing logged.
    response = client.post(_findings_url(record), {"fingerprint": finding.fingerprint, "reason": "  "})
    assert response.status_code == 400 and "Skriv varför uppgiften får publiceras." in response.content.decode()
    response = client.post(_findings_url(record), {"fingerprint": "0" * 24, "reason": "Skäl"})
    assert response.status_code == 400 and "Fyndet finns inte längre" in response.content.decode()
    assert not PageLogEntry.objects.filter(page=record, action=personal_data_review.ACKNOWLEDGE_ACTION).exists()

    response = client.post(
        _findings_url(record), {"fingerprint": finding.fingerprint, "reason": "Numret är fiktivt, ur en övning."}
    )
    assert response.status_code == 302
    entry = PageLogEntry.objects.get(page=record, action=personal_data_review.ACKNOWLEDGE_ACTION)
    assert entry.user == editor and entry.data["reason"] == "Numret är fiktivt, ur en övning."
    assert entry.data["fingerprint"] == finding.fingerprint and "9876" not in entry.data["value"]
    page = client.get(_findings_url(record)).content.decode()
    assert "Kvitterad av" in page and "Numret är fiktivt" in page
    # The page's history names the acknowledgement in Swedish.
    assert "Kvitterade ett fynd av personuppgifter" in client.get(f"/admin/pages/{record.pk}/history/").content.decode()

    response = _post(client, record, "action-submit")
    assert "Sidan skickades inte vidare" not in response.content.decode()
    assert _fresh(record).current_workflow_task.name == "Granskning"


def test_the_findings_page_is_for_those_who_may_edit_the_page(record, client):
    client.force_login(builders.user("anstalld"))
    response = client.get(_findings_url(record), follow=True)
    assert PNR not in response.content.decode() and "Kvittera" not in response.content.decode()
    # A page of a type that is not checked: refused (Wagtail's admin answers a refusal with a redirect home).
    _login(client, "redaktor", roles.EDITORS)
    response = client.get(reverse(personal_data_review.FINDINGS_URL_NAME, args=[record.get_parent().pk]))
    assert response.status_code in (302, 403) and "Kvittera" not in response.content.decode()


def test_a_new_record_with_a_personnummer_is_created_as_a_draft_only(forum, client):
    _login(client, "redaktor", roles.EDITORS)
    url = f"/admin/pages/add/safety_pages/meetingrecordpage/{forum.pk}/"
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update(
        {
            "title": "Nytt protokoll",
            "slug": "nytt-protokoll",
            "meeting_date": "2026-11-02",
            "agenda": rich_text(f"<p>Ring anmälaren på 070-123 45 67 eller {PNR}.</p>"),
            "action-submit": "1",
        }
    )
    response = client.post(url, data, follow=True)
    assert "Sidan skickades inte vidare: den innehåller 2 fynd" in response.content.decode()
    created = MeetingRecordPage.objects.get(slug="nytt-protokoll")
    assert created.current_workflow_state is None and not created.live


def _document(title, filename, content):
    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


@pytest.mark.parametrize("kind", ["pdf", "docx", "odt"])
def test_a_finding_in_an_attached_file_names_the_file(forum, client, tmp_path, kind):
    text = f"Kontaktperson Anna Andersson, 070-123 45 67, personnummer {PNR}."
    if kind == "pdf":
        document = _document("Missiv om otrygghet", "missiv.pdf", builders.minutes_pdf([[text]]))
    elif kind == "odt":
        document = _document("Missiv om otrygghet", "missiv.odt", builders.text_odt([("p", text)]))
    else:
        path = builders.minutes_docx(tmp_path / "missiv.docx", [(text, False)])
        document = _document("Missiv om otrygghet", "missiv.docx", path.read_bytes())
    record = _record(
        forum,
        "<p>Inget känsligt här.</p>",
        basis=[{"type": "document", "value": {"label": "Missiv", "document": document.pk}}],
    )
    found = {(f.kind, f.place_label) for f, _ack in personal_data_review.review(record)}
    assert found == {("personnummer", "Bilaga: Missiv om otrygghet"), ("telefon", "Bilaga: Missiv om otrygghet")}

    _login(client, "redaktor", roles.EDITORS)
    page = client.get(_findings_url(record)).content.decode()
    assert "Bilaga: Missiv om otrygghet" in page and PNR in page
    # The decision basis as the browser posts it (StreamFields are drawn by JavaScript, so edit_form has none).
    basis = {
        "paragraphs-0-basis-count": "1",
        "paragraphs-0-basis-0-type": "document",
        "paragraphs-0-basis-0-deleted": "",
        "paragraphs-0-basis-0-order": "0",
        "paragraphs-0-basis-0-id": "",
        "paragraphs-0-basis-0-value-label": "Missiv",
        "paragraphs-0-basis-0-value-document": str(document.pk),
    }
    response = _post(client, record, "action-submit", **basis)
    assert "Sidan skickades inte vidare: den innehåller 2 fynd" in response.content.decode()
    assert _fresh(record).current_workflow_state is None


def test_a_steering_document_and_its_attached_file_are_checked_too(org):
    index = builders.steering_index(org.get_parent())
    document = builders.steering_document(index, "Handlingsplan", summary="<p>Frågor: kalle.karlsson@example.com</p>")
    findings = personal_data_review.unresolved(document)
    assert [(f.kind, f.value) for f in findings] == [("epost", "kalle.karlsson@example.com")]
    # A person in the register may be named with their address.
    builders.person("Kalle Karlsson", email="Kalle.Karlsson@example.com")
    assert personal_data_review.unresolved(document) == []

    attachment = _document(
        "Bilaga till planen", "plan.pdf", builders.minutes_pdf([["Trygghetsvandring, ring 08-123 456 78."]])
    )
    document.attachments = [SteeringDocumentAttachment(document=attachment)]
    document.save_revision()
    draft = document.get_latest_revision_as_object()
    assert [(f.kind, f.place_label) for f in personal_data_review.unresolved(draft)] == [
        ("telefon", "Bilaga: Bilaga till planen")
    ]


def test_a_reviewer_who_adds_a_number_while_approving_is_refused(forum, client):
    clean = _record(forum, "<p>Den anmälde hördes.</p>")
    _login(client, "redaktor", roles.EDITORS)
    _post(client, clean, "action-submit")
    assert _fresh(clean).current_workflow_task.name == "Granskning"

    _login(client, "granskare", roles.REVIEWERS)
    response = _post(
        client,
        clean,
        "action-workflow-action",
        **{"workflow-action-name": "approve", "paragraphs-0-background": rich_text(f"<p>Den anmälde, {PNR}.</p>")},
    )
    assert "Sidan skickades inte vidare" in response.content.decode()
    record = _fresh(clean)
    assert record.current_workflow_task.name == "Granskning" and not record.live
    assert PNR in record.get_latest_revision_as_object().paragraphs.get().background
