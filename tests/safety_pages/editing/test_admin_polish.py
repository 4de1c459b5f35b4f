"""The admin as a Swedish intranet editor meets it (issue 23): no outside avatars, readable ASCII addresses, the
registers' yes/no columns in words, the revision compare and Wagtail's autosave messages in Swedish."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import translation
from wagtail.models import Page

from safety_pages.models import ForumPage
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("huvudredaktor", password="x"))
    return client


def test_the_admin_calls_no_avatar_service(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "gravatar" not in html


def test_a_new_page_gets_an_ascii_slug_from_its_swedish_title(org):
    forum = ForumPage(title="Åtgärdsgrupp för Älvsjö", kind="rad", level="strategisk")
    org.add_child(instance=forum)
    assert forum.slug == "atgardsgrupp-for-alvsjo"


def test_the_slug_field_is_told_not_to_keep_swedish_letters(org, admin_client):
    html = admin_client.get(f"/admin/pages/add/safety_pages/forumpage/{org.pk}/").content.decode()
    slug_field = re.search(r'<input[^>]*name="slug"[^>]*>', html).group(0)
    assert 'data-controller="w-slug"' in slug_field
    assert "allow-unicode" not in slug_field  # the attribute is written only when Swedish letters are kept


def test_the_persons_register_says_ja_and_nej_instead_of_missing_icons(org, admin_client):
    builders.person("Aktiva Anna")
    builders.person("Avgångne Arvid", active=False)
    html = admin_client.get("/admin/safety_pages/person/").content.decode()
    assert "icon-yes.svg" not in html and "icon-no.svg" not in html
    row = html[html.index("Aktiva Anna") :]
    assert ">Ja<" in row[: row.index("</tr>")]
    row = html[html.index("Avgångne Arvid") :]
    assert ">Nej<" in row[: row.index("</tr>")]


def test_the_revision_compare_is_swedish_and_shows_empty_values_as_tomt(org, admin_client):
    forum = builders.forum(org, "jamfort", title="Jämfört forum")
    forum.founded_on = datetime.date(2021, 5, 1)
    forum.meetings_per_year_min = 4
    forum.save_revision().publish()
    html = admin_client.get(f"/admin/pages/{forum.pk}/revisions/compare/earliest...latest/").content.decode()
    assert "Jämför" in html and ">Compare<" not in html
    cells = " ".join(re.findall(r'<td class="comparison">(.*?)</td>', html, re.S))
    assert '<span class="deletion">(tomt)</span>' in cells and "None" not in cells


def test_wagtails_autosave_messages_are_swedish():
    with translation.override("sv"):
        assert translation.gettext("Autosave is paused") == "Automatisk sparning är pausad"
        assert translation.gettext("Saved") == "Sparat"


@override_settings(LANGUAGE_CODE="sv")
def test_wagtails_autosave_script_messages_are_swedish(admin_client):
    catalogue = admin_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Sparar automatiskt" in catalogue and "\\u00c4ndringarna har sparats automatiskt." in catalogue


def _add_record_form(client, forum):
    response = client.get(f"/admin/pages/add/safety_pages/meetingrecordpage/{forum.pk}/")
    assert response.status_code == 200
    data = builders.querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for index in range(int(data.get("paragraphs-TOTAL_FORMS", 0))):
        for stream in ("basis", "motions"):
            data.setdefault(f"paragraphs-{index}-{stream}-count", "0")
    data.update({"title": "Sammanträde 2031-02-03", "slug": "2031-02-03", "meeting_date": "2031-02-03"})
    data["status"] = "planerat"
    return data


def test_an_own_draft_of_another_kind_at_the_same_address_is_explained_with_a_link_to_it(org, admin_client):
    """Her own draft of the same page type is continued (below); one of another type cannot take the form, so the
    clash is explained instead."""
    forum = builders.forum(org, "autosparat")
    draft = builders.instruction(forum, "2031-02-03", publish=False)
    # As Wagtail's autosave leaves it: a never published page whose revision this editor saved.
    revision = draft.latest_revision
    revision.user = get_user_model().objects.get(username="huvudredaktor")
    revision.save(update_fields=["user"])
    response = admin_client.post(
        f"/admin/pages/add/safety_pages/meetingrecordpage/{forum.pk}/", _add_record_form(admin_client, forum)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="/admin/pages/{draft.pk}/edit/">Fortsätt på det utkastet</a>' in html
    assert "aldrig publicerats" in html


def test_someone_elses_page_at_the_same_address_keeps_wagtails_message(org, admin_client):
    forum = builders.forum(org, "annans")
    builders.record(forum, "2031-02-03", date=datetime.date(2031, 2, 3), status="planerat", publish=False)
    html = admin_client.post(
        f"/admin/pages/add/safety_pages/meetingrecordpage/{forum.pk}/", _add_record_form(admin_client, forum)
    ).content.decode()
    assert "används redan" in html and "Fortsätt på det utkastet" not in html


def test_starting_an_autosaved_record_again_continues_the_own_draft(org, admin_client):
    """Wagtail 8's autosave creates a new page as a draft (a JSON post to the add view). Starting the same record
    again in a new tab used to stop at "Sluggen … används redan"; the editor's own never published draft now takes
    the new form, so the record is saved once, with what she wrote last."""
    forum = builders.forum(org, "autosparas")
    add_url = f"/admin/pages/add/safety_pages/meetingrecordpage/{forum.pk}/"
    autosave = admin_client.post(add_url, _add_record_form(admin_client, forum), HTTP_ACCEPT="application/json")
    assert autosave.status_code == 200 and autosave.json()["success"] is True
    draft_pk = autosave.json()["pk"]
    again = _add_record_form(admin_client, forum)
    again["place"] = "Stadshuset, sal Kvastfening"
    response = admin_client.post(add_url, again)
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{draft_pk}/edit/"
    records = Page.objects.descendant_of(forum).filter(slug="2031-02-03")
    assert records.count() == 1 and records.get().pk == draft_pk
    assert records.get().specific.get_latest_revision_as_object().place == "Stadshuset, sal Kvastfening"
    html = admin_client.get(response["Location"]).content.decode()
    assert "Du hade redan påbörjat sidan" in html and "används redan" not in html
