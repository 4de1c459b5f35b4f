"""Sekretess paragraphs: their text and attachments only for the forum's members and editors, in every channel.

Everyone else who may read the justerade record sees the § number, the title when the editor allows it (else
"Sekretessbelagt ärende") and "Sekretess enligt OSL …". Each test makes its own record with fresh marker words.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from safety_pages.access import roles, secrecy, visibility
from safety_pages.models import MeetingRecordPage
from tests import builders

pytestmark = pytest.mark.django_db

NOTICE = "Sekretess enligt OSL 26 kap. 1 §"


@pytest.fixture
def committee(demo):
    return builders.forum("mjolby", "trygghets-och-sakerhetsutskottet")


def _document(title):
    return Document.objects.create(title=title, file=ContentFile(b"%PDF-1.4\n", name="sekretess.pdf"))


def _record(committee, *, title_shown=False, shared_document=None):
    """A published, justerat record with an open § 201 and a sekretess § 202 (its text, case and attachment
    marked HEMLIGORD), and one document used by both when `shared_document` is given."""
    secret_document = _document("Underlag HEMLIGORDBILAGA")
    basis = [{"type": "document", "value": {"label": "Missiv HEMLIGORDMISSIV", "document": secret_document.pk}}]
    open_basis = []
    if shared_document is not None:
        shared = {"type": "document", "value": {"label": "Gemensam", "document": shared_document.pk}}
        basis.append(shared)
        open_basis.append(shared)
    today = timezone.localdate()
    record = builders.record(
        committee,
        "sekretessprov",
        date=today - datetime.timedelta(days=10),
        title="Protokoll med sekretess",
        adjusted_on=today - datetime.timedelta(days=5),
        paragraphs=[
            builders.paragraph(201, "Öppen paragraf", decision="<p>Öppet beslut ALLAFÅRLÄSA.</p>", basis=open_basis),
            builders.secret_paragraph(
                202,
                "Rubrik HEMLIGORDRUBRIK",
                title_shown=title_shown,
                case=builders.case("KS/2031:202", title="Ärende HEMLIGORDÄRENDE"),
                background="<p>Bakgrund HEMLIGORDTEXT.</p>",
                decision="<p>Beslut HEMLIGORDBESLUT.</p>",
                motions=[{"type": "motion", "value": {"who": "Ida", "party": "X", "motion": "HEMLIGORDYRKANDE"}}],
                reservations="HEMLIGORDRESERVATION",
                basis=basis,
            ),
        ],
    )
    return record, secret_document


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_record_page_shows_others_the_number_and_the_osl_reference_only(committee, client_for):
    record, _document_ = _record(committee)
    # The member's view is drawn (and cached) first: the employee must not be served the member's fragment.
    member = _html(client_for("ledamot"), record.url)
    for word in ("HEMLIGORDRUBRIK", "HEMLIGORDTEXT", "HEMLIGORDBESLUT", "HEMLIGORDYRKANDE", "HEMLIGORDMISSIV"):
        assert word in member
    assert NOTICE in member

    employee = _html(client_for("medarbetare"), record.url)
    assert "HEMLIGORD" not in employee
    assert "KS/2031:202" not in employee  # the case is part of the secret
    assert "§ 202 Sekretessbelagt ärende" in employee
    assert NOTICE in employee
    assert "ALLAFÅRLÄSA" in employee  # the open paragraph is untouched
    # Nor is the member served the employee's sealed fragment.
    assert "HEMLIGORDBESLUT" in _html(client_for("ledamot"), record.url)


def test_the_extract_is_sealed_for_others_and_whole_for_members_and_editors(committee, client_for):
    record, _document_ = _record(committee)
    url = f"{record.url}paragraf/202/"
    for reader in ("ledamot", "redaktor", "granskare"):
        assert "HEMLIGORDBESLUT" in _html(client_for(reader), url), reader
    employee = _html(client_for("medarbetare"), url)
    assert "HEMLIGORD" not in employee
    assert "§ 202 Sekretessbelagt ärende" in employee and NOTICE in employee


def test_the_title_is_shown_when_the_editor_allows_it_but_never_the_text(committee, client_for):
    record, _document_ = _record(committee, title_shown=True)
    employee = _html(client_for("medarbetare"), f"{record.url}paragraf/202/")
    assert "§ 202 Rubrik HEMLIGORDRUBRIK" in employee
    assert NOTICE in employee
    assert "HEMLIGORDBESLUT" not in employee and "HEMLIGORDTEXT" not in employee


def test_the_attachment_of_a_sekretess_paragraph_is_served_to_members_only(committee, client_for):
    shared = _document("Gemensam bilaga")
    _record_, secret_document = _record(committee, shared_document=shared)
    assert client_for("ledamot").get(secret_document.url).status_code == 200
    assert client_for("medarbetare").get(secret_document.url).status_code == 404
    # A document the open paragraph also uses is as open as that paragraph.
    assert client_for("medarbetare").get(shared.url).status_code == 200


def _search(client, words):
    data = client.get("/api/search/", {"q": words}).json()
    return data


@pytest.mark.parametrize("words", ["HEMLIGORDBESLUT", "HEMLIGORDRUBRIK", "HEMLIGORDBILAGA", "KS/2031:202"])
def test_search_finds_the_secret_text_for_members_only(committee, client_for, words):
    _record(committee)
    found = _search(client_for("ledamot"), words)
    assert found["total"] > 0, words
    nothing = _search(client_for("medarbetare"), words)
    assert nothing["total"] == 0 and not nothing["results"], nothing


def test_search_shows_others_the_record_under_the_sealed_title(committee, client_for):
    _record(committee)
    data = _search(client_for("medarbetare"), "Protokoll med sekretess")
    text = repr(data)
    assert "Protokoll med sekretess" in text
    assert "HEMLIGORD" not in text


def test_the_atom_feed_names_the_paragraph_without_its_title(committee, client_for):
    _record(committee)
    url = "/protokoll/mjolby/trygghets-och-sakerhetsutskottet.atom"
    employee = _html(client_for("medarbetare"), url)
    assert "§ 202 Sekretessbelagt ärende" in employee and "HEMLIGORD" not in employee
    assert "§ 202 Rubrik HEMLIGORDRUBRIK" in _html(client_for("ledamot"), url)


def test_the_case_of_a_sekretess_paragraph_is_closed_to_others(committee, client_for):
    record, _document_ = _record(committee)
    case = record.paragraphs.get(number=202).case
    assert "HEMLIGORDÄRENDE" in _html(client_for("ledamot"), case.get_absolute_url())
    response = client_for("medarbetare").get(case.get_absolute_url())
    assert response.status_code == 404
    assert "HEMLIGORD" not in response.content.decode()


def test_one_rule_decides_who_reads_the_secret(committee, django_user_model):
    record, _document_ = _record(committee)
    users = django_user_model.objects
    assert secrecy.may_read_secret(users.get(username="ledamot"), record)
    assert secrecy.may_read_secret(users.get(username="redaktor"), record)
    assert secrecy.may_read_secret(users.get(username="granskare"), record)
    assert secrecy.may_read_secret(users.get(username="admin"), record)
    assert not secrecy.may_read_secret(users.get(username="medarbetare"), record)
    # The reader set search stores with the paragraph's hit says the same.
    principals = record.paragraphs.get(number=202).search_principals()
    assert principals == secrecy.secret_principals(record)
    assert visibility.AUTHENTICATED in record.paragraphs.get(number=201).search_principals()


def test_a_sekretess_paragraph_without_an_osl_reference_is_refused_in_swedish(committee, client_for):
    record = builders.record(committee, "sekretessform", date=datetime.date(2026, 3, 2))
    client = client_for("granskare")
    _response, data = builders.edit_form(client, record)
    builders.add_paragraph_row(data, number="301", title="Hemligt", secret="on")
    response = builders.publish(client, record, data)
    assert response.status_code == 200
    assert "Ange sekretessbestämmelsen i OSL" in response.content.decode()
    assert not MeetingRecordPage.objects.get(pk=record.pk).paragraphs.exists()

    builders.add_paragraph_row(data, number="302", title="Hemligt", secret="on", secrecy_reference="26 kap. 1 § OSL")
    data["paragraphs-0-DELETE"] = "on"
    response = builders.publish(client, record, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    paragraph = MeetingRecordPage.objects.get(pk=record.pk).paragraphs.get()
    assert paragraph.secret and paragraph.secrecy_notice == NOTICE  # "OSL" written twice is said once


def test_a_new_member_finds_the_secret_text_once_the_membership_starts(committee, client_for):
    _record(committee)
    newcomer = builders.user("nysekretessledamot", roles.EMPLOYEES)
    client = client_for("nysekretessledamot")
    assert _search(client, "HEMLIGORDBESLUT")["total"] == 0

    # Saving the membership updates the reader group and reindexes the forum's records (justerade ones included).
    builders.member(committee, newcomer, starts_on=timezone.localdate())
    client = client_for("nysekretessledamot")  # a fresh request, as the member's next visit
    assert _search(client, "HEMLIGORDBESLUT")["total"] > 0
