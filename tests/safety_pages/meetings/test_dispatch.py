"""Expediering (issue 21, item 5): each decision's recipients are noted as sent to (date, how, by whom) on the
justerat record, and the follow-up lists decisions not expedierade a week after justering."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safety_pages.followup import rules as followup
from safety_pages.models import Dispatch
from tests import builders

pytestmark = pytest.mark.django_db


def _justerat(demo, slug, *, adjusted_on, sent_to=("Socialnämnden", "Polisen i Mjölby")):
    committee = builders.forum(demo.get_children().get(slug="mjolby").specific, "trygghets-och-sakerhetsutskottet")
    day = adjusted_on - datetime.timedelta(days=4)
    return builders.record(
        committee,
        slug,
        date=day,
        adjusted_on=adjusted_on,
        title=f"Expedieringsprov {slug}",
        paragraphs=[
            builders.paragraph(71, "Lägesbild Klövervall", sent_to="\n".join(sent_to)),
            builders.paragraph(72, "Utan mottagare"),
            builders.paragraph(73, "Medel till nattvandring", sent_to="Kultur- och fritidsnämnden"),
        ],
    )


def _url(record):
    return reverse("safety_pages_dispatch", args=[record.pk])


def _keys(record, number):
    paragraph = record.paragraphs.get(number=number)
    return [f"{paragraph.pk}:{n}" for n, _recipient in enumerate(paragraph.recipients)]


def test_the_secretary_notes_recipients_as_expedierade_and_sees_by_whom_and_how(demo, client_for):
    today = timezone.localdate()
    record = _justerat(demo, "expediera", adjusted_on=today - datetime.timedelta(days=2))
    client = client_for("redaktor")

    page = client.get(_url(record)).content.decode()
    assert "Socialnämnden" in page and "Polisen i Mjölby" in page and "Kultur- och fritidsnämnden" in page
    assert "Utan mottagare" not in page  # a decision sent to no one has nothing to expediera
    assert "3 mottagare väntar på expediering" in page

    response = client.post(
        _url(record),
        {"recipients": _keys(record, 71), "dispatched_on": today.isoformat(), "method": "e-post", "note": "Utdrag"},
        follow=True,
    )
    page = response.content.decode()
    assert "2 mottagare noterade som expedierade." in page
    assert f"Expedierat {today.isoformat()} (E-post)" in page
    assert "1 mottagare väntar på expediering" in page
    noted = Dispatch.objects.get(paragraph__record=record, recipient="Socialnämnden")
    assert (noted.dispatched_by.username, noted.note) == ("redaktor", "Utdrag")

    # A note made by mistake is taken back.
    page = client.post(_url(record), {"undo": str(noted.pk)}, follow=True).content.decode()
    assert "Noteringen för Socialnämnden är borttagen." in page
    assert "2 mottagare väntar på expediering" in page


def test_bad_input_gets_a_swedish_message_and_notes_nothing(demo, client_for):
    today = timezone.localdate()
    record = _justerat(demo, "felaktig", adjusted_on=today - datetime.timedelta(days=2))
    client = client_for("redaktor")
    cases = [
        ({"dispatched_on": today.isoformat(), "method": "post"}, "Välj minst en mottagare"),
        (
            {"recipients": _keys(record, 73), "dispatched_on": (today + datetime.timedelta(days=1)).isoformat()},
            "Ett beslut kan inte ha expedierats i framtiden.",
        ),
        (
            {"recipients": _keys(record, 73), "dispatched_on": (today - datetime.timedelta(days=9)).isoformat()},
            "Besluten kan expedieras först när protokollet är justerat",
        ),
        (
            {"recipients": ["999999:0"], "dispatched_on": today.isoformat(), "method": "post"},
            "Välj ett giltigt alternativ",
        ),
        ({"undo": "x' OR 1=1"}, "Noteringen finns inte längre."),
    ]
    for data, message in cases:
        data.setdefault("method", "post")
        response = client.post(_url(record), data, follow=True)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert not Dispatch.objects.filter(paragraph__record=record).exists()


def test_a_record_not_yet_justerat_cannot_be_expedierat(demo, client_for):
    committee = builders.forum(demo.get_children().get(slug="mjolby").specific, "trygghets-och-sakerhetsutskottet")
    record = builders.record(
        committee, "ojusterat", date=timezone.localdate(), paragraphs=[builders.paragraph(5, sent_to="Polisen")]
    )
    client = client_for("redaktor")
    assert "Protokollet är inte justerat." in client.get(_url(record)).content.decode()
    key = f"{record.paragraphs.get().pk}:0"
    client.post(
        _url(record), {"recipients": [key], "dispatched_on": timezone.localdate().isoformat(), "method": "post"}
    )
    assert not Dispatch.objects.exists() or not Dispatch.objects.filter(paragraph__record=record).exists()


def test_only_those_who_may_edit_the_record_open_it_and_others_learn_nothing(demo, client_for):
    record = _justerat(demo, "stangd", adjusted_on=timezone.localdate())
    missing = reverse("safety_pages_dispatch", args=[999999])
    # The employee, a member of the forum and its chair (who justerar with admin login only).
    for username in ("medarbetare", "ledamot", "ordforande"):
        client = client_for(username)
        for url in (_url(record), missing):
            response = client.get(url)
            assert response.status_code in (302, 404), (username, url)
            assert "Expedieringsprov" not in response.content.decode()
    # The record's edit view leads those who keep it to the expediering.
    edit = client_for("redaktor").get(reverse("wagtailadmin_pages:edit", args=[record.pk])).content.decode()
    assert _url(record) in edit


def test_the_follow_up_lists_decisions_not_expedierade_a_week_after_justering(demo, client_for):
    today = timezone.localdate()
    late = _justerat(demo, "sen", adjusted_on=today - datetime.timedelta(days=8))
    _justerat(demo, "farsk", adjusted_on=today - datetime.timedelta(days=3))  # within the week: not yet late
    done = _justerat(demo, "klar", adjusted_on=today - datetime.timedelta(days=10), sent_to=("Polisen",))
    for paragraph in done.paragraphs.all():
        for recipient in paragraph.recipients:
            Dispatch.objects.create(paragraph=paragraph, recipient=recipient, dispatched_on=today)
    request = RequestFactory().get("/admin/")
    request.user = builders.user("redaktor")

    with CaptureQueriesContext(connection) as queries:
        items = followup.decisions_not_dispatched(request, today)
    assert [(item.title, item.detail) for item in items] == [
        (
            late.title,
            f"Justerat {late.adjusted_on.isoformat()}; § 71, § 73: 3 mottagare väntar på expediering",
        )
    ]
    # The reader's groups, the restricted depths, the paragraphs with their records, their notes: not one per record.
    assert len(queries) <= 5
    # On the dashboard the line leads to the expediering view.
    html = client_for("redaktor").get(reverse("safety_pages_followup")).content.decode()
    assert f'href="{_url(late)}"' in html
    assert "Beslut som inte expedierats en vecka efter justering" in html
