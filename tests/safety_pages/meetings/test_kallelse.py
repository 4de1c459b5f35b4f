"""Kallelse: the föredragningslista on the meeting page, and "Skicka kallelse", whose e-mails a worker delivers to a
real SMTP server (tests/safety_pages/meetings/conftest.py), retried when the server is down."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from wagtail.documents import get_document_model
from wagtail.models import GroupPagePermission, PageLogEntry, ReferenceIndex

from safety_pages.access import roles
from safety_pages.editing.workflows import ensure_workflows
from safety_pages.meetings import notices
from safety_pages.meetings.admin import kallelse_button
from safety_pages.models import (
    AgendaItem,
    DeliveryStatus,
    MeetingRecordPage,
    MeetingStatus,
    NoticeDelivery,
    Paragraph,
    Person,
)
from tests import builders
from tests.safety_pages.meetings.conftest import IN_A_WEEK


def send(client, record, capture):
    """Skicka kallelse as the editor does; the tasks are queued when the request's transaction commits."""
    with capture(execute=True):
        return client.post(reverse("safety_pages_kallelse", args=[record.pk]))


@pytest.mark.django_db
def test_the_kallelse_reaches_each_member_and_ersattare_with_time_place_items_and_links(
    smtp_server, admin_client, django_capture_on_commit_callbacks, planned_meeting, run_tasks
):
    record = planned_meeting()

    page = admin_client.get(reverse("safety_pages_kallelse", args=[record.pk]))
    assert "Eva Utan Adress" in page.content.decode() and "saknar e-postadress" in page.content.decode()
    assert "Fredrik" not in page.content.decode()
    response = send(admin_client, record, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    run_tasks()

    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.status == MeetingStatus.NOTICE_SENT and record.live
    assert sorted(address for recipients, _m in smtp_server.messages for address in recipients) == [
        "anna@example.se",
        "bo.konto@example.se",
        "cecilia@example.se",
        "david@example.se",
    ]
    message = smtp_server.to("anna@example.se")[0]
    assert message["Subject"] == f"Kallelse till Trygghetsrådet {record.meeting_date.isoformat()}"
    body = message.get_content()
    assert "kl. 13.00–15.00" in body and "Stadshuset, sal Ödeshög" in body
    assert "1. Lägesbild från polisen (Dnr KS/2026:41)" in body and "2. Handlingsplan 2027" in body
    assert f"http://localhost{record.url}" in body
    assert "/forhinder/" in body
    # Links only: no beslutsförslag, no handlingar in the e-mail.
    assert "BESLUTSFORSLAGTEXT" not in body
    deliveries = NoticeDelivery.objects.filter(record=record)
    assert {(d.status, d.attempts) for d in deliveries} == {(DeliveryStatus.SENT, 1)}


@pytest.mark.django_db
def test_a_mail_server_that_is_down_is_logged_and_the_retry_sends_it_later(
    smtp_server, admin_client, django_capture_on_commit_callbacks, settings, planned_meeting, run_tasks
):
    settings.NOTICE_RETRY_SECONDS = 0  # the retry is due at once, instead of in five minutes
    record = planned_meeting()
    smtp_server.stop()

    send(admin_client, record, django_capture_on_commit_callbacks)
    # One round: each of the four fails once (their retries, due at once, are left for later).
    run_tasks(rounds=1)

    failed = NoticeDelivery.objects.filter(record=record)
    assert {(d.status, d.attempts) for d in failed} == {(DeliveryStatus.RETRYING, 1)}
    assert all("Connection refused" in d.error or "Errno" in d.error for d in failed)
    admin_view = admin_client.get(reverse("safety_pages_kallelse", args=[record.pk])).content.decode()
    assert "misslyckades, försöker igen" in admin_view

    smtp_server.start()
    run_tasks()

    assert {(d.status, d.attempts) for d in NoticeDelivery.objects.filter(record=record)} == {(DeliveryStatus.SENT, 2)}
    assert len(smtp_server.messages) == 4


@pytest.mark.django_db
def test_after_the_last_attempt_the_delivery_is_failed_and_not_retried(
    smtp_server, admin_client, django_capture_on_commit_callbacks, settings, planned_meeting, run_tasks
):
    settings.NOTICE_RETRY_SECONDS = 0
    settings.NOTICE_MAX_ATTEMPTS = 2
    record = planned_meeting()
    smtp_server.stop()

    send(admin_client, record, django_capture_on_commit_callbacks)
    run_tasks()

    assert {(d.status, d.attempts) for d in NoticeDelivery.objects.filter(record=record)} == {
        (DeliveryStatus.FAILED, 2)
    }


@pytest.mark.django_db
def test_the_meeting_page_shows_the_foredragningslista_and_keeps_the_old_free_text(
    client, django_user_model, planned_meeting
):
    record = planned_meeting(agenda="<p>Äldre dagordning i fritext.</p>")
    client.force_login(django_user_model.objects.create_superuser("chef", password="x"))

    html = client.get(record.url).content.decode()

    assert "Lägesbild från polisen" in html and "Handlingsplan 2027" in html
    assert "KS/2026:41" in html and "Föredragande: Anna Ordförande" in html
    assert "BESLUTSFORSLAGTEXT" in html
    assert "Äldre dagordning i fritext." in html


@pytest.mark.django_db
def test_a_held_meeting_gets_no_kallelse_and_a_reader_cannot_send_one(admin_client, client, planned_meeting):
    record = planned_meeting()
    record.status = MeetingStatus.HELD
    record.save_revision().publish()

    response = admin_client.post(reverse("safety_pages_kallelse", args=[record.pk]), follow=True)
    assert "Kallelse skickas bara för ett planerat sammanträde." in response.content.decode()
    assert not NoticeDelivery.objects.exists()

    reader = builders.user("bo")
    reader.is_staff = True
    reader.save()
    client.force_login(reader)
    assert client.post(reverse("safety_pages_kallelse", args=[record.pk])).status_code in (302, 403)
    assert not NoticeDelivery.objects.exists()


def _queries_of_page(client, url):
    cache.clear()  # a miss each time: the body is drawn from the rows
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_foredragningslista_and_the_expected_attendance_take_the_same_queries_for_more_items_and_absences(
    client, django_user_model, planned_meeting
):
    record = planned_meeting()
    client.force_login(django_user_model.objects.create_superuser("sekreterare", password="x"))
    few = _queries_of_page(client, record.url)

    latest = record.get_latest_revision_as_object()
    for number in range(6):
        latest.agenda_items.add(
            AgendaItem(title=f"Punkt {number}", case=builders.case(f"KS/2026:{50 + number}", section_slug="exempel"))
        )
    latest.save_revision().publish()
    for name in ("Bo Ledamot", "Eva Utan Adress"):
        notices.report_absence(record, Person.objects.get(name=name))
    many = _queries_of_page(client, record.url)

    assert "Punkt 5" in client.get(record.url).content.decode()
    assert many == few, f"{few} queries with two items, {many} with eight and two förhinder"


@pytest.mark.django_db
def test_wagtails_own_tasks_run_at_once_only_the_kallelse_waits_for_the_worker(org, planned_meeting):
    """Wagtail queues its reference index on the default backend: a document linked from a page is known as used
    by it in the saving request (visibility reads that to guard the file), not when a worker comes by."""
    record = planned_meeting()
    document = get_document_model().objects.create(title="Missiv", file=ContentFile(b"%PDF-1.4", name="missiv.pdf"))
    latest = record.get_latest_revision_as_object()
    latest.agenda_items.add(
        AgendaItem(title="Med handling", papers=[("document", {"label": "Missiv", "document": document})])
    )
    latest.save_revision().publish()

    assert ReferenceIndex.get_references_to(document).exists()
    assert not DBTaskResult.objects.exclude(backend_name=notices.NOTICE_BACKEND).exists()


@pytest.mark.django_db
def test_the_editor_finds_the_button_and_sending_again_reaches_only_who_was_added(
    smtp_server, admin_client, django_capture_on_commit_callbacks, planned_meeting, run_tasks
):
    record = planned_meeting()
    edit_page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[record.pk])).content.decode()
    assert reverse("safety_pages_kallelse", args=[record.pk]) in edit_page and "Skicka kallelse" in edit_page

    send(admin_client, record, django_capture_on_commit_callbacks)
    run_tasks()
    builders.seat(record.forum, builders.person("Gun Nyvald", email="gun@example.se"))
    send(admin_client, record, django_capture_on_commit_callbacks)
    run_tasks()

    assert len(smtp_server.messages) == 5
    assert len(smtp_server.to("gun@example.se")) == 1 and len(smtp_server.to("anna@example.se")) == 1


