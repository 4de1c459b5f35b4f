"""The organisation pages as an employee reads them, with a constant number of queries as they grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safety_pages.models import Decision, Membership, Organisation
from tests import builders

pytestmark = pytest.mark.django_db


def grow(forum, index, size):
    """Give the forum `size` more members, and the organisation `size` more forums reporting to it."""
    organisation = Organisation.objects.create(name=f"Förvaltning {index.pk}-{size}")
    start = forum.memberships.count()
    forum.memberships.add(
        *[
            Membership(
                person=builders.person(f"Person {start + i}"),
                organisation=organisation,
                role="ersattare",
                substitute_order=start + i + 1,
            )
            for i in range(size)
        ]
    )
    forum.save_revision().publish()
    for i in range(size):
        builders.forum(index, f"grupp-{start + i}", level="operativ", reports_to=[forum])


def queries_for(client, url):
    client.get(url)  # the first request warms caches (site root, content types)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_forum_page_shows_members_functions_relations_both_ways_and_lifecycle(org, employee_client):
    decision = Decision.objects.create(
        body="Kommunstyrelsen", body_abbreviation="KS", date="2016-12-07", case_number="KS/2016:37"
    )
    ks = builders.forum(org, "kommunstyrelsen", title="Kommunstyrelsen", level="politisk")
    old = builders.forum(
        org, "kombra", title="Kombrå", status="upplost", dissolved_on="2016-12-07", dissolved_by=decision
    )
    utskott = builders.forum(
        org,
        "utskott",
        title="Utskottet",
        kind="utskott",
        level="politisk",
        meetings_per_year_min=4,
        meetings_per_year_max=4,
        presenter_description="Biträdande kommunchef",
        founded_on="2017-01-01",
        founded_by=decision,
        reports_to=[ks],
        replaces=[old],
    )
    network = builders.forum(org, "natverk", title="Nätverket", gives_assignments_to=[utskott])
    chair, member, sub2, sub1 = (builders.person(n) for n in ("Ordf", "Ledamot L", "Ersättare Två", "Ersättare Ett"))
    utskott.memberships = [
        Membership(person=chair, role="ordforande"),
        Membership(person=sub2, role="ersattare", substitute_order=2),
        Membership(person=member, role="ledamot"),
        Membership(person=sub1, role="ersattare", substitute_order=1),
    ]
    utskott.save_revision().publish()
    builders.instruction(
        utskott,
        "uppdrag",
        title="Uppdragsbeskrivning 2017",
        status="antagen",
        ordinary_seats=3,
        substitute_seats=2,
        meetings_per_year_min=4,
        meetings_per_year_max=4,
        referrers="ordföranden och kommunchefen",
    )

    html = employee_client.get(utskott.url).content.decode()
    assert "1 av 3 ordinarie ledamotsplatser vakant" in html
    assert html.index("Ersättare Ett") < html.index("Ersättare Två")
    assert html.index("Ordf") < html.index("Ledamot L") < html.index("Ersättare Ett")
    assert "Biträdande kommunchef" in html
    assert "Rapporterar till" in html and ">Kommunstyrelsen</a>" in html
    assert "Kan få uppdrag från" in html and ">Nätverket</a>" in html
    assert "Ersätter" in html and ">Kombrå</a>" in html
    assert "4 gånger per år" in html and "Uppdragsbeskrivning 2017" in html
    assert "Mer än hälften av ledamöterna närvarande" in html
    assert "KS 2016-12-07 (Dnr KS/2016:37)" in html

    # The inverse lines show on the other forums' pages.
    assert "Får rapporter från" in employee_client.get(ks.url).content.decode()
    assert "Kan ge uppdrag till" in employee_client.get(network.url).content.decode()
    assert "Ersatt av" in employee_client.get(old.url).content.decode()


def test_relations_to_a_closed_forum_are_not_shown(org, employee_client):
    secret = builders.forum(org, "slutet", title="Det slutna forumet")
    builders.restrict_to_groups(secret, builders.group("Slutna gruppen"))
    open_forum = builders.forum(org, "oppet", title="Det öppna forumet", reports_to=[secret])
    html = employee_client.get(open_forum.url).content.decode()
    assert "Det slutna forumet" not in html
    index_html = employee_client.get(org.url).content.decode()
    assert "Det slutna forumet" not in index_html and "Det öppna forumet" in index_html


def test_index_groups_by_level_and_lists_dissolved_forums_with_their_decision(org, employee_client):
    decision = Decision.objects.create(
        body="Kommunstyrelsen",
        body_abbreviation="KS",
        date="2016-12-07",
        case_number="KS/2016:37",
        summary="Kombrå upplöses",
    )
    builders.forum(org, "ks", title="Kommunstyrelsen", level="politisk")
    builders.forum(org, "lag", title="LAG Mantorp", level="operativ", kind="lokal_arbetsgrupp", locality="Mantorp")
    builders.forum(org, "kombra", title="Kombrå", status="upplost", dissolved_on="2016-12-07", dissolved_by=decision)
    html = employee_client.get(org.url).content.decode()
    assert html.index("Politisk nivå") < html.index("Kommunstyrelsen") < html.index("Operativ eller lokal nivå")
    assert html.index("Operativ eller lokal nivå") < html.index("LAG Mantorp")
    history = html[html.index("Historik: upplösta forum") :]
    assert "Kombrå" in history and "KS 2016-12-07 (Dnr KS/2016:37)" in history and "Kombrå upplöses" in history


def test_forum_page_queries_stay_constant_as_members_and_relations_grow(org, employee_client):
    forum = builders.forum(org, "utskott", title="Utskottet")
    builders.instruction(forum, "uppdrag", status="antagen", ordinary_seats=3)
    grow(forum, org, 2)
    small = queries_for(employee_client, forum.url)
    grow(forum, org, 10)
    assert queries_for(employee_client, forum.url) == small
    assert small <= 35  # the page also lists the forum's meetings and feeds since records landed


def test_index_page_queries_stay_constant_as_forums_grow(org, employee_client):
    forum = builders.forum(org, "natverk", title="Nätverket")
    grow(forum, org, 2)
    small = queries_for(employee_client, org.url)
    grow(forum, org, 10)
    assert queries_for(employee_client, org.url) == small
    # 20 for the page, 6 for the header's look and main menu (the setting, the section and its menu items, and the
    # visibility of the entries: the reader's local roles and memberships), the same on every page.
    assert small <= 26
