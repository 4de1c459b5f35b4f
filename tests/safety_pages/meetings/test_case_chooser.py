"""Cases that editors keep: the paragraph's Ärende (Dnr) is a chooser with search and "Nytt ärende", listing only
the cases the user may see; the case register opens for editors and the superuser."""

import datetime
import json
import re

import pytest
from django.contrib.auth.models import Permission

from safety_pages.access import roles
from safety_pages.models import Case, MeetingRecordPage
from tests import builders

pytestmark = pytest.mark.django_db

CHOOSER = "/admin/arenden/valj/"


def _modal(response):
    assert response.status_code == 200
    return json.loads(response.content)


def _results(client, typed, municipality):
    """The chooser's result list after typing into its search field (an HTML fragment)."""
    response = client.get(CHOOSER + "results/", {"q": typed, "municipality": municipality})
    assert response.status_code == 200
    return response.content.decode()


def _chooser_url_on_the_form(html):
    """The chooser's address as the paragraph form gives it to the widget (with the record's municipality), the same
    for the saved paragraphs and the blank one the "add paragraph" button copies."""
    found = set(re.findall(r"/admin/arenden/valj/[^\"'\s\\&]*", html))
    assert found, "the paragraph's Ärende field is no case chooser"
    assert found == {f"/admin/arenden/valj/?municipality={builders.section('mjolby').pk}"}, found
    return found.pop()


def test_a_new_record_of_a_forum_gets_the_chooser_of_its_municipality(demo, client_for):
    forum = builders.forum("mjolby", "kommunstyrelsen")
    response = client_for("redaktor").get(f"/admin/pages/add/safety_pages/meetingrecordpage/{forum.pk}/")
    assert response.status_code == 200
    _chooser_url_on_the_form(response.content.decode())


def test_an_editor_registers_a_new_dnr_from_the_paragraph_form_and_it_is_set_on_the_paragraph(demo, client_for):
    forum = builders.forum("mjolby", "kommunstyrelsen")
    record = builders.record(forum, "2031-02-03", date=datetime.date(2031, 2, 3), publish=False)
    client = client_for("redaktor")
    response, data = builders.edit_form(client, record)
    html = response.content.decode()
    assert "Välj ärende (Dnr)" in html
    # Not a select of every case any more (it made the Protokoll tab 1 436 px wide).
    assert not re.search(r'<select name="paragraphs-[^"]*-case"', html)
    chooser = _chooser_url_on_the_form(html)
    modal = _modal(client.get(chooser))
    assert "Nytt ärende" in modal["html"]
    create_url = re.search(r'action="([^"]*/create/[^"]*)"', modal["html"]).group(1).replace("&amp;", "&")
    municipality = builders.section("mjolby").pk
    chosen = _modal(
        client.post(
            create_url, {"municipality": municipality, "number": "KS/2031:77", "title": "Kvällsvandringar Vårdnäs"}
        )
    )
    assert chosen["step"] == "chosen"
    assert "KS/2031:77" in chosen["result"]["title"]
    case = Case.objects.get(pk=chosen["result"]["id"])
    assert (case.municipality_id, case.normalised_number) == (municipality, "ks-2031-77")

    builders.add_paragraph_row(data, title="Kvällsvandringar", case=case.pk)
    data["action-publish"] = ""
    response = client.post(f"/admin/pages/{record.pk}/edit/", data)
    assert response.status_code == 302
    saved = MeetingRecordPage.objects.get(pk=record.pk).get_latest_revision_as_object()
    assert [p.case for p in saved.paragraphs.all()] == [case]


def test_a_number_that_is_no_dnr_is_refused_in_swedish_in_the_chooser(demo, client_for):
    client = client_for("redaktor")
    municipality = builders.section("mjolby").pk
    modal = _modal(client.post(f"{CHOOSER}create/?municipality={municipality}", {"number": "vandringar", "title": "X"}))
    assert modal["step"] == "reshow_creation_form"
    assert "Diarienumret känns inte igen" in modal["htmlFragment"]
    assert not Case.objects.filter(title="X", number="vandringar").exists()


@pytest.mark.parametrize("typed", ["KS/2031:152", "ks 2031-152", "KS 2031/152", "KS2031/0152-4"])
def test_the_chooser_finds_a_case_by_its_number_in_any_written_form(demo, client_for, typed):
    builders.case("KS/2031:152", title="Belysning Hagaparken c21")
    builders.case("KS/2031:153", title="Grannärende c21")
    municipality = builders.section("mjolby").pk
    html = _results(client_for("redaktor"), typed, municipality)
    assert "Belysning Hagaparken c21" in html
    assert "Grannärende c21" not in html


def test_the_chooser_lists_only_the_records_municipality(demo, client_for):
    builders.case("KS/2031:154", title="Mjölbys ärende c21")
    builders.case("KS/2031:154", title="Haninges ärende c21", section_slug="haninge")
    html = _modal(client_for("redaktor").get(CHOOSER, {"municipality": builders.section("mjolby").pk}))["html"]
    assert "Mjölbys ärende c21" in html and "Haninges ärende c21" not in html
    nothing = _modal(client_for("redaktor").get(CHOOSER, {"municipality": "²"}))["html"]
    assert "Mjölbys ärende c21" not in nothing


