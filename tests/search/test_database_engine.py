"""The embedded engine's SQL, on postings written directly: what the compiled statement decides per entry."""

import re

import pytest
from django.db import connection, transaction
from wagtail.models import Page

from search import ranking
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
def test_postgresql_reads_the_matching_entries_and_term_counts_from_indexes_alone(demo):
    on_postgresql()
    # A common word's matches are most of the index: read from their rows (which hold the text), they cost 546 MB
    # of reading at 100 000 pages. Every column the statement reads from the entries is in the facets index.
    query = SearchQuery(plan=plan_query("trygghet"), filters={}, principals=frozenset({"authenticated"}))
    sql, _params, _many = database._matching(query)
    read = set(re.findall(r"\be\.(\w+)", sql))
    assert {"id", "reader_set_id", "title_inverse_length", "type"} <= read
    assert read <= index_columns("search_entry_facets")
    # Counting a term's entries reads the postings index alone (COUNT(id) would read every posting's row).
    counts = database.document_frequencies(["trygghet", "råd"])
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN " + str(counts.query.sql_with_params()[0]), counts.query.sql_with_params()[1])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Index Only Scan using search_term_covering" in plan
