"""Meeting records as members, employees and editors meet them: minutes, extracts, closed drafts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from safety_pages.access import visibility
from safety_pages.models import MeetingRecordPage, Paragraph, readers
from tests import builders

pytestmark = pytest.mark.django_db

JUSTERAT = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/2017-09-13/"
UTKAST = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/2026-11-11/"


def test_the_justerat_utskott_record_shows_paragraphs_with_case_motion_and_basis(demo, client_for):
    html = client_for("medarbetare").get(JUSTERAT).content.decode()
    assert "§ 35 Framtida samverkansformer med Polismyndigheten" in html
    assert "§ 36 Medborgardialog inom området trygghet och säkerhet" in html
    assert 'href="/arenden/mjolby/ks-2017-152/">KS/2017:152</a>' in html
    assert "Cecilia V Burenby (S): Bifall" in html
    # The missive is the decision basis, linked as a document.
    assert "Missiv om medborgardialog inom området trygghet och säkerhet 2017-08-30</a>" in html
    assert "Kommunstyrelsens trygghets- och säkerhetsutskotts förslag till kommunstyrelsen" in html
    assert "Justerat och anslaget" in html


def test_appeal_period_ends_three_weeks_after_posting_and_is_shown(demo, client_for):
    record = MeetingRecordPage.objects.get(url_path=f"{builders.UTSKOTT_PATH}2017-09-13/")
    assert record.posted_on == datetime.date(2017, 9, 19)
    assert record.appeal_period_ends == datetime.date(2017, 10, 10)
    html = client_for("medarbetare").get(JUSTERAT).content.decode()
    assert "Överklagandetiden går ut</dt><dd>2017-10-10" in html


def test_each_paragraph_has_its_own_printable_extract_with_the_record_header(demo, client_for):
    record = MeetingRecordPage.objects.get(url_path=f"{builders.UTSKOTT_PATH}2017-09-13/")
    paragraph_36 = record.paragraphs.get(number=36)
    url = paragraph_36.get_absolute_url()
    assert url == JUSTERAT + "paragraf/36/"
    response = client_for("medarbetare").get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Protokollsutdrag" in html
    assert '<h1 id="extract-heading">§ 36 Medborgardialog inom området trygghet och säkerhet</h1>' in html
    assert "Kommunstyrelsens trygghets- och säkerhetsutskott" in html  # the record's header names the body
    assert "2017-09-13" in html
    assert "§ 35" not in html  # only this paragraph
    assert "@page" in html and "size: A4" in html  # a print layout for one page
    assert client_for("medarbetare").get(JUSTERAT + "paragraf/99/").status_code == 404


def test_a_record_not_yet_justerat_is_closed_to_employees_everywhere(demo, client_for):
    client = client_for("medarbetare")
    assert client.get(UTKAST).status_code == 404
    assert client.get(UTKAST + "paragraf/21/").status_code == 404
    from django.contrib.auth import get_user_model

    employee = get_user_model().objects.get(username="medarbetare")
    records = visibility.visible(MeetingRecordPage.objects.all(), employee)
    assert not records.filter(url_path=f"{builders.UTSKOTT_PATH}2026-11-11/").exists()
    assert records.filter(url_path=f"{builders.UTSKOTT_PATH}2017-09-13/").exists()
    from wagtail.models import Page

    assert (
        not visibility.visible(Page.objects.all(), employee)
        .filter(url_path=f"{builders.UTSKOTT_PATH}2026-11-11/")
        .exists()
    )


def test_the_forum_member_and_the_editors_read_the_record_not_yet_justerat(demo, client_for):
    for username in ("ledamot", "redaktor", "granskare", "admin"):
        response = client_for(username).get(UTKAST)
        assert response.status_code == 200, username
        assert "Protokollet är inte justerat." in response.content.decode()
        assert client_for(username).get(UTKAST + "paragraf/22/").status_code == 200


def test_page_principals_of_a_closed_record_are_the_members_the_local_roles_and_the_editor_groups(
    demo, django_user_model
):
    from django.contrib.auth.models import Group

    record = MeetingRecordPage.objects.get(url_path=f"{builders.UTSKOTT_PATH}2026-11-11/")
    member = django_user_model.objects.get(username="ledamot")
    expected = (
        {f"user:{member.pk}"}
        | {f"group:{g.pk}" for g in Group.objects.filter(name__in=["Redaktörer", "Granskare"])}
        | readers.forum_reader_principals(record.forum)
    )
    assert readers.forum_reader_principals(record.forum)  # the committee's reader group is among them
    assert visibility.page_principals(record) == expected
    justerat = MeetingRecordPage.objects.get(url_path=f"{builders.UTSKOTT_PATH}2017-09-13/")
    assert visibility.page_principals(justerat) == {visibility.AUTHENTICATED}


def test_a_member_whose_seat_has_ended_no_longer_reads_closed_minutes(demo, client_for):
    from django.contrib.auth import get_user_model

    from safety_pages.organisation.local_roles import local_roles_for, sync_forum_readers

    forum = builders.forum("mjolby", "trygghets-och-sakerhetsutskottet")
    # In the demo Leo is also in the utskott's justerargrupp, which reads the minutes whatever his seat.
    get_user_model().objects.get(username="ledamot").groups.remove(local_roles_for(forum).reviewer_group)
    # The seat ends by its date, which no save announces: the nightly sync_forum_readers catches it.
    forum.memberships.filter(person__user__username="ledamot").update(ends_on=datetime.date(2020, 1, 1))
    sync_forum_readers(forum)
    assert client_for("ledamot").get(UTKAST).status_code == 404


def test_justering_opens_the_record_to_every_employee(demo, client_for):
    record = MeetingRecordPage.objects.get(url_path=f"{builders.UTSKOTT_PATH}2026-11-11/")
    record.adjusted_on = datetime.date(2026, 11, 16)
    record.save_revision().publish()
    assert client_for("medarbetare").get(UTKAST).status_code == 200


def test_planned_and_cancelled_meetings_are_open_and_say_what_they_are(demo, client_for):
    client = client_for("medarbetare")
    planned = client.get("/mjolby/organisation/trygghets-och-sakerhetsutskottet/2026-12-09/").content.decode()
    assert "Handlingsplan för trygghet och säkerhet 2027" in planned  # the agenda
    cancelled = client.get("/mjolby/organisation/trygghets-och-sakerhetsutskottet/2026-11-25/").content.decode()
    assert "Sammanträdet är inställt." in cancelled


def test_quorum_counts_members_and_serving_substitutes_against_the_instruction(demo):
    from safety_pages.models import InstructionPage

    forum = builders.forum("mjolby", "quorum-forum")
    instruction = InstructionPage(
        title="Uppdrag", slug="uppdrag", ordinary_seats=5, status="antagen", adopted_by=_decision()
    )
    forum.add_child(instance=instruction)
    instruction.save_revision().publish()
    two = [
        {"name": "A", "kind": "beslutande"},
        {"name": "B", "kind": "tjanstgorande"},
        {"name": "C", "kind": "ersattare"},
    ]
    record = builders.record(forum, "m1", date=datetime.date(2026, 3, 1), attendances=two)
    quorum = record.quorum()
    assert (quorum.seats, quorum.present, quorum.required, quorum.quorate) == (5, 2, 3, False)
    assert "inte beslutfört" in quorum.message
    three = two + [{"name": "D", "kind": "beslutande", "left_at": datetime.time(15, 0)}]
    record = builders.record(forum, "m2", date=datetime.date(2026, 4, 1), attendances=three)
    quorum = record.quorum()
    assert quorum.quorate is True and quorum.quorate_throughout is False
    assert "efter att ledamöter lämnat" in quorum.message


def _record_with(count, forum, slug):
    Document = get_document_model()
    from django.core.files.base import ContentFile

    document = Document(title=f"Underlag {slug}")
    document.file.save(f"{slug}.txt", ContentFile(b"underlag"), save=False)
    document.save()
    rows = [
        builders.paragraph(
            n,
            title=f"Ärende {n}",
            case=builders.case(f"KS/2030:{n}"),
            basis=[{"type": "document", "value": {"label": "Missiv", "document": document.pk}}],
            motions=[{"type": "motion", "value": {"who": "Någon", "party": "S", "motion": "Bifall"}}],
            sent_to="Kommunstyrelsen\nAkten",
        )
        for n in range(1, count + 1)
    ]
    attendances = [{"name": f"Person {n}", "kind": "beslutande"} for n in range(3)]
    return builders.record(
        forum,
        slug,
        date=datetime.date(2030, 1, 1 + count % 27),
        paragraphs=rows,
        attendances=attendances,
        adjusted_on=datetime.date(2030, 1, 28),
    )


def _queries(client, url, cold):
    """Queries of one request: with the fragment caches empty (cold) or after the same request (warm)."""
    from django.core.cache import cache

    if cold:
        cache.clear()
    else:
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # The SQL is copied now: the next request empties the connection's log.
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def test_query_count_of_a_record_does_not_grow_with_its_paragraphs(demo, client_for):
    two = _record_with(2, builders.forum("mjolby", "forum-two"), "two")
    forty = _record_with(40, builders.forum("mjolby", "forum-forty"), "forty")
    client = client_for("medarbetare")
    client.get(two.url)  # warm the site-root cache shared by both
    # A cache hit (warm) and a miss (cold) each take a number of queries that does not grow with the record.
    for cold in (True, False):
        small, content = _queries(client, two.url, cold)
        assert "§ 2 Ärende 2" in content
        large, content = _queries(client, forty.url, cold)
        assert "§ 40 Ärende 40" in content
        assert len(large) == len(small), large
        if cold:
            cold_count = len(small)
    assert len(small) < cold_count  # a hit loads none of the paragraphs, attendance or corrections


def test_query_count_of_an_extract_does_not_grow_with_the_record(demo, client_for):
    two = _record_with(2, builders.forum("mjolby", "forum-two"), "two")
    forty = _record_with(40, builders.forum("mjolby", "forum-forty"), "forty")
    client = client_for("medarbetare")
    client.get(two.url)
    for cold in (True, False):
        small, _content = _queries(client, two.url + "paragraf/2/", cold)
        large, _content = _queries(client, forty.url + "paragraf/17/", cold)
        assert len(large) == len(small), large


def test_search_api_of_a_paragraph(demo):
    record = MeetingRecordPage.objects.get(url_path=f"{builders.UTSKOTT_PATH}2017-09-13/")
    assert [p.number for p in record.paragraphs.all()] == [35, 36]
    text = record.paragraphs.get(number=36).search_text()
    assert "KS/2017:152" in text and "ks-2017-152" not in text  # search shows a piece of it: no URL keys
    assert "Cecilia V Burenby S Bifall" in text
    assert "Medborgardialogen sker dock endast vartannat år" in text
    assert "<p>" not in text
    assert "KS/2017:215" in record.case_numbers()
    names = {getattr(f, "field_name", None) for f in MeetingRecordPage.search_fields}
    assert {"title", "case_numbers", "paragraphs"} <= names
    closed = MeetingRecordPage.objects.get(url_path=f"{builders.UTSKOTT_PATH}2026-11-11/")
    assert visibility.AUTHENTICATED not in closed.paragraphs.first().search_principals()


def test_paragraphs_keep_their_order_and_are_child_objects_of_the_record(demo):
    forum = builders.forum("mjolby", "order-forum")
    record = builders.record(
        forum, "m", date=datetime.date(2026, 1, 10), paragraphs=[builders.paragraph(2), builders.paragraph(1)]
    )
    assert [p.number for p in record.paragraphs.all()] == [2, 1]  # the order of the minutes, as entered
    assert Paragraph.objects.filter(record=record).count() == 2
    record.delete()
    assert not Paragraph.objects.filter(record_id=record.pk).exists()


def test_forum_page_lists_its_meetings_as_the_reader_may_see_them(demo, client_for):
    url = "/mjolby/organisation/trygghets-och-sakerhetsutskottet/"
    employee = client_for("medarbetare").get(url).content.decode()
    assert "Sammanträden och protokoll" in employee
    assert 'href="/mjolby/organisation/trygghets-och-sakerhetsutskottet/2026-12-09/"' in employee  # upcoming
    assert "Trygghets- och säkerhetsutskottet 2017-09-13" in employee
    assert "2026-11-11" not in employee
    assert 'href="/kalender/mjolby/trygghets-och-sakerhetsutskottet.ics"' in employee
    member = client_for("ledamot").get(url).content.decode()
    assert "Trygghets- och säkerhetsutskottet 2026-11-11" in member


def test_records_are_found_by_paragraph_text_and_case_number_in_the_search_index(demo):
    from django.core.management import call_command

    call_command("update_index", stdout=open("/dev/null", "w"))
    found = MeetingRecordPage.objects.live().search("synpunktshanteringssystemet")
    assert f"{builders.UTSKOTT_PATH}2017-09-13/" in {record.url_path for record in found}
    found = MeetingRecordPage.objects.live().search("KS/2016:37")
    assert "/trygghetsportalen/mjolby/organisation/kommunstyrelsen/2016-12-07/" in {r.url_path for r in found}


def _decision():
    from safety_pages.models import Decision

    return Decision.objects.create(body="Kommunstyrelsen", date=datetime.date(2025, 12, 1), summary="Uppdraget antas")
