"""The contract every engine keeps (search.engines.base.Engine), checked on each of them: the embedded one,
osmem-server, and a real cluster when ELASTICSEARCH_URL is set (skipped otherwise)."""

import datetime

import pytest

from safety_pages.models import ForumPage, Membership, Person
from search import analysis, engines
from search.engines import FACETS, SearchQuery
from search.index import writer
from search.models import SearchEntry
from tests import builders

EMPLOYEES = frozenset({"authenticated"})
CLOSED = "Säkerhetsskyddsgruppen"


@pytest.fixture
def chosen(engine):
    """The engine under test, as the registry gives it once the settings choose it."""
    return engines.primary()


def insiders(site):
    return EMPLOYEES | {f"group:{site['insiders'].pk}"}


def ask(engine, text, principals=EMPLOYEES, page=1, per_page=20, **filters):
    wanted = {name: set(filters.get(name, ())) for name in FACETS}
    query = SearchQuery(analysis.plan_query(text), wanted, page=page, per_page=per_page, principals=principals)
    return engine.search(query)


def found(engine, text, principals=EMPLOYEES, **filters):
    result = ask(engine, text, principals, **filters)
    titles = dict(SearchEntry.objects.filter(key="").values_list("page_id", "title"))
    return [titles.get(hit.page_id) for hit in result.hits if hit.key == ""]


@pytest.mark.django_db
def test_the_registry_picks_the_engine_the_settings_name_and_keeps_the_database_as_fallback(engine, chosen):
    assert chosen.available() and chosen.name == engine.replace("osmem", "elasticsearch")
    assert engines.fallback() is engines.DATABASE
    assert engines.copies() == ([] if chosen is engines.DATABASE else [chosen])


@pytest.mark.django_db
def test_search_ranks_the_page_named_first_and_says_which_engine_answered(site, chosen):
    result = ask(chosen, "säkerhetsutskott")
    assert result.engine == chosen.name
    assert found(chosen, "säkerhetsutskott")[0] == "Kommunstyrelsens trygghets- och säkerhetsutskott"
    assert result.total >= len(result.hits) > 0
    assert [hit.score for hit in result.hits] == sorted((hit.score for hit in result.hits), reverse=True)


@pytest.mark.django_db
def test_search_gives_only_what_the_principals_may_read(site, chosen):
    assert CLOSED not in found(chosen, "hemlig planering")
    assert ask(chosen, "hemlig planering").total == 0
    assert found(chosen, "hemlig planering", insiders(site)) == [CLOSED]
    assert found(chosen, "hemlig planering", None) == [CLOSED]  # a superuser reads everything
    assert ask(chosen, "", frozenset()).total == 0  # no principals: nothing


@pytest.mark.django_db
def test_each_facet_counts_under_the_other_facets_filters(site, chosen):
    everything = ask(chosen, "råd")
    narrowed = ask(chosen, "råd", section={"haninge"}, status={"upplost"})
    assert found(chosen, "råd", section={"haninge"}, status={"upplost"}) == ["BRÅ – brottsförebyggande rådet, upplöst"]
    assert narrowed.total == 1 < everything.total
    # The section facet counts without the section filter (other sections stay selectable), with the status filter.
    assert set(narrowed.facets["section"]) >= {"haninge", "mjolby"}
    assert narrowed.facets["status"]["upplost"] == 1 and len(narrowed.facets["status"]) > 1
    assert set(everything.facets) == set(FACETS)


@pytest.mark.django_db
def test_an_empty_query_lists_everything_readable_newest_first_page_by_page(site, chosen):
    first, second = ask(chosen, "", per_page=5), ask(chosen, "", page=2, per_page=5)
    readable = SearchEntry.objects.exclude(reader_set__principals__principal__in=[]).count()
    assert first.total == second.total > 5 and first.total <= readable
    assert len(first.hits) == 5 and not {(h.page_id, h.key) for h in first.hits} & {
        (h.page_id, h.key) for h in second.hits
    }
    assert ask(chosen, "", insiders(site)).total == first.total + 1  # the closed page
    assert ask(chosen, "", None).total > first.total + 1  # a superuser also reads the records not yet justerade


@pytest.mark.django_db
def test_titles_offer_the_readers_page_titles_by_prefix(site, chosen):
    offered = chosen.titles("kdl", EMPLOYEES, 8)
    assert [title for title, _url, _type in offered] == ["Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"]
    assert offered[0][1].startswith("/haninge/")
    assert chosen.titles("säkerhetss", EMPLOYEES, 8) == []
    assert [title for title, _url, _type in chosen.titles("säkerhetss", insiders(site), 8)] == [CLOSED]
    assert len(chosen.titles("trygghet", EMPLOYEES, 2)) == 2


