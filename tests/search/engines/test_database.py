"""The embedded engine on postings written directly: what it decides per entry."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from search import analysis, ranking
from search.analysis import Clause, Group, QueryPlan
from search.engines import SearchQuery
from search.engines.database import query as database
from search.index import statistics
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
    # 100 terms, each its own word: the title covers the query only if every one of them is in it.
    terms = [f"ord{n}" for n in range(100)]
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
    # At every keystroke: read from the entries' rows, `LIKE '% x%'` read every paragraph's text too (too slow at
    # scale, docs/benchmarks.md). Each half of the lookup must be answered from the index alone.
    with CaptureQueriesContext(connection) as captured:
        database.titles("trygg", frozenset({"authenticated"}), 8)
    statements = [q["sql"] for q in captured.captured_queries if "title_folded LIKE" in q["sql"]]
    assert len(statements) in (1, 2)
    with connection.cursor() as cursor:
        for sql in statements:
            if connection.vendor == "postgresql":
                # The demo's index is small enough for PostgreSQL to prefer the table, or a bitmap of the index
                # with a visit to the table; at scale it does not.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_bitmapscan = off")
                cursor.execute(f"EXPLAIN {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Index Only Scan using search_entry_page_titles" in plan, plan
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
                assert "USING COVERING INDEX search_entry_page_titles" in plan, plan
