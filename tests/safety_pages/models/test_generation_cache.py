"""Pages cached under the content generation (safety_pages/fragments.py) show every edit on the next request.

The generation is a row in the database: an edit saved by another app server (whose signals bump the row)
is seen here, although this process's own cache still holds the page as it was.
"""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from safety_pages.models import Case, Correction, MeetingRecordPage, Membership, Paragraph, Person, routing
from safety_pages.models import generation as fragments
from tests import builders

pytestmark = pytest.mark.django_db


def _record(forum, **values):
    return builders.record(
        forum,
        "m",
        date=datetime.date(2030, 2, 1),
        adjusted_on=datetime.date(2030, 2, 5),
        paragraphs=[builders.paragraph(7, title="Trygghetsvandring", case=builders.case("KS/2030:7"), **values)],
        attendances=[{"person": builders.person("Anna Andersson"), "kind": "beslutande"}],
    )


def test_every_content_save_bumps_the_generation_in_the_database(demo):
    before = fragments.read_generation()
    builders.person("Ny person")
    assert fragments.read_generation() == before + 1
    with connection.cursor() as cursor:  # what the readers of every app server see
        cursor.execute("SELECT value FROM safety_pages_contentgeneration WHERE id = 1")
        assert cursor.fetchone()[0] == before + 1


def test_a_person_renamed_in_the_register_shows_in_the_record_at_once(demo, client_for):
    record = _record(builders.forum("mjolby", "forum-namn"))
    client = client_for("medarbetare")
    assert "Anna Andersson" in client.get(record.url).content.decode()
    person = Person.objects.get(name="Anna Andersson")
    person.name = "Anna Berg"
    person.save()  # a register edit: the record is not published again
    html = client.get(record.url).content.decode()
    assert "Anna Berg" in html and "Anna Andersson" not in html


def test_a_renumbered_case_and_a_retitled_document_show_in_the_record_and_extract(demo, client_for):
    Document = get_document_model()
    from django.core.files.base import ContentFile

    document = Document(title="Missiv")
    document.file.save("missiv.txt", ContentFile(b"missiv"), save=False)
    document.save()
    record = _record(
        builders.forum("mjolby", "forum-dnr"),
        basis=[{"type": "document", "value": {"label": "Missiv om trygghet", "document": document.pk}}],
    )
    client = client_for("medarbetare")
    for url in (record.url, record.url + "paragraf/7/"):
        assert "KS/2030:7" in client.get(url).content.decode()
    Case.objects.filter(number="KS/2030:7").update(number="KS/2030:70")  # a bulk update sends no signal …
    fragments.bump_generation()  # … so, as another server's save would, the counter is bumped on its own
    document.file.save("missiv-2.pdf", ContentFile(b"%PDF"), save=True)
    for url in (record.url, record.url + "paragraf/7/"):
        html = client.get(url).content.decode()
        assert "KS/2030:70" in html and "(PDF)" in html


def test_an_edit_saved_by_another_app_server_is_seen_although_this_cache_holds_the_old_page(demo, client_for):
    record = _record(builders.forum("mjolby", "forum-server"), decision="<p>Rådet beslutar att avslå.</p>")
    client = client_for("medarbetare")
    assert "att avslå" in client.get(record.url).content.decode()
    # The other server writes the row and bumps the counter; no signal runs in this process.
    Paragraph.objects.filter(record=record).update(decision="<p>Rådet beslutar att bifalla.</p>")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE safety_pages_contentgeneration SET value = value + 1 WHERE id = 1")
    html = client.get(record.url).content.decode()
    assert "att bifalla" in html and "att avslå" not in html