def test_a_justerare_with_admin_login_only_does_not_see_cases_used_only_by_closed_records(demo, client_for):
    justerare = builders.user("c21-justerare", roles.EMPLOYEES)
    roles.grant_justering_login([justerare])
    open_case = builders.case("KS/2031:200", title="Öppet ärende lyktstolpar")
    draft_case = builders.case("KS/2031:201", title="Hemligt ärende kameraövervakning")
    restricted_case = builders.case("KS/2031:202", title="Slutet ärende väktare")
    unused_case = builders.case("KS/2031:203", title="Oanvänt ärende importerat")
    builders.record(
        builders.forum("mjolby", "kommunstyrelsen"),
        "2031-03-01",
        date=datetime.date(2031, 3, 1),
        adjusted_on=datetime.date(2031, 3, 3),
        paragraphs=[builders.paragraph(1, title="Lyktstolpar", case=open_case)],
    )
    builders.record(
        builders.forum("mjolby", "kommunstyrelsen"),
        "2031-03-02",
        date=datetime.date(2031, 3, 2),
        publish=False,
        paragraphs=[builders.paragraph(2, title="Kameror", case=draft_case)],
    )
    closed = builders.forum("mjolby", "slutet-rad-c21", title="Slutet råd c21")
    builders.restrict_to_groups(closed, builders.group(roles.REVIEWERS))
    builders.record(
        closed,
        "2031-03-04",
        date=datetime.date(2031, 3, 4),
        adjusted_on=datetime.date(2031, 3, 6),
        paragraphs=[builders.paragraph(3, title="Väktare", case=restricted_case)],
    )
    client = client_for("c21-justerare")
    municipality = builders.section("mjolby").pk
    html = _modal(client.get(CHOOSER, {"municipality": municipality}))["html"]
    assert "Öppet ärende lyktstolpar" in html
    for hidden in ("Hemligt ärende kameraövervakning", "Slutet ärende väktare", "Oanvänt ärende importerat"):
        assert hidden not in html
    searched = _results(client, "KS/2031:201", municipality)
    assert "kameraövervakning" not in searched
    assert client.get(f"{CHOOSER}chosen/{draft_case.pk}/").status_code == 404
    assert client.get(f"{CHOOSER}chosen/{unused_case.pk}/").status_code == 404
    several = _modal(client.get(f"{CHOOSER}chosen-multiple/", {"id": [open_case.pk, draft_case.pk, "²"]}))
    assert [row["id"] for row in several["result"]] == [str(open_case.pk)]
    assert "Nytt ärende" not in html  # no register of their own to add to
    refused = client.post(f"{CHOOSER}create/", {"number": "KS/2031:299", "title": "x"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")  # Wagtail's answer to PermissionDenied
    assert not Case.objects.filter(number="KS/2031:299").exists()
    assert client.get("/admin/safety_pages/case/").status_code == 302  # no register of their own
    # The editor keeps the whole register of the municipality, used or not.
    editor = _modal(client_for("redaktor").get(CHOOSER, {"municipality": municipality}))["html"]
    assert "Hemligt ärende kameraövervakning" in editor and "Oanvänt ärende importerat" in editor


@pytest.mark.parametrize("username", ["redaktor", "granskare", "c21-forvaltare", "admin"])
def test_the_case_register_opens_for_editors_reviewers_administrators_and_the_superuser(demo, client_for, username):
    builders.user("c21-forvaltare", roles.ADMINISTRATORS)  # an Administratör who is not a superuser
    builders.case("KS/2031:300", title="Registrets ärende c21")
    client = client_for(username)
    response = client.get("/admin/safety_pages/case/")
    assert response.status_code == 200
    assert "Registrets ärende c21" in response.content.decode()
    municipality = builders.section("mjolby").pk
    filtered = client.get("/admin/safety_pages/case/", {"municipality": municipality, "q": "ks 2031-300"})
    assert filtered.status_code == 200 and "Registrets ärende c21" in filtered.content.decode()
    assert client.get("/admin/safety_pages/case/create/").status_code == 200


def test_a_register_keeper_without_rights_in_the_municipality_cannot_open_its_cases(demo, client_for):
    """The right to change cases alone (no page rights in Mjölby) neither lists nor opens Mjölby's cases."""
    keeper = builders.user("c21-diarie")
    keeper.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_case", "view_case", "add_case"])
    )
    case = builders.case("KS/2031:301", title="Annan kommuns ärende c21")
    client = client_for("c21-diarie")
    listing = client.get("/admin/safety_pages/case/")
    assert listing.status_code == 200 and "Annan kommuns ärende c21" not in listing.content.decode()
    edit = client.get(f"/admin/safety_pages/case/edit/{case.pk}/")
    assert edit.status_code == 302 and "Annan kommuns ärende c21" not in edit.content.decode()
    # Nor can they register a case in Mjölby's diarium: the form offers no municipality they do not keep.
    posted = client.post(
        "/admin/safety_pages/case/create/",
        {"municipality": case.municipality_id, "number": "KS/2031:302", "title": "Smuggelärende", "status": "pagaende"},
    )
    assert posted.status_code == 200 and not Case.objects.filter(title="Smuggelärende").exists()
    assert client_for("redaktor").get(f"/admin/safety_pages/case/edit/{case.pk}/").status_code == 200
