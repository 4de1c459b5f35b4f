"""Citizen dialogues: the plan, reports with progress and overdue actions, rendering for employees."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safety_pages.models import CitizenDialogueIndexPage, CitizenDialogueReportPage
from tests import builders

pytestmark = pytest.mark.django_db
D = datetime.date


def test_mjolby_report_shows_progress_feedback_and_the_overdue_action(demo, client_for):
    response = client_for("medarbetare").get("/mjolby/medborgardialog/medborgardialog-2026/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Demodata:" in html  # illustrative feedback and actions are labelled as such
    assert "5 av 8 åtgärder klara" in html
    assert "1 åtgärd är försenad:" in html
    assert "Klotterplank och snabbare sanering vid skolorna i Skänninge (skulle vara klar 2026-09-30)" in html
    assert "Pågår, försenad" in html  # status in words, not only colour
    assert "Fysiskt möte, chattforum, trygghetsvandring" in html
    assert "Polismyndigheten" in html
    assert '<th scope="row">Belysning</th>' in html and "<td>38</td>" in html
    assert "Kommunstyrelsens trygghets- och säkerhetsutskott" in html


def test_mjolby_index_shows_the_biennial_plan_and_reports_by_year(demo, client_for):
    html = client_for("medarbetare").get("/mjolby/medborgardialog/").content.decode()
    assert "KSTSU 2017-09-13 § 36 (Dnr KS/2017:152)" in html
    assert "Medborgarundersökning" in html
    assert "<h3>2026</h3>" in html
    assert "5 av 8 åtgärder klara" in html
    page = CitizenDialogueIndexPage.objects.get(slug="medborgardialog")
    assert page.next_dialogue_year(D(2026, 11, 22), held_years={2026}) == 2028
    assert f"Nästa planerade medborgardialog: {page.next_dialogue_year(timezone.localdate(), {2026})}" in html


def test_plan_rows_alternate_and_mark_held_years(demo):
    page = CitizenDialogueIndexPage.objects.get(slug="medborgardialog")
    rows = page.plan(D(2026, 11, 22), held_years={2026})
    assert [(r["year"], r["kind"]) for r in rows[:3]] == [(2018, "dialogue"), (2019, "survey"), (2020, "dialogue")]
    assert rows[-1]["year"] == 2029
    assert [r["year"] for r in rows if r["held"]] == [2026]


def test_progress_counts_only_done_actions_and_overdue_only_open_past_due(demo, client_for):
    today = timezone.localdate()
    past, future = today - datetime.timedelta(days=3), today + datetime.timedelta(days=30)
    page = builders.dialogue_report(
        builders.dialogue_index(demo.get_children().get(slug="linkoping")),
        "Trygghetsvandring",
        actions=[
            {"title": "Klar sen", "status": "klar", "due_on": past},
            {"title": "Avslutad", "status": "avslutad_utan_atgard", "due_on": past},
            {"title": "Pågår sent", "status": "pagar", "due_on": past},
            {"title": "Planerad sent", "status": "planerad", "due_on": past},
            {"title": "Planerad i tid", "status": "planerad", "due_on": future},
            {"title": "Utan datum", "status": "planerad", "due_on": None},
        ],
    )
    html = client_for("medarbetare").get(page.url).content.decode()
    assert "1 av 6 åtgärder klara" in html
    assert "2 åtgärder är försenade:" in html
    overdue_list = html.split("åtgärder är försenade:")[1].split("</ul>")[0]
    assert "Pågår sent" in overdue_list and "Planerad sent" in overdue_list
    assert "Klar sen" not in overdue_list and "Avslutad" not in overdue_list and "Planerad i tid" not in overdue_list


def test_progress_text_is_singular_for_one_action():
    assert CitizenDialogueReportPage.progress_text(1, 1) == "1 av 1 åtgärd klar"
    assert CitizenDialogueReportPage.progress_text(0, 2) == "0 av 2 åtgärder klara"


def test_index_queries_stay_constant_as_reports_are_added(demo, client_for, django_assert_num_queries):
    index = builders.dialogue_index(demo.get_children().get(slug="haninge"), first_dialogue_year=2020)
    client = client_for("medarbetare")
    actions = [{"title": f"Åtgärd {n}", "status": "klar" if n % 2 else "pagar"} for n in range(3)]

    def add(count, year):
        for n in range(count):
            builders.dialogue_report(index, f"Dialog {year}-{n}", actions=actions, held_from=D(year, 3, 1 + n))

    add(1, 2024)
    client.get(index.url)
    with CaptureQueriesContext(connection) as first:
        client.get(index.url)
    count = len(first.captured_queries)  # read now: the next request empties the connection's log
    add(4, 2026)
    client.get(index.url)  # warm again: the new reports made the cached header (the main menu) stale
    with django_assert_num_queries(count):
        html = client.get(index.url).content.decode()
    assert "Dialog 2026-3" in html and "1 av 3 åtgärder klara" in html


def test_report_queries_stay_constant_as_actions_are_added(demo, client_for, django_assert_num_queries):
    index = builders.dialogue_index(demo.get_children().get(slug="haninge"))
    client = client_for("medarbetare")
    forum = demo.get_children().get(slug="haninge").get_children().get(slug="organisation").get_children().first()
    few = builders.dialogue_report(index, "Få", actions=[{"title": "En", "responsible_forum": forum.specific}])
    many = builders.dialogue_report(
        index, "Många", actions=[{"title": f"Åtgärd {n}", "responsible_forum": forum.specific} for n in range(9)]
    )
    from django.core.cache import cache

    # The body is cached under the content generation: a miss (cold) and a hit (warm) each stay constant.
    for cold in (True, False):
        client.get(few.url)
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as first:
            client.get(few.url)
        count = len(first.captured_queries)  # read now: the next request empties the connection's log
        if cold:
            cache.clear()
        else:
            client.get(many.url)
        with django_assert_num_queries(count):
            client.get(many.url)