@pytest.mark.django_db
def test_first_titles_are_the_readers_own(site, chosen):
    assert CLOSED not in chosen.first_titles(EMPLOYEES, 10_000)
    assert CLOSED in chosen.first_titles(insiders(site), 10_000)
    assert len(chosen.first_titles(EMPLOYEES, 3)) == 3


@pytest.mark.django_db
def test_sync_brings_changed_and_removed_pages_in_step_with_the_database_index(site, chosen):
    page = site["kdlg"]
    page.title = "Kommundirektörens ledningsgrupp – vilande styrgrupp"  # a word no demo page uses
    page.save_revision()  # a draft: not indexed until written below
    page.get_latest_revision().publish()
    writer.index_pages([page.pk], push=False)
    assert chosen.sync([page.pk]) is True
    assert found(chosen, "vilande") == [page.title]

    writer.remove_pages([page.pk], push=False)
    assert chosen.sync([page.pk]) is True
    assert found(chosen, "vilande") == []
    assert chosen.replay_pending() == (0, 0)


@pytest.mark.django_db
def test_rebuild_copies_the_whole_database_index(site, chosen):
    SearchEntry.objects.filter(page=site["bra"]).delete()  # past the writer: only a rebuild brings this in step
    rebuilt = chosen.rebuild()
    assert rebuilt.documents == SearchEntry.objects.count()
    assert "BRÅ – brottsförebyggande rådet, upplöst" not in found(chosen, "BRÅ", None)
    assert found(chosen, "Kdlg")[0] == "Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"


# --- what a reader sees in the API and on /sok/, on every engine ---------------------------------------------------

CASE_PAGE = "/arenden/mjolby/ks-2017-152/"


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "dnr", ["KS/2017:152", "Dnr KS/2017:152", "KS 2017/152", "KS2017/152", "ks 2017 152", "ks-2017-152"]
)
def test_a_case_number_puts_the_case_page_first_then_its_paragraphs(engine, client_for, dnr):
    reader = client_for("medarbetare")
    results = api(reader, q=dnr)["results"]
    assert results[0]["url"] == CASE_PAGE and results[0]["type"] == "case"
    assert results[0]["title"] == "KS/2017:152" and "Medborgardialog" in results[0]["excerpt"]
    assert [r["url"] for r in results].count(CASE_PAGE) == 1  # several records handle it: one hit
    # Then what handled it: its paragraph, the record and the missiv filed under the number, before anything else.
    handled = results[1:4]
    assert "§ 36 Medborgardialog inom området trygghet och säkerhet" in [r["title"] for r in handled]
    assert {r["type"] for r in handled} <= {"paragraph", "meetingrecordpage", "attachment"}
    page = reader.get("/sok/", {"q": dnr}).content.decode()
    assert CASE_PAGE in page
    assert reader.get(CASE_PAGE).status_code == 200  # the hit leads somewhere the reader may go


@pytest.mark.django_db
def test_a_case_handled_only_where_the_reader_may_not_read_is_no_hit(site, engine, client_for):
    marker = "Kvastfeningsärende"  # a word no demo page uses
    case = builders.case("KS/2031:7", title=f"{marker} om skyddsobjekt")
    day = datetime.date(2026, 3, 3)
    closed = builders.record(site["closed"], date=day, adjusted_on=day, paragraphs=[builders.paragraph(1, case=case)])
    # Beside a paragraph everyone may read, so the record itself is a hit for the reader: only the case is not.
    secret = builders.record(
        site["utskott"],
        date=day,
        adjusted_on=day,
        paragraphs=[builders.paragraph(1, "Öppen paragraf"), builders.secret_paragraph(2, case=case)],
    )
    writer.index_pages([closed.pk, secret.pk, site["closed"].pk], push=False)
    if engine != "database":
        engines.primary().rebuild()
    reader = client_for("medarbetare")
    url = f"/arenden/mjolby/{case.normalised_number}/"
    for query in ("KS/2031:7", marker):
        assert url not in [r["url"] for r in api(reader, q=query)["results"]]
        assert url not in reader.get("/sok/", {"q": query}).content.decode()
    assert reader.get(url).status_code == 404  # the case page's own rule agrees
    # A member of the utskott may read its sekretess paragraph: for them the case page is a hit, and opens.
    member = client_for("ledamot")
    assert url in [r["url"] for r in api(member, q="KS/2031:7")["results"]]
    assert member.get(url).status_code == 200


@pytest.mark.django_db
def test_results_read_as_the_reader_sees_the_pages(engine, client_for):
    reader = client_for("medarbetare")
    data = api(reader, q="medborgardialog bakgrund")
    excerpts = " ".join(r["excerpt"] for r in data["results"])
    assert "Bakgrund" in excerpts or "bakgrund" in excerpts
    assert "#" not in excerpts and "ks-2017-" not in excerpts  # no heading markers, no address keys
    assert "ks-2017-" not in " ".join(r["excerpt"] for r in api(reader, q="KS/2017:215")["results"])


