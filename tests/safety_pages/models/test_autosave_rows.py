"""A *Spara utkast* sent while Wagtail's autosave is in flight, on a meeting (or forum) never published.

Wagtail 8 autosaves the edit form in the background (a POST of the whole form asking for JSON, `w-autosave` in
wagtailadmin/js/core.js); on a page never published the save writes the new inline rows to the database, and the
answer carries their ids (`field_updates`), which the open form then fills in. A save sent before that answer has
come back posts the same new rows without ids: the two POSTs below, in that order, are that race.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import rich_text

from safety_pages.models import AgendaItem, MeetingRecordPage, MeetingStatus, Membership, Paragraph
from tests import builders

ITEMS = ("Lägesbild från polisen", "Handlingsplan 2027")
IN_A_WEEK = timezone.localdate() + datetime.timedelta(days=7)


@pytest.fixture
def new_meeting(org, admin_client):
    """An empty planned meeting never published, and its edit form with two new agenda items typed in."""
    forum = builders.forum(org, "trygghetsradet", "Trygghetsrådet")
    record = builders.record(forum, date=IN_A_WEEK, status=MeetingStatus.PLANNED, publish=False)
    _response, data = builders.edit_form(admin_client, record)
    for title in ITEMS:
        builders.add_inline(
            data,
            "agenda_items",
            {"title": title, "case": "", "presenter": "", "proposal": rich_text(""), "papers-count": "0"},
        )
    return record, data


def autosave(client, record, data):
    """The POST Wagtail's autosave makes: the form as it stands, answered in JSON."""
    return client.post(reverse("wagtailadmin_pages:edit", args=[record.pk]), data, HTTP_ACCEPT="application/json")


def save_draft(client, record, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[record.pk]), data)


def _items(record):
    latest = MeetingRecordPage.objects.get(pk=record.pk).get_latest_revision_as_object()
    return [item.title for item in latest.agenda_items.all()]


@pytest.mark.django_db
def test_the_autosave_answers_the_ids_of_the_new_items(admin_client, new_meeting):
    record, data = new_meeting

    answer = autosave(admin_client, record, data).json()

    assert answer["success"]
    ids = {answer["field_updates"][f"agenda_items-{index}-id"] for index in range(len(ITEMS))}
    assert ids == {str(pk) for pk in AgendaItem.objects.filter(record=record).values_list("pk", flat=True)}


@pytest.mark.django_db
def test_spara_utkast_during_an_autosave_stores_each_new_item_once(admin_client, new_meeting):
    record, data = new_meeting

    assert autosave(admin_client, record, data.copy()).json()["success"]
    # The editor presses Spara utkast before the autosave's answer (with the ids) reached the form.
    response = save_draft(admin_client, record, data.copy())

    assert response.status_code == 302
    assert _items(record) == list(ITEMS)
    assert sorted(AgendaItem.objects.filter(record=record).values_list("title", flat=True)) == sorted(ITEMS)
    page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[record.pk])).content.decode()
    assert page.count("Lägesbild från polisen") == 1


@pytest.mark.django_db
def test_an_autosave_that_stores_its_items_while_spara_utkast_is_checked_is_matched_as_it_saves(
    admin_client, admin_user, new_meeting
):
    # The two requests overlap: Spara utkast is checked before the autosave's rows are stored, and writes after.
    record, data = new_meeting
    page = MeetingRecordPage.objects.get(pk=record.pk)
    form_class = page.get_edit_handler().get_form_class()
    spara_utkast = form_class(data.copy(), instance=page, parent_page=page.get_parent(), for_user=admin_user)
    assert spara_utkast.is_valid(), spara_utkast.errors

    assert autosave(admin_client, record, data.copy()).json()["success"]
    spara_utkast.save()

    assert sorted(AgendaItem.objects.filter(record=record).values_list("title", flat=True)) == sorted(ITEMS)


@pytest.mark.django_db
def test_the_same_item_typed_twice_on_purpose_is_kept_twice(admin_client, new_meeting):
    """Only a row the form could not know of (made by a save since it was loaded) is matched: two identical new rows
    in one form, or a row typed again after the first save's ids arrived, are the editor's own."""
    record, data = new_meeting
    builders.add_inline(
        data,
        "agenda_items",
        {"title": ITEMS[0], "case": "", "presenter": "", "proposal": rich_text(""), "papers-count": "0"},
    )

    save_draft(admin_client, record, data.copy())

    assert _items(record) == [*ITEMS, ITEMS[0]]


@pytest.mark.django_db
def test_a_new_forums_members_are_not_added_twice_either(admin_client, org):
    forum = builders.forum(org, "nytt-rad", "Nytt råd", publish=False)
    anna = builders.person("Anna Ledamot")
    _response, data = builders.edit_form(admin_client, forum)
    builders.add_membership(data, person=anna.pk)

    assert autosave(admin_client, forum, data.copy()).json()["success"]
    assert save_draft(admin_client, forum, data.copy()).status_code == 302

    latest = type(forum).objects.get(pk=forum.pk).get_latest_revision_as_object()
    assert [membership.person for membership in latest.memberships.all()] == [anna]
    assert Membership.objects.filter(forum=forum).count() == 1


@pytest.mark.parametrize("loaded", ["²", "99999999999999999999999", "x", ""])
@pytest.mark.django_db
def test_a_loaded_revision_id_that_is_no_id_saves_as_wagtail_would(admin_client, new_meeting, loaded):
    record, data = new_meeting
    data["loaded_revision_id"] = loaded

    assert save_draft(admin_client, record, data.copy()).status_code == 302
    assert _items(record) == list(ITEMS)


@pytest.mark.django_db
def test_a_new_records_paragraph_is_stored_once_with_its_number(admin_client, org):
    forum = builders.forum(org, "trygghetsradet", "Trygghetsrådet")
    record = builders.record(forum, date=datetime.date(2026, 11, 30), publish=False)
    _response, data = builders.edit_form(admin_client, record)
    builders.add_paragraph_row(data, title="Lägesbild")

    assert autosave(admin_client, record, data.copy()).json()["success"]
    assert save_draft(admin_client, record, data.copy()).status_code == 302

    latest = MeetingRecordPage.objects.get(pk=record.pk).get_latest_revision_as_object()
    assert [(p.number, p.title) for p in latest.paragraphs.all()] == [(1, "Lägesbild")]
    assert Paragraph.objects.filter(record=record).count() == 1