# --- the secretary who is a redaktör -------------------------------------------------------------


def _secretary(org, name="sekreterare"):
    """A redaktör of the site (setup_roles' groups on the start page): she edits but does not publish."""
    roles.ensure_groups(org.get_parent().get_parent())
    return builders.user(name, roles.EDITORS)


@pytest.mark.django_db
def test_a_redaktor_sends_the_kallelse_herself_and_the_history_names_her(
    smtp_server, client, org, django_capture_on_commit_callbacks, planned_meeting, run_tasks
):
    record = planned_meeting(publish=False)
    secretary = _secretary(org)
    assert not record.permissions_for_user(secretary).can_publish()
    client.force_login(secretary)

    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[record.pk])).content.decode()
    assert reverse("safety_pages_kallelse", args=[record.pk]) in edit_page and "Skicka kallelse" in edit_page
    response = send(client, record, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    run_tasks()

    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.live and record.status == MeetingStatus.NOTICE_SENT
    assert len(smtp_server.messages) == 4 and smtp_server.to("anna@example.se")
    sent = PageLogEntry.objects.get(page=record, action=notices.SEND_ACTION)
    assert sent.user == secretary and sent.data == {"recipients": 4}
    assert PageLogEntry.objects.get(page=record, action="wagtail.publish").user == secretary
    history = client.get(reverse("wagtailadmin_pages:history", args=[record.pk])).content.decode()
    assert "Skickade kallelsen" in history


@pytest.mark.django_db
def test_a_redaktor_without_edit_rights_on_the_meetings_area_gets_403_and_no_button(
    client, org, django_capture_on_commit_callbacks, planned_meeting
):
    record = planned_meeting()
    other_forum = builders.forum(org, "annat-forum", "Annat forum")
    group = builders.group("Redaktörer för annat forum")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="send_kallelse")
    )
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=other_forum, permission=Permission.objects.get(codename=codename)
        )
    outsider = builders.user("annan-sekreterare", group.name)
    client.force_login(outsider)

    # Wagtail's admin answers a PermissionDenied (403) by returning to the dashboard with its message.
    refused = client.get(reverse("safety_pages_kallelse", args=[record.pk]), follow=True)
    assert refused.redirect_chain == [("/admin/", 302)]
    assert "du saknar rättigheter" in refused.content.decode()
    assert send(client, record, django_capture_on_commit_callbacks).url == "/admin/"
    assert not NoticeDelivery.objects.exists()
    assert MeetingRecordPage.objects.get(pk=record.pk).status == MeetingStatus.PLANNED
    assert not list(kallelse_button(record, outsider, "edit"))


