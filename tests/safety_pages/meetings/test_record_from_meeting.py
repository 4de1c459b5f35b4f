"""Skapa protokoll (issue 21, item 3): the held meeting's record drafted from its föredragningslista, memberships and
förhinder, as a new draft revision, with § numbers continuing the forum's series for the year in meeting order."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model

from safety_pages.meetings import notices
from safety_pages.models import AgendaItem, Attendance, MeetingRecordPage, MeetingStatus, Paragraph, Person
from tests import builders
from tests.safety_pages.meetings.conftest import IN_A_WEEK

pytestmark = pytest.mark.django_db

FIRST_OF_YEAR = datetime.date(IN_A_WEEK.year, 1, 1)
LAST_OF_YEAR = datetime.date(IN_A_WEEK.year, 12, 31)


def _url(record):
    return reverse("safety_pages_create_record", args=[record.pk])


def _report_forhinder(record, name, capture):
    """The member presses *Jag har förhinder* behind the signed link of their kallelse."""
    url = reverse("safety_pages:absence", args=[notices.absence_token(record, Person.objects.get(name=name))])
    with capture(execute=True):
        assert Client().post(url).status_code == 200


def _hold(record, **changes):
    """The secretary notes that the meeting was held (a new revision, as saving the edit form makes)."""
    latest = record.get_latest_revision_as_object()
    latest.status = MeetingStatus.HELD
    for name, value in changes.items():
        setattr(latest, name, value)
    latest.save_revision()
    return MeetingRecordPage.objects.get(pk=record.pk)


def _held_meeting(planned_meeting, capture):
    """The fixture's planned meeting with a third item (a handling, presented by an official outside the forum), Bo's
    förhinder reported by his link (Cecilia is called in), held; and the forum's earlier meeting of the year, §§ 1–4."""
    record = planned_meeting()
    forum = record.forum
    builders.record(
        forum,
        "tidigare",
        date=FIRST_OF_YEAR,
        adjusted_on=FIRST_OF_YEAR,
        paragraphs=[builders.paragraph(number) for number in range(1, 5)],
    )
    _report_forhinder(record, "Bo Ledamot", capture)
    document = get_document_model().objects.create(
        title="Budgetunderlag", file=ContentFile(b"Budgetunderlag", name="budget.txt")
    )
    latest = record.get_latest_revision_as_object()
    latest.agenda_items = list(latest.agenda_items.all()) + [
        AgendaItem(
            title="Budget för trygghetsvandringar",
            presenter=Person.objects.get(name="Fredrik Utanför"),
            proposal="<p>Rådet godkänner budgeten.</p>",
            papers=[{"type": "document", "value": {"label": "Budgetunderlag, 2026-11-20", "document": document.pk}}],
        )
    ]
    latest.save_revision()
    return _hold(record), document


def _attendance(latest):
    return [
        (row.person.name, row.kind, row.function, row.serving_for.name if row.serving_for_id else "", row.description)
        for row in latest.attendances.all()
    ]


