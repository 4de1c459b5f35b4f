"""The term statistics (search.index.statistics) stay what counting the index afresh gives, whatever editors do."""

from django.db.models import Count

from search.index import statistics
from search.index import writer as indexer
from search.models import ALL_ENTRIES, SearchEntry, SearchTerm, TermStatistic
from tests import builders


def kept():
    return dict(TermStatistic.objects.values_list("term", "entries"))


def counted():
    counts = dict(SearchTerm.objects.values("term").annotate(n=Count("*")).values_list("term", "n"))
    return {**counts, ALL_ENTRIES: SearchEntry.objects.count()}


def test_the_loaded_demo_has_the_statistics_of_its_index(site):
    assert kept()["trygghet"] > 10
    assert kept() == counted()


def test_publishing_changing_moving_unpublishing_and_deleting_keep_them(site):
    index = site["kombra"].get_parent()
    page = builders.forum(index, "ny", "Nattvandrarnätverket", kind="natverk", level="operativ")
    assert kept()["nattvandr+nätverk"] == 1
    assert kept() == counted()

    page.title = "Fältgruppen för nattvandring"
    page.save_revision().publish()
    assert "nattvandr+nätverk" not in kept()
    assert kept() == counted()

    page.move(site["bra"].get_parent(), pos="last-child")
    assert kept() == counted()

    builders.restrict_to_groups(site["kdlg"], site["insiders"])
    assert kept() == counted()

    site["kdlg"].unpublish()
    assert kept() == counted()

    entries = kept()[ALL_ENTRIES]
    # The utskott's subtree holds its instruction and records with paragraphs: all of their entries go.
    site["utskott"].delete()
    assert kept()[ALL_ENTRIES] < entries - 1
    assert kept() == counted()


def test_the_engine_reads_which_terms_the_index_holds_from_them(site, client_for):
    reader = client_for("medarbetare")
    assert reader.get("/api/search/", {"q": "trygghet"}).json()["total"] > 0
    TermStatistic.objects.filter(term__in=["trygg", "trygghet"]).delete()
    # The statistics say which of the query's terms the index holds: none, so the statement is not even run.
    assert reader.get("/api/search/", {"q": "trygghet"}).json()["total"] == 0


def test_a_rebuild_mends_statistics_that_drifted(site):
    TermStatistic.objects.filter(term="trygghet").update(entries=1)
    TermStatistic.objects.create(term="inget-sådant-ord", entries=3)

    indexer.rebuild()

    assert kept() == counted()


def test_changes_that_cancel_out_leave_no_rows_behind(site):
    statistics.add({"tillfälligt": 2})
    statistics.add({"tillfälligt": -2})
    assert "tillfälligt" not in kept()
