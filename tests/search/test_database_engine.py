"""The embedded engine's SQL, on postings written directly: what the compiled statement decides per entry."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from search import analysis, ranking, statistics
from search.analysis import Clause, Group, QueryPlan, plan_query
from search.engines import SearchQuery, database
from search.models import ReaderSet, SearchEntry, SearchTerm


def entry(page, title_inverse_length, terms, in_title):
    row = SearchEntry.objects.create(
        page=page,
        title=page.title,
        url="/",
        type="forumpage",
        type_label="forum",
        title_folded=page.title.lower(),
        title_inverse_length=title_inverse_length,
        reader_set_id=ReaderSet.objects.ids_for([frozenset({"authenticated"})])[frozenset({"authenticated"})],
    )
    SearchTerm.objects.bulk_create(SearchTerm(entry=row, term=t, weight=1.0, in_title=in_title) for t in terms)
    # Written past the indexer: the idf's term counts are counted here.
    statistics.recount()
    return row


@pytest.mark.django_db
def test_title_coverage_holds_for_more_query_terms_than_one_title_column_has_bits(demo):
    # 100 terms: the title bits spill into a second integer column; coverage must read both.
    terms = [f"ord{n}" for n in range(100)]
    assert len(terms) > database.TITLE_BITS
    in_title_page, in_body_page = Page.objects.filter(depth__gt=1)[:2]
    SearchEntry.objects.all().delete()
    entry(in_title_page, 0.5, terms, in_title=True)
    entry(in_body_page, 0.5, terms, in_title=False)
    plan = QueryPlan(
        text=" ".join(terms), clauses=[Clause(alternatives=[[Group(word=t, terms={t: 1.0})]]) for t in terms]
    )

    hits = database.search(SearchQuery(plan=plan, filters={}, principals=None)).hits

    scores = {hit.page_id: hit.score for hit in hits}
    assert scores[in_title_page.pk] == pytest.approx(scores[in_body_page.pk] * (1 + ranking.TITLE_BOOST * 0.5))


@pytest.mark.django_db
def test_a_compound_query_word_matches_an_entry_holding_all_its_parts_only(demo):
    first, second = Page.objects.filter(depth__gt=1)[:2]
    SearchEntry.objects.all().delete()
    entry(first, 1.0, ["trygghet", "råd"], in_title=False)
    entry(second, 1.0, ["trygghet"], in_title=False)
    word = Group(word="trygghetsråd", terms={"trygghetsråd": 1.0}, parts=("trygghet", "råd"))
    plan = QueryPlan(text="trygghetsråd", clauses=[Clause(alternatives=[[word]])])

    result = database.search(SearchQuery(plan=plan, filters={}, principals=None))

    assert [hit.page_id for hit in result.hits] == [first.pk]
    assert result.total == 1


def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the covering indexes are PostgreSQL's (the PostgreSQL pass of make test runs it)")


def index_columns(name):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) WHERE c.relname = %s",
            [name],
        )
        return {column for (column,) in cursor.fetchall()}


@pytest.mark.django_db
def test_postgresql_reads_the_matching_entries_from_an_index_alone(demo):
    on_postgresql()
    # A common word's matches are most of the index: read from their rows (which hold the text), they cost 546 MB
    # of reading at 100 000 pages. Every column the statement reads from the entries is in the facets index.
    query = SearchQuery(plan=plan_query("trygghet"), filters={}, principals=frozenset({"authenticated"}))
    sql, _params, _many = database._matching(query)
    read = set(re.findall(r"\be\.(\w+)", sql))
    assert {"id", "reader_set_id", "title_inverse_length", "type"} <= read
    assert read <= index_columns("search_entry_facets")


@pytest.mark.django_db
def test_the_statements_shortcuts_change_no_answer(site, monkeypatch):
    # Every query of the benchmark and the relevance cases, as an employee and as a superuser, answered by the
    # general statement and with each shortcut it takes: narrowed to the entries holding a rare term (wherever
    # the plan has such a driver), and a one-word query scored without the layers combining words. The totals,
    # facet counts and hits are the same.
    from search.bench import QUERIES
    from search.service import synonym_sets
    from tests.search.test_relevance_benchmark import benchmark_file, read_queries

    relevance = benchmark_file()  # shared/ beside the checkout; the benchmark's own queries are enough without it
    texts = [q for q in QUERIES if q] + [
        query for query, _pattern, _note in (read_queries(relevance) if relevance else [])
    ]
    texts += ["lokal arbetsgrupp skänninge trygghet", "KS 2017/215 beslut", "trygghetsrådet polisen"]
    synonyms = synonym_sets()
    general_only_word = database._only_word
    driven = one_word = 0

    def answer(text, principals, share, shortcut):
        monkeypatch.setattr(database, "DRIVER_SHARE", share)
        monkeypatch.setattr(database, "DRIVER_ENTRIES_SHARE", share)
        monkeypatch.setattr(database, "_only_word", general_only_word if shortcut else lambda plan: None)
        result = database.search(SearchQuery(plan=plan_query(text, synonyms), filters={}, principals=principals))
        return result.total, dict(result.facets), [(h.page_id, h.key, round(h.score, 9)) for h in result.hits]

    for text in texts:
        plan = plan_query(text, synonyms)
        frequency, count = statistics.frequencies(plan.terms())
        monkeypatch.setattr(database, "DRIVER_SHARE", 1.0)
        monkeypatch.setattr(database, "DRIVER_ENTRIES_SHARE", 1.0)
        driven += bool(database._driver(plan, frequency, count))
        one_word += general_only_word(plan) is not None
        for principals in (frozenset({"authenticated"}), None):
            general = answer(text, principals, -1.0, shortcut=False)
            assert answer(text, principals, 1.0, shortcut=False) == general, text
            assert answer(text, principals, -1.0, shortcut=True) == general, text
    # The benchmark's queries alone give 38 driven and 20 single words; the relevance cases add more.
    assert driven >= 35 and one_word >= 20


def test_the_driver_is_the_rarest_word_every_match_must_hold():
    counts = {"polis": 9000, "mantorp": 40, "lokal": 4000, "arbetsgrupp": 900, "arbete": 8000, "grupp": 2000}
    counts["skolan"] = 2100
    entries = 12_000

    def driver(text, **more):
        plan = plan_query(text)
        # As the engine reads them: the entries holding each of the plan's terms that the index holds.
        frequency = {t: n for t, n in {**counts, **more}.items() if t in plan.terms()}
        return database._driver(plan, frequency, entries)

    # Two words: both must match, so the rarer one drives.
    assert driver("polisen mantorp") == ["mantorp"]
    # Three words: a match may miss one, so it holds a term of one of the two rarest. A compound's candidates are
    # its own terms and its rarest part (an entry holding all parts holds that one): 900 + 2000 here, fewer than
    # the 4000 of `lokal`.
    assert driver("lokal arbetsgrupp mantorp") == ["arbetsgrupp", "grupp", "mantorp"]
    # A driver is not worth its lookup when it leaves most postings to read (2000 of 4100), or when it is held by
    # a large share of the entries (4000 of 12 000).
    assert driver("skolan gruppen") == []
    assert driver("polisen lokal") == []
    # A case number must match whatever else is written.
    assert driver("KS 2017/215 polisen", **{"#ks2017-215": 3}) == ["#ks2017-215"]


def titled(page, title, reader_set_id, key=""):
    return SearchEntry.objects.create(
        page=page,
        key=key,
        title=title,
        url=f"/{page.pk}/{key}",
        type="forumpage",
        type_label="Forum",
        title_folded=analysis.title_words(title),  # as the indexer stores it
        reader_set_id=reader_set_id,
    )


@pytest.mark.django_db
def test_titles_beginning_with_the_text_come_first_however_many_others_come_before_them(demo):
    pages = list(Page.objects.filter(depth__gt=1).order_by("path")[:32])
    SearchEntry.objects.all().delete()
    everyone, insiders = frozenset({"authenticated"}), frozenset({"group:1"})
    sets = ReaderSet.objects.ids_for([everyone, insiders])
    # Thirty titles with a later word beginning with the text, all before the one beginning with it in the alphabet.
    for number, page in enumerate(pages[:30]):
        titled(page, f"Arbetsgrupp {number:02} zetaprojektet", sets[everyone])
    titled(pages[30], "Zetarådet", sets[everyone])
    titled(pages[30], "Zetarådet § 1", sets[everyone], key="p1")  # a paragraph, not a page: never offered
    titled(pages[31], "Zetagruppen", sets[insiders])

    offered = [title for title, _url, _type in database.titles("zeta", everyone, 4)]
    assert offered == ["Zetarådet", *(f"Arbetsgrupp {n:02} zetaprojektet" for n in range(3))]
    # A superuser sees the closed page too, in the order of the folded titles.
    assert [title for title, _url, _type in database.titles("zeta", None, 3)] == [
        "Zetagruppen",
        "Zetarådet",
        "Arbetsgrupp 00 zetaprojektet",
    ]
    assert database.titles("zeta", frozenset(), 8) == []
    assert database.titles("zetarådet", everyone, 8) == [("Zetarådet", f"/{pages[30].pk}/", "Forum")]


@pytest.mark.django_db
def test_titles_are_read_from_the_index_of_page_titles_alone(demo):
    # At every keystroke: read from the entries' rows, `LIKE '% x%'` read every paragraph's text too (about 70 ms
    # on both cores at 100 000 pages on PostgreSQL). Each half of the lookup must be answered from the index alone.
    with CaptureQueriesContext(connection) as captured:
        database.titles("trygg", frozenset({"authenticated"}), 8)
    statements = [q["sql"] for q in captured.captured_queries if "title_folded LIKE" in q["sql"]]
    assert len(statements) in (1, 2)
    with connection.cursor() as cursor:
        for sql in statements:
            if connection.vendor == "postgresql":
                # The demo's index is small enough for PostgreSQL to prefer the table; at scale it does not.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Index Only Scan using search_entry_page_titles" in plan, plan
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                assert "USING COVERING INDEX search_entry_page_titles" in plan, plan