def test_skapa_protokoll_fills_paragraphs_attendance_and_title_as_a_draft(
    admin_client, planned_meeting, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    record, document = _held_meeting(planned_meeting, django_capture_on_commit_callbacks)

    # Wagtail's own saving of a revision is most of it (about 50); the fill reads the items, memberships, förhinder,
    # call-ins and the forum's year in a fixed number of queries.
    with django_assert_max_num_queries(85):
        response = admin_client.post(_url(record))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_pages:edit", args=[record.pk])
    page = admin_client.get(response["Location"]).content.decode()
    assert (
        "Protokollet är ifyllt från sammanträdet och sparat som utkast: 3 paragrafer (§ 5–7) och 5 närvarande." in page
    )
    assert "Lägesbild från polisen" in page and "Budgetunderlag, 2026-11-20" in page  # the edit form holds them

    page_row = MeetingRecordPage.objects.get(pk=record.pk)
    latest = page_row.get_latest_revision_as_object()
    # The paragraphs, in the order of the föredragningslista, numbered after the earlier meeting's §§ 1–4.
    assert [(p.number, p.title) for p in latest.paragraphs.all()] == [
        (5, "Lägesbild från polisen"),
        (6, "Handlingsplan 2027"),
        (7, "Budget för trygghetsvandringar"),
    ]
    assert [p.sort_order for p in latest.paragraphs.all()] == [0, 1, 2]  # the edit form's order
    first, second, third = latest.paragraphs.all()
    assert first.case.number == "KS/2026:41"
    assert "BESLUTSFORSLAGTEXT" in first.proposal and second.case_id is None
    assert [(label, doc.pk if doc else None) for label, doc in third.basis_items()] == [
        ("Budgetunderlag, 2026-11-20", document.pk)
    ]
    assert "godkänner budgeten" in third.proposal
    # Present by default; Bo (förhinder) is not, Cecilia serves in his place; each föredragande noted.
    assert _attendance(latest) == [
        ("Anna Ordförande", "beslutande", "ordforande", "", "föredragande § 5"),
        ("Eva Utan Adress", "beslutande", "", "", ""),
        ("Cecilia Ersättare", "tjanstgorande", "", "Bo Ledamot", ""),
        ("David Ersättare", "ersattare", "", "", ""),
        ("Fredrik Utanför", "ovrig", "", "", "föredragande § 7"),
    ]
    assert latest.title == f"Trygghetsrådet {IN_A_WEEK.isoformat()}"
    # A draft: what the forum's readers see has not changed.
    assert page_row.has_unpublished_changes and not page_row.paragraphs.exists()
    assert page_row.title == "Trygghetsrådet sammanträde"


def test_a_second_press_is_refused_and_changes_nothing(
    admin_client, planned_meeting, django_capture_on_commit_callbacks
):
    record, _document = _held_meeting(planned_meeting, django_capture_on_commit_callbacks)
    admin_client.post(_url(record))
    revisions = record.revisions.count()

    page = admin_client.post(_url(record), follow=True).content.decode()
    assert "Protokollet har redan paragrafer och fylls inte i en gång till." in page
    assert record.revisions.count() == revisions
    latest = MeetingRecordPage.objects.get(pk=record.pk).get_latest_revision_as_object()
    assert [p.number for p in latest.paragraphs.all()] == [5, 6, 7]


def test_attendance_already_entered_is_kept(admin_client, planned_meeting):
    record = _hold(
        planned_meeting(),
        attendances=[Attendance(name="Inskriven Närvarande", kind="beslutande", function="ordforande")],
    )
    page = admin_client.post(_url(record), follow=True).content.decode()
    assert "Närvaron var redan ifylld och har inte ändrats." in page
    latest = MeetingRecordPage.objects.get(pk=record.pk).get_latest_revision_as_object()
    assert [a.name for a in latest.attendances.all()] == ["Inskriven Närvarande"]
    assert len(latest.paragraphs.all()) == 2


def test_a_meeting_not_yet_held_is_not_filled(admin_client, planned_meeting):
    record = planned_meeting()
    response = admin_client.post(_url(record), follow=True)
    assert response.status_code == 200
    assert "Protokollet skapas när sammanträdet är genomfört" in response.content.decode()
    assert not record.get_latest_revision_as_object().paragraphs.all()
    # The button is offered only on a held meeting whose record is empty.
    assert _url(record) not in admin_client.get(reverse("wagtailadmin_pages:edit", args=[record.pk])).content.decode()


def test_the_button_is_in_the_header_of_a_held_meeting_until_the_record_is_filled(admin_client, planned_meeting):
    record = _hold(planned_meeting())
    edit = reverse("wagtailadmin_pages:edit", args=[record.pk])
    html = admin_client.get(edit).content.decode()
    assert "Skapa protokoll" in html and f'data-w-action-url-value="{_url(record)}"' in html
    admin_client.post(_url(record))
    assert _url(record) not in admin_client.get(edit).content.decode()


@pytest.mark.parametrize("published", [True, False], ids=["published", "draft"])
def test_a_later_meeting_not_justerat_is_renumbered_after_the_earlier_one_added_later(
    admin_client, planned_meeting, django_capture_on_commit_callbacks, published
):
    record, _document = _held_meeting(planned_meeting, django_capture_on_commit_callbacks)
    # The year's last meeting was written first, so it took §§ 5–6 (creation order); not justerat.
    later = builders.record(
        record.forum,
        "senare",
        date=LAST_OF_YEAR,
        starts_at=datetime.time(23, 59),
        title="Trygghetsrådet senare",
        publish=published,
        paragraphs=[builders.paragraph(5, "Senare första"), builders.paragraph(6, "Senare andra")],
    )

    page = admin_client.post(_url(record), follow=True).content.decode()
    assert "3 paragrafer (§ 5–7)" in page
    assert "”Trygghetsrådet senare” har numrerats om till § 8–9 (var § 5–6)." in page
    # In the order of its paragraphs; published at once when its live page had no other changes, and a draft's
    # stored rows follow it (the form's duplicate check reads them).
    latest = MeetingRecordPage.objects.get(pk=later.pk).get_latest_revision_as_object()
    assert [(p.number, p.title) for p in latest.paragraphs.all()] == [(8, "Senare första"), (9, "Senare andra")]
    assert list(Paragraph.objects.filter(record=later).order_by("sort_order").values_list("number", "title")) == [
        (8, "Senare första"),
        (9, "Senare andra"),
    ]
    assert MeetingRecordPage.objects.get(pk=later.pk).live is published


def test_a_live_record_with_other_unpublished_changes_keeps_its_numbers(
    admin_client, planned_meeting, django_capture_on_commit_callbacks
):
    record, _document = _held_meeting(planned_meeting, django_capture_on_commit_callbacks)
    later = builders.record(
        record.forum,
        "andrat",
        date=LAST_OF_YEAR,
        starts_at=datetime.time(23, 59),
        paragraphs=[builders.paragraph(5), builders.paragraph(6)],
    )
    change = later.get_latest_revision_as_object()
    change.place = "Ny lokal"
    change.save_revision()

    page = admin_client.post(_url(record), follow=True).content.decode()
    assert "3 paragrafer (§ 7–9)" in page
    assert "inte numreras om" in page
    assert sorted(Paragraph.objects.filter(record=later).values_list("number", flat=True)) == [5, 6]


def test_a_justerat_protokoll_keeps_its_numbers_and_the_new_paragraphs_follow_the_years_last(
    admin_client, planned_meeting, django_capture_on_commit_callbacks
):
    record, _document = _held_meeting(planned_meeting, django_capture_on_commit_callbacks)
    later = builders.record(
        record.forum,
        "justerat",
        date=LAST_OF_YEAR,
        starts_at=datetime.time(23, 59),
        adjusted_on=LAST_OF_YEAR,
        paragraphs=[builders.paragraph(5), builders.paragraph(6)],
    )
    revisions = later.revisions.count()

    page = admin_client.post(_url(record), follow=True).content.decode()
    assert "3 paragrafer (§ 7–9)" in page
    assert "paragraferna fick nummer efter årets sista (§ 6)" in page
    assert later.revisions.count() == revisions
    assert sorted(Paragraph.objects.filter(record=later).values_list("number", flat=True)) == [5, 6]


def test_who_may_not_edit_the_meeting_gets_404_and_no_title(client, employee, planned_meeting, admin_client):
    record = _hold(planned_meeting(), title="Trygghetsrådet HEMLIGRUBRIK")
    member = builders.user("bo")  # a member of the forum, who reads the meeting but does not edit it
    for user in (member, employee):
        client.force_login(user)
        for url in (_url(record), reverse("safety_pages_create_record", args=[999999])):
            response = client.post(url)
            assert response.status_code in (302, 403, 404), (user, url)
            assert "HEMLIGRUBRIK" not in response.content.decode()
    assert not record.get_latest_revision_as_object().paragraphs.all()
    # Only a POST fills the record: a link followed by mistake does nothing.
    assert admin_client.get(_url(record)).status_code == 405


def test_the_fill_takes_the_same_queries_for_one_item_as_for_five(org, admin_client):
    """Per item and per member nothing is read on its own: the items with their cases, föredragande and handlingar,
    the memberships, förhinder and call-ins, and the forum's year are each one read."""
    document = get_document_model().objects.create(title="Underlag", file=ContentFile(b"Underlag", name="u.txt"))

    def queries_for(slug, items):
        forum = builders.forum(org, slug)
        for n in range(items):
            builders.seat(forum, builders.person(f"Ledamot {slug} {n}"))
        record = builders.record(
            forum,
            date=FIRST_OF_YEAR,
            agenda_items=[
                builders.agenda_item(
                    f"Punkt {n}",
                    sort_order=n,
                    case=builders.case(f"KS/2026:{len(slug)}{n}", section_slug="exempel"),
                    presenter=builders.person(f"Föredragande {slug} {n}"),
                    papers=[{"type": "document", "value": {"label": f"Handling {n}", "document": document.pk}}],
                )
                for n in range(items)
            ],
        )
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.post(_url(record)).status_code == 302
        assert (
            len(MeetingRecordPage.objects.get(pk=record.pk).get_latest_revision_as_object().paragraphs.all()) == items
        )
        return len(queries)

    assert queries_for("ett", 1) == queries_for("femma", 5)
