"""Förhinder: the signed link of the kallelse (one meeting, one person, until the meeting), the confirm button,
the next ersättare called in and mailed, and the expected attendance the secretary sees."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safety_pages.meetings import notices
from safety_pages.models import Absence, CallIn, MeetingStatus, NoticeDelivery, NoticeKind, Person
from tests import builders

pytestmark = pytest.mark.django_db


def link(record, name):
    return reverse("safety_pages:absence", args=[notices.absence_token(record, Person.objects.get(name=name))])


def report(client, url, capture):
    with capture(execute=True):
        return client.post(url)


def test_one_click_without_password_records_the_forhinder_and_calls_in_the_first_ersattare(
    smtp_server, django_capture_on_commit_callbacks, planned_meeting, run_tasks
):
    record = planned_meeting()
    url = link(record, "Anna Ordförande")
    anonymous = Client(enforce_csrf_checks=True)

    page = anonymous.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Trygghetsrådet" in html and "Jag har förhinder" in html
    assert not Absence.objects.exists()  # opening the link records nothing

    csrf = page.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(url, {"csrfmiddlewaretoken": csrf})
    assert "Ditt förhinder är anmält" in response.content.decode()
    run_tasks()

    assert list(Absence.objects.values_list("person__name", flat=True)) == ["Anna Ordförande"]
    called = CallIn.objects.get()
    assert (called.person.name, called.replaces.name) == ("Cecilia Ersättare", "Anna Ordförande")
    message = smtp_server.to("cecilia@example.se")[0]
    assert message["Subject"].startswith("Inkallelse till Trygghetsrådet")
    assert "du kallas in som ersättare" in message.get_content()


def test_the_next_absence_calls_the_next_ersattare_not_one_already_called_or_absent(
    django_capture_on_commit_callbacks, planned_meeting
):
    record = planned_meeting()
    client = Client()
    report(client, link(record, "Anna Ordförande"), django_capture_on_commit_callbacks)
    report(client, link(record, "Anna Ordförande"), django_capture_on_commit_callbacks)  # twice: one förhinder
    # The called-in ersättare falls ill too: the next in order steps in for her.
    report(client, link(record, "Cecilia Ersättare"), django_capture_on_commit_callbacks)
    report(client, link(record, "Bo Ledamot"), django_capture_on_commit_callbacks)

    assert Absence.objects.count() == 3
    assert [(c.person.name, c.replaces.name) for c in CallIn.objects.order_by("called_at", "pk")] == [
        ("Cecilia Ersättare", "Anna Ordförande"),
        ("David Ersättare", "Cecilia Ersättare"),
    ]
    # No ersättare left for Bo; an inkallelse is logged for each called in.
    assert NoticeDelivery.objects.filter(kind=NoticeKind.CALL_IN).count() == 2


def test_a_link_that_does_not_hold_answers_400_in_swedish_without_the_meeting(planned_meeting):
    record = planned_meeting()
    outsider = Person.objects.get(name="Fredrik Utanför")
    tampered = link(record, "Bo Ledamot").replace("/forhinder/", "/forhinder/x")
    cases = {
        "tampered": tampered,
        "not signed": reverse("safety_pages:absence", args=["inte-en-token"]),
        "not a member": reverse("safety_pages:absence", args=[notices.absence_token(record, outsider)]),
    }
    for name, url in cases.items():
        response = Client().get(url)
        html = response.content.decode()
        assert response.status_code == 400, name
        assert "Länken är inte giltig" in html, name
        assert "Trygghetsrådet" not in html and "Stadshuset" not in html, name
    assert not Absence.objects.exists()


def test_the_link_expires_after_the_meeting_and_with_a_cancelled_or_held_meeting(planned_meeting):
    record = planned_meeting()
    url = link(record, "Bo Ledamot")
    record.meeting_date = timezone.localdate() - datetime.timedelta(days=1)
    record.save_revision().publish()
    response = Client().post(url)
    assert response.status_code == 400 and "Länken har gått ut" in response.content.decode()

    record.meeting_date = timezone.localdate() + datetime.timedelta(days=3)
    record.status = MeetingStatus.CANCELLED
    record.save_revision().publish()
    response = Client().get(url)
    assert response.status_code == 400 and "Trygghetsrådet" not in response.content.decode()
    assert not Absence.objects.exists()


def test_a_link_to_a_meeting_the_member_may_no_longer_read_names_nothing(planned_meeting):
    record = planned_meeting()
    url = link(record, "Bo Ledamot")  # Bo has an account
    builders.restrict_to_groups(record, builders.group("Kristeam"))

    response = Client().get(url)

    assert response.status_code == 400 and "Trygghetsrådet" not in response.content.decode()


def test_the_member_reports_from_the_meeting_page_and_the_secretary_sees_the_expected_attendance(
    client, django_capture_on_commit_callbacks, planned_meeting
):
    record = planned_meeting()
    member = Person.objects.get(name="Bo Ledamot").user
    client.force_login(member)
    html = client.get(record.url).content.decode()
    assert "Anmäl förhinder" in html and "Förväntad närvaro" not in html
    button = html.split('class="button" href="')[1].split('"')[0]
    report(client, button, django_capture_on_commit_callbacks)
    assert Absence.objects.get().person.user == member

    client.force_login(builders.user("sekreterare-admin"))  # not a member, not an editor: sees neither
    html = client.get(record.url).content.decode()
    assert "Anmäl förhinder" not in html and "Förväntad närvaro" not in html

    secretary = builders.user("sekreterare")
    secretary.is_superuser = True
    secretary.save()
    client.force_login(secretary)
    html = client.get(record.url).content.decode()
    expected = html.split('id="expected-heading"')[1]
    assert "3 förväntas delta." in expected
    assert "Cecilia Ersättare, inkallad för Bo Ledamot" in expected
    assert "Förhinder" in expected and "Bo Ledamot" in expected