@pytest.mark.django_db
def test_a_redaktor_cannot_publish_a_held_record_or_minutes_by_sending_a_kallelse(
    client, org, django_capture_on_commit_callbacks, planned_meeting
):
    secretary = _secretary(org)
    client.force_login(secretary)
    minutes_message = "Sammanträdet har redan protokoll"

    # A draft set to held, with a paragraph: the record goes through Granskning, not through the kallelse.
    held = planned_meeting(publish=False)
    latest = held.get_latest_revision_as_object()
    latest.status = MeetingStatus.HELD
    latest.paragraphs.add(Paragraph(number=1, title="Smugglad paragraf", decision="<p>Beslut.</p>"))
    latest.save_revision(user=secretary)
    page = send(client, held, django_capture_on_commit_callbacks)
    assert page.status_code == 302
    shown = client.get(page.url).content.decode()
    assert "Kallelse skickas bara för ett planerat sammanträde." in shown and minutes_message in shown

    # Still called planned, but carrying a paragraph: refused too.
    latest.status = MeetingStatus.PLANNED
    latest.save_revision(user=secretary)
    send(client, held, django_capture_on_commit_callbacks)
    held = MeetingRecordPage.objects.get(pk=held.pk)
    assert not held.live and not NoticeDelivery.objects.exists()
    assert not PageLogEntry.objects.filter(page=held, action__in=["wagtail.publish", notices.SEND_ACTION]).exists()
    assert minutes_message in client.get(reverse("safety_pages_kallelse", args=[held.pk])).content.decode()


@pytest.mark.django_db
def test_a_published_record_is_not_overwritten_by_a_kallelse_drafted_over_it(
    client, org, django_capture_on_commit_callbacks
):
    secretary = _secretary(org)
    forum = builders.forum(org, "trygghetsradet", "Trygghetsrådet")
    record = builders.record(
        forum, date=IN_A_WEEK, status=MeetingStatus.HELD, paragraphs=[builders.paragraph(1, "Publicerad paragraf")]
    )
    # The redaktör's draft turns the record back into a planned meeting without minutes.
    latest = record.get_latest_revision_as_object()
    latest.status = MeetingStatus.PLANNED
    latest.paragraphs.clear()
    latest.save_revision(user=secretary)
    client.force_login(secretary)

    send(client, record, django_capture_on_commit_callbacks)

    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.status == MeetingStatus.HELD and [p.title for p in record.paragraphs.all()] == ["Publicerad paragraf"]
    assert not NoticeDelivery.objects.exists()


@pytest.mark.django_db
def test_a_meeting_locked_or_in_granskning_is_not_sent_by_a_redaktor(
    client, org, django_capture_on_commit_callbacks, planned_meeting
):
    secretary = _secretary(org)
    ensure_workflows(org.get_parent().get_parent())
    locked_message = "Sammanträdet är låst för dig"
    client.force_login(secretary)

    in_review = planned_meeting(publish=False)
    in_review.get_workflow().start(in_review, builders.user("en-annan-redaktor", roles.EDITORS))
    send(client, in_review, django_capture_on_commit_callbacks)
    assert locked_message in client.get(reverse("safety_pages_kallelse", args=[in_review.pk])).content.decode()

    locked = MeetingRecordPage.objects.get(pk=in_review.pk)
    locked.current_workflow_state.cancel(user=secretary)
    locked.locked, locked.locked_by = True, builders.user("granskare", roles.REVIEWERS)
    locked.save()
    send(client, locked, django_capture_on_commit_callbacks)
    assert locked_message in client.get(reverse("safety_pages_kallelse", args=[locked.pk])).content.decode()
    assert not MeetingRecordPage.objects.get(pk=locked.pk).live and not NoticeDelivery.objects.exists()