@pytest.mark.django_db
def test_hits_are_dated_by_what_the_date_means(site, engine, client_for):
    data = api(client_for("medarbetare"), q="trygghets- och säkerhetsutskottet")
    by_type = {}
    for result in data["results"]:
        by_type.setdefault(result["type"], []).append(result)
    assert all(r["date"] is None for r in by_type["forumpage"])  # a forum: no date, never today's
    record = next(r for r in by_type["meetingrecordpage"] if r["title"].endswith("2017-09-13"))
    assert record["date"] == "2017-09-13"  # a record: its meeting
    assert all(r["date"] == "2017-09-13" for r in by_type.get("paragraph", []) if "2017-09-13" in r["url"])


@pytest.mark.django_db
def test_two_forums_of_one_name_are_told_apart_by_their_municipality(engine, client_for):
    reader = client_for("medarbetare")
    labels = [item["label"] for item in api(reader, q="kommunstyrelsen")["facets"]["forum"]]
    # Named with the municipality's page title, as the section facet names it.
    assert {"Kommunstyrelsen – Mjölby kommun", "Kommunstyrelsen – Haninge kommun"} <= set(labels)
    assert not [label for label in labels if label == "Kommunstyrelsen"]
    assert len(labels) == len(set(labels))
    page = reader.get("/sok/", {"q": "kommunstyrelsen"}).content.decode()
    assert "Kommunstyrelsen – Mjölby kommun" in page


# --- people: each page listing a person gives a hit of the person page, with that page's readers ------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "where", "role"),
    [
        ("Carina Brofeldt", "trygghets- och säkerhetsutskott", "föredragande"),
        ("Paul Håkansson", "Trygghetsrådet", "permanent medlem"),
        # Listed only in attendance: the first of the records listing her (each a hit of her page).
        ("Helena Westman", "2017", "handläggare §"),
    ],
)
def test_a_name_finds_the_persons_page_first_with_forum_and_role(engine, client_for, name, where, role):
    reader = client_for("medarbetare")
    person = Person.objects.get(name=name)
    results = api(reader, q=name)["results"]
    assert results[0]["url"] == person.get_absolute_url() and results[0]["type"] == "person", results[:3]
    assert results[0]["title"] == name
    assert where in results[0]["excerpt"] and role in results[0]["excerpt"].lower()
    assert [r["url"] for r in results].count(person.get_absolute_url()) == 1  # listed by several pages: one hit
    assert reader.get(results[0]["url"]).status_code == 200  # the hit leads somewhere the reader may go


@pytest.mark.django_db
def test_a_role_and_a_forum_find_who_holds_it(engine, client_for, django_capture_on_commit_callbacks):
    person = builders.person("Ingrid Ordfsson", title="Kommunstyrelsens vice ordförande")
    # Saved on its own (not by publishing the forum): the membership's signal writes the forum's hits again.
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(forum=ForumPage.objects.get(slug="trygghetsradet"), person=person, role="ordforande")
    urls = [r["url"] for r in api(client_for("medarbetare"), q="ordförande trygghetsrådet Linköping")["results"][:3]]
    assert person.get_absolute_url() in urls


@pytest.mark.django_db
def test_a_person_only_in_a_closed_forum_is_found_only_by_its_readers(
    site, engine, client_for, client, django_capture_on_commit_callbacks
):
    marker = "Kvastfeningsdotter"  # a name no demo page uses
    person = builders.person(f"Gunvor {marker}", title="Skyddsstrateg")
    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.create(forum=site["closed"], person=person, role="ordforande")
    outsider = client_for("medarbetare")
    assert api(outsider, q=marker)["total"] == 0
    assert person.get_absolute_url() not in outsider.get("/sok/", {"q": marker}).content.decode()
    assert outsider.get(person.get_absolute_url()).status_code == 404  # the person page's own rule agrees
    insider = builders.user("skyddsinsider")
    insider.groups.add(site["insiders"])
    client.force_login(insider)
    results = api(client, q=marker)["results"]
    assert results[0]["url"] == person.get_absolute_url() and "Säkerhetsskyddsgruppen" in results[0]["excerpt"]


@pytest.mark.django_db
def test_a_renamed_person_is_found_by_the_new_name_only(engine, client_for, django_capture_on_commit_callbacks):
    person = Person.objects.get(name="Carina Brofeldt")
    person.name = "Carina Kvastfeldt"
    with django_capture_on_commit_callbacks(execute=True):
        person.save()  # in the register: every page listing her is written again
    reader = client_for("medarbetare")
    assert api(reader, q="Kvastfeldt")["results"][0]["url"] == person.get_absolute_url()
    assert person.get_absolute_url() not in [r["url"] for r in api(reader, q="Brofeldt")["results"]]
