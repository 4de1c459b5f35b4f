"""Kallelse: the föredragningslista on the meeting page, and "Skicka kallelse", whose e-mails a worker delivers to a
real SMTP server (tests/safety_pages/meetings/conftest.py), retried when the server is down."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from safety_pages.models import DeliveryStatus, MeetingRecordPage, MeetingStatus, NoticeDelivery
from tests import builders

IN_A_WEEK = timezone.localdate() + datetime.timedelta(days=7)


def run_worker(rounds=None):
    """The queued tasks, run in-process by the worker of `manage.py db_worker` (its `run_task`: claim, run, record
    the result) until none is ready, or for `rounds` passes over what is ready at each pass' start. The command's
    loop itself is not used: it closes the database connection between tasks, which would end the test's
    transaction."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    passes = 0
    while rounds is None or passes < rounds:
        ready = list(DBTaskResult.objects.ready().order_by("enqueued_at"))
        if not ready:
            return
        for result in ready:
            result.claim(worker.worker_id)
            worker.run_task(result)
        passes += 1


def send(client, record, capture):
    """Skicka kallelse as the editor does; the tasks are queued when the request's transaction commits."""
    with capture(execute=True):
        return client.post(reverse("safety_pages_kallelse", args=[record.pk]))


def planned_meeting(org, **fields):
    """A forum with a chair, a member known by her account, two ersättare, a member without address and an
    employee outside it, and a planned meeting with two items (one with a beslutsförslag and a handling)."""
    forum = builders.forum(org, "trygghetsradet", "Trygghetsrådet")
    chair = builders.person("Anna Ordförande", email="anna@example.se")
    member = builders.person("Bo Ledamot", user=builders.user("bo"))
    member.user.email = "bo.konto@example.se"
    member.user.save()
    first = builders.person("Cecilia Ersättare", email="cecilia@example.se")
    second = builders.person("David Ersättare", email="david@example.se")
    unreachable = builders.person("Eva Utan Adress")
    builders.person("Fredrik Utanför", email="fredrik@example.se")
    builders.seat(forum, chair, "ordforande")
    builders.seat(forum, member)
    builders.seat(forum, unreachable)
    builders.seat(forum, second, "ersattare", substitute_order=2)
    builders.seat(forum, first, "ersattare", substitute_order=1)
    case = builders.case("KS/2026:41", "Lägesbild", section_slug="exempel")
    record = builders.record(
        forum,
        date=IN_A_WEEK,
        status=MeetingStatus.PLANNED,
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 0),
        place="Stadshuset, sal Ödeshög",
        title="Trygghetsrådet sammanträde",
        agenda_items=[
            builders.agenda_item(
                "Lägesbild från polisen",
                case=case,
                presenter=chair,
                proposal="<p>Rådet noterar BESLUTSFORSLAGTEXT.</p>",
            ),
            builders.agenda_item("Handlingsplan 2027"),
        ],
        **fields,
    )
    return record


@pytest.mark.django_db
def test_the_kallelse_reaches_each_member_and_ersattare_with_time_place_items_and_links(
    org, smtp_server, admin_client, django_capture_on_commit_callbacks
):
    record = planned_meeting(org)

    page = admin_client.get(reverse("safety_pages_kallelse", args=[record.pk]))
    assert "Eva Utan Adress" in page.content.decode() and "saknar e-postadress" in page.content.decode()
    assert "Fredrik" not in page.content.decode()
    response = send(admin_client, record, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    run_worker()

    record = MeetingRecordPage.objects.get(pk=record.pk)
    assert record.status == MeetingStatus.NOTICE_SENT and record.live
    assert sorted(address for recipients, _m in smtp_server.messages for address in recipients) == [
        "anna@example.se",
        "bo.konto@example.se",
        "cecilia@example.se",
        "david@example.se",
    ]
    message = smtp_server.to("anna@example.se")[0]
    assert message["Subject"] == f"Kallelse till Trygghetsrådet {IN_A_WEEK.isoformat()}"
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
    org, smtp_server, admin_client, django_capture_on_commit_callbacks, settings
):
    settings.NOTICE_RETRY_SECONDS = 0  # the retry is due at once, instead of in five minutes
    record = planned_meeting(org)
    smtp_server.stop()

    send(admin_client, record, django_capture_on_commit_callbacks)
    # One round: each of the four fails once (their retries, due at once, are left for later).
    run_worker(rounds=1)

    failed = NoticeDelivery.objects.filter(record=record)
    assert {(d.status, d.attempts) for d in failed} == {(DeliveryStatus.RETRYING, 1)}
    assert all("Connection refused" in d.error or "Errno" in d.error for d in failed)
    admin_view = admin_client.get(reverse("safety_pages_kallelse", args=[record.pk])).content.decode()
    assert "misslyckades, försöker igen" in admin_view

    smtp_server.start()
    run_worker()

    assert {(d.status, d.attempts) for d in NoticeDelivery.objects.filter(record=record)} == {(DeliveryStatus.SENT, 2)}
    assert len(smtp_server.messages) == 4


@pytest.mark.django_db
def test_after_the_last_attempt_the_delivery_is_failed_and_not_retried(
    org, smtp_server, admin_client, django_capture_on_commit_callbacks, settings
):
    settings.NOTICE_RETRY_SECONDS = 0
    settings.NOTICE_MAX_ATTEMPTS = 2
    record = planned_meeting(org)
    smtp_server.stop()

    send(admin_client, record, django_capture_on_commit_callbacks)
    run_worker()

    assert {(d.status, d.attempts) for d in NoticeDelivery.objects.filter(record=record)} == {
        (DeliveryStatus.FAILED, 2)
    }


@pytest.mark.django_db
def test_the_meeting_page_shows_the_foredragningslista_and_keeps_the_old_free_text(org, client, django_user_model):
    record = planned_meeting(org, agenda="<p>Äldre dagordning i fritext.</p>")
    client.force_login(django_user_model.objects.create_superuser("chef", password="x"))

    html = client.get(record.url).content.decode()

    assert "Lägesbild från polisen" in html and "Handlingsplan 2027" in html
    assert "KS/2026:41" in html and "Föredragande: Anna Ordförande" in html
    assert "BESLUTSFORSLAGTEXT" in html
    assert "Äldre dagordning i fritext." in html


@pytest.mark.django_db
def test_a_held_meeting_gets_no_kallelse_and_a_reader_cannot_send_one(org, admin_client, client):
    record = planned_meeting(org)
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
