"""The rough edges a reader met on the pages (issue 23): text where two fields meet, headings that name only what
is listed, seats filled by permanent members, dates that do not wrap, decisions that keep their words apart."""

import datetime
import re

import pytest

from tests import builders

pytestmark = pytest.mark.django_db


def _text(html):
    """What a reader sees: tags out, whitespace as one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_forum_meeting_note_is_a_sentence_of_its_own(org, employee_client):
    forum = builders.forum(
        org, "noterat", meetings_per_year_min=4, meetings_per_year_max=4, meetings_note="eller när läget kräver"
    )
    html = employee_client.get(forum.url).content.decode()
    assert "4 gånger per år. Eller när läget kräver" in html


def test_a_note_without_a_frequency_stands_alone(org, employee_client):
    forum = builders.forum(org, "bara-not", meetings_note="Vid behov.")
    html = employee_client.get(forum.url).content.decode()
    assert "<dd>Vid behov.</dd>" in html


def test_the_instruction_in_force_has_its_status_beside_not_inside_its_heading(org, employee_client):
    forum = builders.forum(org, "med-uppdrag")
    builders.instruction(
        forum, "uppdrag", title="Uppdrag för Marsvinsutskottet", status="antagen", valid_from=datetime.date(2020, 1, 1)
    )
    html = employee_client.get(forum.url).content.decode()
    heading = re.search(r"<h3>(.*?)</h3>", html[html.index('id="instruction-heading"') :], re.S).group(1)
    assert _text(heading).strip() == "Uppdrag för Marsvinsutskottet"
    assert "Gäller</span> från 2020-01-01" in html


def test_vacant_seats_are_the_ordinary_members_beside_the_permanent_ones(org, employee_client):
    """Linköping's Trygghetsråd: seven KS seats not yet filled, and officials who sit by office beside them. The
    count says which seats it counts, so a reader who sees the officials listed does not take it for an error."""
    forum = builders.forum(org, "permanent-rad")
    builders.instruction(forum, "uppdrag", status="antagen", valid_from=datetime.date(2020, 1, 1), ordinary_seats=2)
    builders.member(forum, builders.user("polischefen"), role="permanent_medlem")
    html = employee_client.get(forum.url).content.decode()
    assert "2 av 2 ordinarie ledamotsplatser vakanta" in html
    builders.member(forum, builders.user("ledamot1"), role="ledamot")
    builders.member(forum, builders.user("ledamot2"), role="ledamot")
    html = employee_client.get(forum.url).content.decode()
    assert "vakant" not in html and "Alla 2 ordinarie ledamotsplatser är tillsatta." in html


def test_the_record_heading_names_only_the_functions_it_lists(org, employee_client):
    forum = builders.forum(org, "justerat")
    record = builders.record(
        forum,
        date=datetime.date(2024, 3, 1),
        adjusted_on=datetime.date(2024, 3, 4),
        attendances=[{"name": "Julia Justerare", "function": "justerare"}],
    )
    html = employee_client.get(record.url).content.decode()
    assert '<h2 id="functions-heading">Justerare</h2>' in html
    assert "Ordförande, sekreterare och justerare" not in html
    both = builders.record(
        forum,
        date=datetime.date(2024, 4, 1),
        adjusted_on=datetime.date(2024, 4, 4),
        attendances=[
            {"name": "Olle Ordförande", "function": "ordforande"},
            {"name": "Julia Justerare", "function": "justerare"},
        ],
    )
    assert '<h2 id="functions-heading">Ordförande och justerare</h2>' in employee_client.get(both.url).content.decode()


def test_the_case_page_keeps_the_date_on_one_line_and_the_decision_items_apart(org, employee_client):
    forum = builders.forum(org, "beslutande")
    number = builders.case("KS 2017/88", title="Kombrå", section_slug="exempel")
    builders.record(
        forum,
        date=datetime.date(2017, 9, 13),
        adjusted_on=datetime.date(2017, 9, 15),
        paragraphs=[
            builders.paragraph(
                7,
                title="Kombrå",
                case=number,
                decision=(
                    "<p>Utskottet beslutar</p><ul><li>att bilda Kombrå, och</li><li>att inrätta en grupp</li></ul>"
                ),
            )
        ],
    )
    html = employee_client.get("/arenden/exempel/ks-2017-88/").content.decode()
    assert '<td class="nowrap"><time datetime="2017-09-13">2017-09-13</time></td>' in html
    assert "Utskottet beslutar att bilda Kombrå, och att inrätta en grupp" in html
    assert "ochatt" not in html


def test_the_home_page_is_titled_once_and_has_a_favicon(org, employee_client):
    html = employee_client.get("/").content.decode()
    assert "<title>Trygghetsportalen</title>" in html
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    assert icon.endswith(".svg")
    forum = builders.forum(org, "titlad", title="Titlat forum")
    assert "<title>Titlat forum – Trygghetsportalen</title>" in employee_client.get(forum.url).content.decode()
    assert "<title>Sök – Trygghetsportalen</title>" in employee_client.get("/sok/").content.decode()


def test_redigera_opens_the_edit_view_of_this_page_for_those_who_may_edit_it(org, client, django_user_model):
    forum = builders.forum(org, "redigerbart", title="Redigerbart forum")
    client.force_login(django_user_model.objects.create_superuser("chefredaktor", password="x"))
    html = client.get(forum.url).content.decode()
    assert f'href="/admin/pages/{forum.pk}/edit/">Redigera' in html


def test_a_reader_who_may_not_edit_gets_no_redigera_link(org, employee_client):
    forum = builders.forum(org, "bara-las")
    html = employee_client.get(forum.url).content.decode()
    assert "/admin/pages/" not in html and ">Redigera<" not in html


def test_the_case_page_breadcrumbs_start_at_the_home_page(org, employee_client):
    forum = builders.forum(org, "brodsmulor")
    number = builders.case("KS 2018/3", section_slug="exempel")
    builders.record(
        forum,
        date=datetime.date(2018, 2, 1),
        adjusted_on=datetime.date(2018, 2, 3),
        paragraphs=[builders.paragraph(3, case=number)],
    )
    html = employee_client.get("/arenden/exempel/ks-2018-3/").content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["Trygghetsportalen", "Exempel kommun", "Ärende KS 2018/3"]


def test_the_search_and_tag_pages_breadcrumbs_start_at_the_home_page(org, employee_client):
    forum = builders.forum(org, "etiketterat", title="Etiketterat forum")
    forum.tags.add("samverkan")
    forum.save_revision().publish()
    for path, here in (("/sok/?q=forum", "Sök"), ("/etiketter/samverkan/", "Etikett: samverkan")):
        html = employee_client.get(path).content.decode()
        crumbs = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S).group(1)
        assert re.findall(r">([^<>]+)</a>", crumbs) == ["Trygghetsportalen", here], path
