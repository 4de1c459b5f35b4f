"""*Importera protokoll* in the admin (meetings/minutes_import.py): upload → review beside the text → Skapa utkast;
corrections reach the draft; a second import warns; bad files are refused with a Swedish reason; only those who may
add a record under the forum get in."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import querydict_from_html

from safety_pages.meetings.minutes_import import SESSION_KEY
from safety_pages.models import MeetingRecordPage
from tests import builders
from tests.safety_pages.meetings.importer.command import SEED_004, run

pytestmark = pytest.mark.django_db


def _urls(forum):
    return (
        reverse("safety_pages_import_minutes", args=[forum.pk]),
        reverse("safety_pages_import_minutes_review", args=[forum.pk]),
    )


def _upload(client, forum, name="protokoll.txt", data=None):
    upload_url, _review = _urls(forum)
    data = SEED_004.read_bytes() if data is None else data
    return client.post(upload_url, {"file": SimpleUploadedFile(name, data)})


def _review_form(client, forum):
    response = client.get(_urls(forum)[1])
    assert response.status_code == 200
    return response, querydict_from_html(response.content.decode(), form_id="minutes-import-form")


@pytest.fixture
def editor(client, demo):
    client.force_login(builders.user("redaktor"))
    return client


def test_the_secretary_uploads_corrects_and_creates_the_draft(editor, forum):
    upload_url, review_url = _urls(forum)
    page = editor.get(upload_url)
    assert page.status_code == 200 and "Importera protokoll: Importforum" in page.content.decode()

    response = _upload(editor, forum)
    assert response.status_code == 302 and response["Location"] == review_url
    review, data = _review_form(editor, forum)
    html = review.content.decode()
    # The source text on the left, what was read in the form on the right.
    assert "Framtida samverkansformer med Polismyndigheten" in html
    assert "KS/2017:215" in html
    assert (
        "Organ enligt protokollet: Kommunstyrelsens trygghets- och säkerhetsutskott. Utkastet skapas under Importforum."
        in html
    )
    assert data["paragraphs-0-number"] == "35"
    assert data["paragraphs-0-title"] == "Framtida samverkansformer med Polismyndigheten"

    data["paragraphs-0-title"] = "Samverkan med polisen (rättad)"
    data["meeting_date"] = "2017-06-08"
    data["place"] = "Stadshuset, sal Ödeshög"
    data["starts_at"] = "13:00"
    data["attendance-0-name"] = "Anna Andersson"
    data["attendance-0-kind"] = "beslutande"
    data["attendance-0-function"] = "ordforande"
    data["adjusters"] = "Bo Berg"
    data["kept_at"] = "Kommunledningskontoret"
    response = editor.post(review_url, data)
    record = MeetingRecordPage.objects.child_of(forum).get()
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[record.pk])
    assert not record.live
    assert record.title == "Importforum 2017-06-08"
    assert (record.place, record.starts_at, record.kept_at) == (
        "Stadshuset, sal Ödeshög",
        datetime.time(13, 0),
        "Kommunledningskontoret",
    )
    paragraph = record.paragraphs.get()
    assert (paragraph.number, paragraph.title, paragraph.case.number) == (
        35,
        "Samverkan med polisen (rättad)",
        "KS/2017:215",
    )
    # What the form does not show is kept as read: the summary and the beslutsunderlag.
    assert "Mjölby kommun värderar samarbetet med Polisen högt" in paragraph.summary
    assert "Missiv om framtida samverkansformer" in paragraph.basis[0].value["label"]
    assert [(a.name, a.kind, a.function) for a in record.attendances.all()] == [
        ("Anna Andersson", "beslutande", "ordforande"),
        ("Bo Berg", "beslutande", "justerare"),
    ]
    assert record.import_digest
    assert SESSION_KEY not in editor.session
    edit = editor.get(response["Location"], follow=True).content.decode()
    assert "Utkastet ”Importforum 2017-06-08” är skapat" in edit


def test_a_second_import_of_the_same_file_warns_and_links_the_first(editor, forum):
    _upload(editor, forum)
    _response, data = _review_form(editor, forum)
    editor.post(_urls(forum)[1], data)
    first = MeetingRecordPage.objects.child_of(forum).get()

    _upload(editor, forum, name="samma-fil-annat-namn.txt")
    review, data = _review_form(editor, forum)
    html = review.content.decode()
    assert "Protokollet kan redan vara importerat" in html
    assert reverse("wagtailadmin_pages:edit", args=[first.pk]) in html
    assert f"är redan importerad som ”{first.title}”" in html

    refused = editor.post(_urls(forum)[1], data)
    assert refused.status_code == 400
    assert "Kryssa i ”Importera ändå”" in refused.content.decode()
    assert MeetingRecordPage.objects.child_of(forum).count() == 1

    data["import_anyway"] = "on"
    assert editor.post(_urls(forum)[1], data).status_code == 302
    assert MeetingRecordPage.objects.child_of(forum).count() == 2


def test_a_record_of_the_same_forum_and_date_warns(editor, forum):
    existing = builders.record(forum, date=datetime.date(2017, 6, 8), publish=False)
    _upload(editor, forum)
    _response, data = _review_form(editor, forum)
    data["meeting_date"] = "2017-06-08"
    refused = editor.post(_urls(forum)[1], data)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f"forumet har redan protokollet ”{existing.title}” från samma sammanträdesdatum" in html
    assert reverse("wagtailadmin_pages:edit", args=[existing.pk]) in html


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("protokoll.exe", b"MZ", "filtypen .exe stöds inte"),
        ("protokoll.txt", b"", "Filen är tom."),
        ("protokoll.txt", b"\x00\x01binary", "filen är binär, inte text"),
        ("protokoll.pdf", b"%PDF-1.4 trasig", "filen kan inte läsas som PDF"),
        ("protokoll.docx", b"PK inte en zip", "kan inte läsas som Word-dokument"),
        ("protokoll.txt", b"Bara en rad utan paragrafer.", "protokoll.txt kan inte importeras"),
    ],
)
def test_a_bad_file_is_refused_with_a_swedish_reason_and_400(editor, forum, name, data, message):
    response = _upload(editor, forum, name=name, data=data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert SESSION_KEY not in editor.session


def test_no_file_and_bad_corrections_are_400_and_keep_what_was_typed(editor, forum):
    upload_url, review_url = _urls(forum)
    assert "Välj protokollfilen att importera." in editor.post(upload_url, {}).content.decode()
    _upload(editor, forum)
    _response, data = _review_form(editor, forum)
    data["paragraphs-0-case_number"] = "inget nummer"
    data["paragraphs-0-title"] = "Min rättade rubrik"
    data["meeting_date"] = "2017-06-08"
    data["adjusted_on"] = "2017-06-01"  # before the meeting
    response = editor.post(review_url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "”inget nummer” är inget diarienummer som går att läsa" in html
    assert "Protokollet kan inte justeras före sammanträdet." in html
    assert "Min rättade rubrik" in html
    assert not MeetingRecordPage.objects.child_of(forum).exists()


def test_kept_lines_that_no_longer_parse_send_back_to_the_upload_with_the_reason(editor, forum):
    """As after an update of the parser between the steps: the kept lines are read again, and refused."""
    _upload(editor, forum)
    session = editor.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "lines": ["Inga paragrafer här."]}
    session.save()
    response = editor.get(_urls(forum)[1], follow=True)
    assert response.redirect_chain == [(_urls(forum)[0], 302)]
    assert "protokoll.txt kan inte importeras" in response.content.decode()
    assert SESSION_KEY not in editor.session


def test_a_number_used_that_year_is_refused_on_the_paragraph(editor, forum):
    builders.record(forum, date=datetime.date(2017, 2, 1), title="Februarimötet", paragraphs=[builders.paragraph(35)])
    _upload(editor, forum)
    _response, data = _review_form(editor, forum)
    data["meeting_date"] = "2017-06-08"
    response = editor.post(_urls(forum)[1], data)
    assert response.status_code == 400
    error = response.context["paragraph_formset"].forms[0].errors["number"]
    assert error == ["§ 35 är redan använd 2017 i protokollet ”Februarimötet”. Välj ett annat nummer."]
    data["paragraphs-0-number"] = "36"
    assert editor.post(_urls(forum)[1], data).status_code == 302


def test_the_review_without_an_upload_sends_back_to_the_upload(editor, forum):
    upload_url, review_url = _urls(forum)
    response = editor.get(review_url)
    assert response.status_code == 302 and response["Location"] == upload_url


def test_a_review_of_a_file_replaced_in_another_tab_is_refused(editor, forum):
    _upload(editor, forum)
    _response, data = _review_form(editor, forum)
    _upload(editor, forum, data=SEED_004.read_bytes() + b"\nEn rad till.\n")
    response = editor.post(_urls(forum)[1], data)
    assert response.status_code == 400
    assert "Ladda upp den igen" in response.content.decode()
    assert not MeetingRecordPage.objects.child_of(forum).exists()


@pytest.mark.parametrize("username", ["medarbetare", "ledamot"])
def test_those_who_may_not_add_a_record_under_the_forum_get_404_and_no_title(client, forum, username):
    client.force_login(builders.user(username))
    for url in _urls(forum):
        response = client.get(url)
        assert response.status_code in (302, 404)
        assert "Importforum" not in response.content.decode()
    assert _upload(client, forum).status_code in (302, 404)
    assert SESSION_KEY not in client.session


def test_the_button_is_in_the_forums_header_for_editors_only(client, forum, demo):
    client.force_login(builders.user("redaktor"))
    url = reverse("safety_pages_import_minutes", args=[forum.pk])
    assert url in client.get(f"/admin/pages/{forum.pk}/edit/").content.decode()
    assert url in client.get(f"/admin/pages/{forum.pk}/").content.decode()
    client.force_login(builders.user("ledamot"))
    assert url not in client.get(f"/admin/pages/{forum.pk}/edit/").content.decode()


def test_a_record_in_a_forum_the_user_may_not_edit_is_warned_of_without_its_title(client, forum, demo):
    """A secretary of one forum only: the same file imported into another forum is warned of, its title not named."""
    other = builders.forum("mjolby", "annat-forum", "Annat forum")
    run(SEED_004, "--forum", other.pk)
    hidden = MeetingRecordPage.objects.child_of(other).get()
    secretary = builders.user("forumsekreterare")
    secretary.user_permissions.add(Permission.objects.get(codename="access_admin"))
    group = builders.group("Importforumets sekreterare")
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=forum, permission=Permission.objects.get(codename=codename)
        )
    secretary.groups.add(group)
    client.force_login(secretary)
    _upload(client, forum)
    review, _data = _review_form(client, forum)
    html = review.content.decode()
    assert "är redan importerad, till ett protokoll som du inte kan redigera" in html
    assert hidden.title not in html
    assert reverse("wagtailadmin_pages:edit", args=[hidden.pk]) not in html