def test_a_new_revision_of_the_record_shows_at_once(demo, client_for):
    record = _record(builders.forum("mjolby", "forum-revision"), decision="<p>Rådet beslutar att avslå.</p>")
    client = client_for("medarbetare")
    assert "att avslå" in client.get(record.url + "paragraf/7/").content.decode()
    record = MeetingRecordPage.objects.get(pk=record.pk)
    record.place = "Stadshuset, sal B"
    edited = record.paragraphs.first()
    edited.decision = "<p>Rådet beslutar att bifalla.</p>"
    record.paragraphs = [edited]
    # The record is justerat: its text changes through a rättelse (issue 20).
    record.corrections = [Correction(description="Beslutet i § 7 var fel återgivet.", reason="Skrivfel.")]
    record.save_revision().publish()
    for url in (record.url, record.url + "paragraf/7/"):
        html = client.get(url).content.decode()
        assert "att bifalla" in html and "att avslå" not in html
    assert "Stadshuset, sal B" in client.get(record.url).content.decode()


def test_a_cached_closed_record_is_never_served_to_a_reader_who_may_not_see_it(demo, client_for):
    forum = builders.forum("mjolby", "forum-stangt")
    record = builders.record(
        forum, "m", date=datetime.date(2030, 3, 1), paragraphs=[builders.paragraph(3, title="Hemligt")]
    )
    assert record.minutes_closed
    assert "Hemligt" in client_for("redaktor").get(record.url).content.decode()  # cached by an editor
    client = client_for("medarbetare")
    assert client.get(record.url).status_code == 404
    assert client.get(record.url + "paragraf/3/").status_code == 404


def test_forum_page_shows_a_renamed_member_a_new_instruction_and_a_new_meeting(org, employee_client):
    forum = builders.forum(org, "radet", title="Rådet")
    forum.memberships = [Membership(person=builders.person("Anna Andersson"), role="ordforande")]
    forum.save_revision().publish()
    assert "Anna Andersson" in employee_client.get(forum.url).content.decode()
    Person.objects.filter(name="Anna Andersson").update(name="Anna Berg")
    fragments.bump_generation()
    builders.instruction(forum, "uppdrag", title="Uppdrag för Rådet", status="antagen", ordinary_seats=5)
    builders.record(forum, "m", date=datetime.date(2031, 5, 6), status="planerat")
    html = employee_client.get(forum.url).content.decode()
    assert "Anna Berg" in html and "Anna Andersson" not in html
    assert "Uppdrag för Rådet" in html and "2031-05-06" in html


def test_the_forum_page_of_another_reader_does_not_show_what_this_reader_may_not_see(org, employee_client, client):
    from django.contrib.auth import get_user_model

    forum = builders.forum(org, "radet", title="Rådet")
    other = builders.forum(org, "slutet", title="Slutna forumet")
    forum.reports_to.add(other)
    forum.save_revision().publish()
    group = builders.group("Slutna gruppen")
    builders.restrict_to_groups(other, group)
    insider = get_user_model().objects.create_user("insider", password="x")
    insider.groups.add(group)
    client.force_login(insider)
    assert "Slutna forumet" in client.get(forum.url).content.decode()  # cached for the insider
    employee_client.force_login(get_user_model().objects.get(username="anstalld"))
    assert "Slutna forumet" not in employee_client.get(forum.url).content.decode()


def test_routing_in_one_query_finds_what_wagtails_walk_finds(demo):
    """Every live page, the extract route under a record, and addresses that name no page."""
    site = Site.objects.get(is_default_site=True)
    root = site.root_page.specific
    record = MeetingRecordPage.objects.live().filter(paragraphs__isnull=False).first()
    paths = [p.url_path[len(root.url_path) :] for p in Page.objects.descendant_of(root).live()]
    paths += [
        record.url_path[len(root.url_path) :] + f"paragraf/{record.paragraphs.first().number}/",
        record.url_path[len(root.url_path) :] + "paragraf/99999/",
        "mjolby/finns-inte/",
        "finns-inte/alls/",
        "mjolby/organisation/organisationsbild/",
    ]
    from django.http import Http404

    def outcome(walk, request, components):
        try:
            result = walk(request, components)
        except Http404:
            return None
        view = result.args[0].__name__ if result.args else None
        return (type(result.page), result.page.pk, view, result.args[1:] if result.args else None)

    for path in paths:
        components = [c for c in path.split("/") if c]
        request = RequestFactory().get("/" + path)
        stock = outcome(lambda request, components: Page.route(root, request, components), request, components)
        assert outcome(lambda request, components: routing.route(root, request, components), request, components) == (
            stock
        ), path


