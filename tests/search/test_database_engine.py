"""The embedded engine's SQL, on postings written directly: what the compiled statement decides per entry."""

import pytest
from wagtail.models import Page

from search import ranking
from search.analysis import Clause, Group, QueryPlan
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
