"""Steering documents: computed and hand-set review dates, retired documents, rendering for employees."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safety_pages.models import Decision, SteeringDocumentPage
from tests import builders

pytestmark = pytest.mark.django_db
D = datetime.date


def test_next_review_is_computed_from_the_adoption_decision_across_a_year_end(demo):
    decision = Decision.objects.create(body="Kommunstyrelsen", body_abbreviation="KS", date=D(2025, 11, 30))
    page = builders.steering_document(
        builders.steering_index(demo), "Kvartalsplan", adopted_by=decision, review_interval_months=3
    )
    page.refresh_from_db()
    assert page.adoption_date == D(2025, 11, 30)
    assert page.next_review_on == D(2026, 2, 28)
    assert not page.next_review_is_manual


def test_next_review_moves_on_after_a_follow_up(demo):
    page = builders.steering_document(
        builders.steering_index(demo),
        "Överenskommelse",
        adopted_on=D(2015, 12, 17),
        review_interval_months=12,
        last_reviewed_on=D(2025, 12, 1),
    )
    page.refresh_from_db()
    assert page.next_review_on == D(2026, 12, 1)


def test_a_review_date_set_by_hand_wins_and_is_shown_as_such(demo, client_for):
    page = builders.steering_document(
        builders.steering_index(demo),
        "Handplan",
        adopted_on=D(2025, 1, 1),
        review_interval_months=24,
        next_review_override=D(2026, 6, 30),
    )
    page.refresh_from_db()
    assert page.next_review_on == D(2026, 6, 30)
    html = client_for("medarbetare").get(page.url).content.decode()
    assert "2026-06-30" in html
    assert "satt för hand" in html


def test_a_document_without_adoption_date_says_its_review_cannot_be_computed(demo, client_for):
    page = builders.steering_document(builders.steering_index(demo), "Plan utan datum", review_interval_months=24)
    page.refresh_from_db()
    assert page.next_review_on is None
    assert page.review_state() is None
    html = client_for("medarbetare").get(page.url).content.decode()
    assert "Kan inte räknas fram: antagningsdatum saknas" in html


def test_review_state_follows_today(demo):
    today = timezone.localdate()
    index = builders.steering_index(demo)
    overdue = builders.steering_document(index, "Försenad", next_review_override=today - datetime.timedelta(days=1))
    due = builders.steering_document(index, "Snart", next_review_override=today + datetime.timedelta(days=90))
    later = builders.steering_document(index, "Senare", next_review_override=today + datetime.timedelta(days=91))
    repealed = builders.steering_document(
        index, "Upphävd", status="upphavd", adopted_on=D(2010, 1, 1), review_interval_months=12
    )
    assert [p.review_state(today) for p in (overdue, due, later, repealed)] == ["overdue", "due", "ok", None]


def test_haninge_retired_documents_are_marked_and_name_their_replacements(demo, client_for):
    client = client_for("medarbetare")
    html = client.get("/haninge/styrdokument/tillsammans-mot-brott/").content.decode()
    assert "Upphävt styrdokument." in html
    assert "KS 2005-12-12 § 174" in html
    replacement_links = (
        'href="/haninge/styrdokument/handlingsplan/"',
        'href="/haninge/styrdokument/samverkansoverenskommelse-polisen/"',
    )
    for link in replacement_links:
        assert link in html
    index = client.get("/haninge/styrdokument/").content.decode()
    active, repealed = index.split("Upphävda styrdokument")
    assert "Tillsammans mot brott" in repealed and "Tillsammans mot brott" not in active
    assert "KS 2012-11-26 § 259" in repealed
    assert "Samverkansöverenskommelse mellan Haninge kommun och Polisen" in active


def test_retired_documents_stay_findable_in_search(demo):
    results = SteeringDocumentPage.objects.live().search("Tillsammans mot brott")
    assert "Tillsammans mot brott – brottsförebyggande program" in [page.title for page in results]


def test_every_steering_page_renders_for_an_employee(demo, client_for):
    client = client_for("medarbetare")
    for page in SteeringDocumentPage.objects.live():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert f"<h1>{page.title}</h1>" in response.content.decode()
    html = client.get("/mjolby/styrdokument/samverkansoverenskommelse-polisen/").content.decode()
    assert "Mjölby kommun, Polismyndigheten" in html
    assert "2015-12-17" in html
    assert "Strategiskt nätverk för trygghet och säkerhet" in html
    html = client.get("/linkoping/styrdokument/").content.decode()
    assert html.count("Trygghetsrådet") >= 2


def test_a_replacement_closed_to_the_reader_is_not_named(demo, client_for):
    from django.contrib.auth.models import Group

    index = builders.steering_index(demo)
    old = builders.steering_document(index, "Gammal plan", status="upphavd")
    new = builders.steering_document(index, "Sluten ny plan")
    new.supersedes = [old]
    new.save_revision().publish()
    builders.restrict_to_groups(new, Group.objects.get(name="Redaktörer"))
    html = client_for("medarbetare").get(old.url).content.decode()
    assert "Sluten ny plan" not in html
    assert "Dokumentet gäller inte längre." in html
    assert "Sluten ny plan" in client_for("redaktor").get(old.url).content.decode()


def test_index_queries_stay_constant_as_documents_are_added(demo, client_for, django_assert_num_queries):
    index = builders.steering_index(demo)
    decision = Decision.objects.create(body="Kommunstyrelsen", date=D(2024, 1, 1))
    client = client_for("medarbetare")

    def add(count):
        for n in range(count):
            old = builders.steering_document(index, f"Gammal {n}", status="upphavd", adopted_by=decision)
            new = builders.steering_document(index, f"Ny {n}", adopted_by=decision, review_interval_months=12)
            new.supersedes = [old]
            new.save_revision().publish()

    add(2)
    client.get(index.url)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as first:
        client.get(index.url)
    count = len(first.captured_queries)  # read now: the next request empties the connection's log
    add(6)
    client.get(index.url)  # warm again: the new documents made the cached header (the main menu) stale
    with django_assert_num_queries(count):
        html = client.get(index.url).content.decode()
    assert "Ny 5" in html and "Gammal 5" in html