def test_the_organisation_page_cached_for_an_insider_does_not_show_a_closed_forum_to_others(org, employee_client):
    from django.contrib.auth import get_user_model
    from django.test import Client

    builders.forum(org, "radet", title="Rådet")
    closed = builders.forum(org, "slutet", title="Slutna forumet")
    insider = get_user_model().objects.create_user("insider", password="x")
    insiders = builders.group("Slutna gruppen")
    builders.restrict_to_groups(closed, insiders)
    insider.groups.add(insiders)
    other = Client()
    other.force_login(insider)
    assert "Slutna forumet" in other.get(org.url).content.decode()
    html = employee_client.get(org.url).content.decode()
    assert "Rådet" in html and "Slutna forumet" not in html
    builders.forum(org, "nytt", title="Nya forumet")  # a new forum shows on the next request
    assert "Nya forumet" in employee_client.get(org.url).content.decode()


def test_the_case_page_shows_new_paragraphs_and_hides_closed_ones_from_those_who_may_not_read_them(demo, client_for):
    handled = builders.case("KS/2030:99", title="Trygghetsärendet")
    forum = builders.forum("mjolby", "forum-arende")
    builders.record(
        forum,
        "a",
        date=datetime.date(2030, 4, 1),
        adjusted_on=datetime.date(2030, 4, 3),
        paragraphs=[builders.paragraph(11, title="Första behandlingen", case=handled)],
    )
    employee = client_for("medarbetare")
    assert "Första behandlingen" in employee.get(handled.get_absolute_url()).content.decode()
    builders.record(
        forum,
        "b",
        date=datetime.date(2030, 5, 1),
        paragraphs=[builders.paragraph(12, title="Ännu inte justerad", case=handled)],
    )
    editor = client_for("redaktor")
    assert "Ännu inte justerad" in editor.get(handled.get_absolute_url()).content.decode()
    html = client_for("medarbetare").get(handled.get_absolute_url()).content.decode()
    assert "Första behandlingen" in html and "Ännu inte justerad" not in html


def test_the_generation_is_read_before_anything_the_cached_body_shows_is_loaded(demo, client_for):
    from django.core.cache import cache
    from django.test.utils import CaptureQueriesContext

    record = _record(builders.forum("mjolby", "forum-ordning"))
    client = client_for("medarbetare")
    client.get(record.url)
    cache.clear()  # a miss: the body's rows are loaded, after the generation
    with CaptureQueriesContext(connection) as captured:
        assert client.get(record.url).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    first = next(i for i, q in enumerate(sql) if "safety_pages_contentgeneration" in q)
    for table in ("safety_pages_paragraph", "safety_pages_attendance", "safety_pages_forumpage"):
        assert all(i > first for i, q in enumerate(sql) if f'FROM "{table}"' in q), table


def test_a_forum_page_cached_for_an_editor_does_not_list_a_closed_record_to_an_employee(demo, client_for):
    forum = builders.forum("mjolby", "forum-lista")
    builders.record(forum, "ojusterat", date=datetime.date(2020, 3, 1), title="Ojusterat sammanträde")
    builders.record(
        forum,
        "justerat",
        date=datetime.date(2020, 2, 1),
        adjusted_on=datetime.date(2020, 2, 4),
        title="Justerat sammanträde",
    )
    html = client_for("redaktor").get(forum.url).content.decode()
    assert "Ojusterat sammanträde" in html and "Justerat sammanträde" in html
    html = client_for("medarbetare").get(forum.url).content.decode()
    assert "Justerat sammanträde" in html and "Ojusterat sammanträde" not in html
    assert "Prenumerera på kalendern" in html  # the reader's own address is drawn for each reader
