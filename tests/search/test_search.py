"""Searching as a reader: the API, the search page, facets, autocomplete and relevance on our own content."""

import pytest

from search import service
from search.index.writer import index_pages
from search.service import suggest


def api(client, **params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(data):
    return [r["title"] for r in data["results"]]


@pytest.fixture
def reader(site, client_for):
    return client_for("medarbetare")


UTSKOTT = "Kommunstyrelsens trygghets- och säkerhetsutskott"

# One case per analysis feature: (query, the title that must come first).
CASES = [
    # The demo's instruction for the utskott repeats the forum's name in a longer title and in its text;
    # title coverage (search.ranking) puts the forum, whose shorter title the name fills, first.
    ("trygghets- och säkerhetsutskottet", UTSKOTT),  # full name
    ("säkerhetsutskott", UTSKOTT),  # compound, other inflection
    ("säkerhetsutskottets", UTSKOTT),  # genitive
    ("skanninge", "LAG Skänninge – lokal arbetsgrupp"),  # without diacritics
    ("sakerhetsutskottet", UTSKOTT),  # a compound without diacritics, whose Snowball stem would differ
    ("sakerhetsradet", "Trygghets- och säkerhetsrådet"),
    ("lokal arbetsgrupp Skänninge", "LAG Skänninge – lokal arbetsgrupp"),  # synonym of LAG
    ("strategiska nätverket", "Strategiskt nätverk för trygghet och säkerhet"),  # inflected adjective and noun
    ("brottsförebyggande råd Haninge", "BRÅ – brottsförebyggande rådet, upplöst"),  # section context
    ("BRÅ", "BRÅ – brottsförebyggande rådet, upplöst"),  # abbreviation
    ("kommundirektörens ledningsgrupp", "Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"),
    ("Kdlg", "Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"),
    ("styrgrupp", "Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"),
    ("uppdragsbeskrivning utskott", "Uppdragsbeskrivning för utskottet"),
    ("KS 2015/99", "Strategiskt nätverk för trygghet och säkerhet"),  # case number, other form
    ("Dnr KS/2015:99", "Strategiskt nätverk för trygghet och säkerhet"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("query,expected", CASES)
def test_the_right_page_comes_first(reader, query, expected):
    assert titles(api(reader, q=query))[0] == expected


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["trygghets- och säkerhetsutskottet", "säkerhetsutskottets"])
def test_the_forum_ranks_above_its_instruction_on_every_engine(engine, client_for, query):
    data = api(client_for("medarbetare"), q=query)
    assert data["engine"] == ("database" if engine == "database" else "elasticsearch")
    found = titles(data)
    assert found[0] == UTSKOTT
    # The instruction still follows: the factor reorders, it does not hide.
    assert any(t.startswith("Uppdragsbeskrivning och arbetsformer") for t in found[1:4])


@pytest.mark.django_db
def test_a_part_of_a_compound_finds_the_compound(reader):
    found = titles(api(reader, q="råd"))
    assert "Trygghets- och säkerhetsrådet" in found
    assert "Kombrå – brottsförebyggande rådet, upplöst" in found


@pytest.mark.django_db
def test_an_exact_match_ranks_above_the_folded_one(site, reader):
    site["radet"].purpose = "<p>Möten i Skanninge bygdegård.</p>"  # a misspelling in another page
    site["radet"].save_revision().publish()
    index_pages([site["radet"].pk])
    assert titles(api(reader, q="Skänninge"))[0] == "LAG Skänninge – lokal arbetsgrupp"


@pytest.mark.django_db
def test_api_answers_in_the_documented_format(reader):
    data = api(reader, q="råd")
    assert set(data) == {"query", "total", "page", "results", "facets", "engine", "took_ms"}
    assert data["query"] == "råd" and data["page"] == 1 and data["engine"] == "database"
    assert set(data["results"][0]) == {"title", "url", "type", "excerpt", "date", "forum", "score"}
    assert set(data["facets"]) == {"type", "forum", "section", "year", "tag", "status"}
    assert all(set(item) == {"value", "label", "count"} for items in data["facets"].values() for item in items)


@pytest.mark.django_db
def test_excerpts_mark_the_matching_words_and_escape_the_text(reader):
    data = api(reader, q="krisberedskap")
    assert "<mark>krisberedskap</mark>" in data["results"][0]["excerpt"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params,message",
    [
        ({"page": "abc"}, "heltal"),
        ({"page": "0"}, "mellan"),
        ({"year": "17"}, "fyra siffror"),
        ({"forum": "kombra"}, "id-nummer"),
    ],
)
def test_bad_parameters_get_400_with_a_message(reader, params, message):
    response = reader.get("/api/search/", {"q": "råd", **params})
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert reader.get("/sok/", {"q": "råd", **params}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("query", ['"råd', "råd*", "type:forum", "((råd", "]]", "x" * 10_000, "KS/:", "\\", "%_%"])
def test_any_query_answers(reader, query):
    assert reader.get("/api/search/", {"q": query}).status_code == 200
    assert reader.get("/sok/", {"q": query}).status_code == 200
    assert reader.get("/api/search/autocomplete/", {"q": query}).status_code == 200


@pytest.mark.django_db
def test_empty_query_with_filters_lists_everything_matching(site, reader):
    data = api(reader, q="", section="haninge", type="forumpage")
    found = {r["title"] for r in data["results"]}
    assert {"BRÅ – brottsförebyggande rådet, upplöst", "Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"} <= found
    assert all(r["url"].startswith("/haninge/") and r["type"] == "forumpage" for r in data["results"])
    assert data["total"] == len(data["results"])


@pytest.mark.django_db
def test_facets_combine_and_count(site, reader):
    data = api(reader, q="råd")
    sections = {f["value"]: f["count"] for f in data["facets"]["section"]}
    assert sections["mjolby"] >= 2 and sections["haninge"] >= 1
    narrowed = api(reader, q="råd", section="haninge", status="upplost")
    assert titles(narrowed) == ["BRÅ – brottsförebyggande rådet, upplöst"]
    # A facet counts what the other filters leave, so other sections stay selectable.
    assert {f["value"] for f in narrowed["facets"]["section"]} >= {"mjolby", "haninge"}
    both = api(reader, q="råd", section=["haninge", "mjolby"], status="upplost")
    assert both["total"] == 2


@pytest.mark.django_db
def test_pagination(site, reader):
    everything = api(reader, q="")
    assert everything["total"] > 2
    first = service.PER_PAGE
    second = api(reader, q="", page=2)
    assert second["page"] == 2 and len(second["results"]) == min(first, everything["total"] - first)
    assert not {r["url"] for r in second["results"]} & {r["url"] for r in everything["results"]}


@pytest.mark.django_db
def test_search_page_shows_results_facets_and_filters(reader):
    page = reader.get("/sok/", {"q": "råd"}).content.decode()
    assert "Trygghets- och säkerhetsrådet" in page
    assert "<fieldset" in page and "<legend>Kommun</legend>" in page
    assert 'type="checkbox" name="section" value="haninge"' in page
    assert "<mark>" in page


@pytest.mark.django_db
def test_no_results_suggest_a_spelling(reader):
    page = reader.get("/sok/", {"q": "säkerhetsutskot nätverkk"}).content.decode()
    assert "Menade du" in page
    assert "nätverk" in page


@pytest.mark.django_db
def test_a_spelling_comes_from_a_page_title_however_much_was_indexed_before_it(site):
    employees, insiders = frozenset({"authenticated"}), frozenset({"authenticated", f"group:{site['insiders'].pk}"})
    # No title at all from the start of the index (at 100 000 pages its first titles are a small share): the
    # page titles whose words begin as the typed ones do are read for the words not found.
    assert suggest("lag skäninge", employees, limit_words=0) == "lag skänninge"
    # Also when the slip is in the first letters: two swapped, or one too many.
    assert suggest("ksänninge", employees, limit_words=0) == "skänninge"
    assert suggest("sxkänninge", employees, limit_words=0) == "skänninge"
    # A closed page's title lends its words only to its readers.
    assert suggest("säkerhetsskyddsgrupen", employees, limit_words=0) == ""
    assert suggest("säkerhetsskyddsgrupen", insiders, limit_words=0) == "säkerhetsskyddsgruppen"


@pytest.mark.django_db
def test_autocomplete_offers_titles(reader):
    # A word in brackets, or after a slash, begins a word as any other does.
    for typed in ("kdl", "(Kdl", "ledningsgrupp (kdlg) –"):
        results = reader.get("/api/search/autocomplete/", {"q": typed}).json()["results"]
        assert [r["title"] for r in results] == ["Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"], typed
    assert reader.get("/api/search/autocomplete/", {"q": "(("}).json()["results"] == []
    results = reader.get("/api/search/autocomplete/", {"q": "kommundir"}).json()["results"]
    assert [r["title"] for r in results] == ["Kommundirektörens ledningsgrupp (Kdlg) – styrgrupp"]
    results = reader.get("/api/search/autocomplete/", {"q": "skann"}).json()["results"]
    assert [r["title"] for r in results] == ["LAG Skänninge – lokal arbetsgrupp"]


@pytest.mark.django_db
def test_a_search_costs_a_fixed_number_of_queries(reader, django_assert_max_num_queries):
    # The first search of a process reads the index into memory (search.engines.database.snapshot): entries, tags
    # and the change log.
    api(reader, q="polisen")
    # Then: the session and the user, the synonyms, the reader's groups, the terms' statistics, the change log, the
    # postings of terms no search asked for before, the reader sets, the pages held back (search.models.
    # PendingRemoval), the hits' rows (twice), and what of the pages the search names the reader may see (labels are
    # content, issue 19): visibility's restricted depths, editor groups and forum memberships (two), then one query
    # for the hits' pages, forums and sections; with a section filter, visibility is asked about it before the
    # search too (the editor groups and that query again).
    with django_assert_max_num_queries(18):
        api(reader, q="brottsförebyggande råd", section="haninge")
    with django_assert_max_num_queries(14):
        api(reader, q="")


@pytest.mark.django_db
def test_a_steering_document_is_dated_by_the_decision_that_adopted_it(demo, client_for):
    # The demo's 2012 action plan names the decision that adopted it (KS 2012-11-26 § 259), not a date of its own:
    # the year a reader filters by is that decision's, not the day the page was published.
    data = api(client_for("medarbetare"), q="handlingsplan trygghetsskapande åtgärder", year="2012")
    hit = next(r for r in data["results"] if r["title"].startswith("Handlingsplan tillhörande strategi"))
    assert hit["date"] == "2012-11-26"
    assert {"value": "2012", "label": "2012", "count": data["total"]} in data["facets"]["year"]
