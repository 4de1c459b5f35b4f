"""The snapshot of the index each app server holds (search.engines.database.snapshot) answers as one read afresh
from the database, after every kind of change, whoever made it."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from search import analysis
from search.engines import FACETS, SearchQuery, warm_start
from search.engines.database import query as database
from search.engines.database import snapshot as memory
from search.models import EntryChange, ReaderSet, SearchEntry, TermStatistic
from search.service import synonym_sets
from tests import builders

EMPLOYEE = frozenset({"authenticated"})
TEXTS = ["trygghet", "nattvandring", "Kdlg", "brottsförebyggande råd", "lokal arbetsgrupp skänninge", ""]


def answers(principals=EMPLOYEE, texts=TEXTS, filters=None):
    """(text, total, facets, hits) of each text, as the engine gives them."""
    synonyms = synonym_sets()
    found = []
    for text in texts:
        wanted = filters or {name: set() for name in FACETS}
        result = database.search(
            SearchQuery(plan=analysis.plan_query(text, synonyms), filters=wanted, principals=principals)
        )
        facets = {name: dict(counts) for name, counts in result.facets.items()}
        hits = [(h.page_id, h.key, round(h.score, 6)) for h in result.hits]
        found.append((text, result.total, facets, hits))
    return found


@pytest.fixture
def loads(monkeypatch):
    """How many times a snapshot read everything again."""
    counted = []
    load = memory.Snapshot.load

    def counting(self):
        counted.append(1)
        return load(self)

    monkeypatch.setattr(memory.Snapshot, "load", counting)
    return counted


def nattvandrare(index):
    return builders.forum(
        index,
        "nattvandrare",
        "Nattvandrarnas trygghetsnätverk",
        kind="natverk",
        level="operativ",
        purpose="<p>Nattvandring i Skänninge på helgerna, tillsammans med polisen: zetavandringen.</p>",
    )


@pytest.mark.django_db
def test_a_kept_snapshot_answers_as_a_fresh_one_after_each_change(site, loads):
    answers(None)  # the snapshot now holds the postings of every text
    index = site["kombra"].get_parent()
    page = nattvandrare(index)
    changes = [
        ("published", lambda: None),
        ("title edited", lambda: _republish(page, "Nattvandrarnas nätverk för trygghet i Skänninge")),
        ("closed to a group", lambda: builders.restrict_to_groups(page, site["insiders"])),
        ("opened again", lambda: PageViewRestriction.objects.filter(page=page).delete()),
        ("moved", lambda: page.move(site["bra"].get_parent(), pos="last-child")),
        ("unpublished", lambda: site["kdlg"].unpublish()),
        ("deleted", lambda: page.delete()),
    ]
    for name, change in changes:
        change()
        loaded_before = len(loads)
        for principals in (EMPLOYEE, None):
            kept = answers(principals)
            assert len(loads) == loaded_before, f"{name}: the change was applied, not read afresh"
            memory.forget()
            fresh = answers(principals)
            assert kept == fresh, name
            loaded_before = len(loads)
    # The changes were seen: the page is gone, and nothing else is left of it.
    assert not [hits for _text, _total, _facets, hits in answers(None) if any(h[0] == page.pk for h in hits)]


def _republish(page, title):
    page.title = title
    page.save_revision().publish()


@pytest.mark.django_db
def test_an_entry_changed_past_the_indexer_is_seen(site):
    # The triggers log every change of an entry, not only the indexer's: here an entry closed by hand.
    assert any(h[0] == site["kdlg"].pk for h in answers(texts=["Kdlg"])[0][3])
    insiders = ReaderSet.objects.ids_for([frozenset({"group:nobody"})])[frozenset({"group:nobody"})]
    SearchEntry.objects.filter(page=site["kdlg"]).update(reader_set_id=insiders)
    assert not any(h[0] == site["kdlg"].pk for h in answers(texts=["Kdlg"])[0][3])


@pytest.mark.django_db
def test_a_rolled_back_change_is_not_kept(site, loads):
    answers()
    index = site["kombra"].get_parent()
    with pytest.raises(RuntimeError), transaction.atomic():
        nattvandrare(index)
        # A search in the same transaction sees the page, and the snapshot applies its entries.
        assert answers(texts=["zetavandringen"])[0][1] == 1
        raise RuntimeError
    loaded = len(loads)
    # The change the snapshot applied is no longer in the log: it reads everything again.
    assert answers(texts=["zetavandringen"])[0][1] == 0
    assert len(loads) == loaded + 1


@pytest.mark.django_db
def test_a_snapshot_older_than_the_log_reads_everything_again(site, loads):
    before = answers()
    nattvandrare(site["kombra"].get_parent())
    memory.prune(keep=0)  # the change the snapshot applied last is gone from the log
    assert not EntryChange.objects.exists()
    loaded = len(loads)
    after = answers()
    assert len(loads) == loaded + 1
    assert after != before
    memory.forget()
    assert answers() == after


@pytest.mark.django_db
def test_many_changes_at_once_are_read_afresh(site, loads, monkeypatch):
    answers()
    monkeypatch.setattr(memory, "MAX_CHANGES", 1)
    nattvandrare(site["kombra"].get_parent())
    nattvandrare(site["bra"].get_parent())  # two pages: more changes than one
    loaded = len(loads)
    kept = answers()
    assert len(loads) == loaded + 1
    memory.forget()
    assert answers() == kept


@pytest.mark.django_db
def test_postings_beyond_the_budget_are_dropped_and_read_again(site, settings):
    full = answers(None)
    settings.SEARCH_MEMORY_POSTINGS = 1
    memory.forget()
    assert answers(None) == full
    with memory.snapshot() as index:
        # Only the terms of the last text that asked for any are held (the empty text asks for none).
        assert set(index.postings) <= analysis.plan_query(TEXTS[-2], synonym_sets()).terms()


@pytest.mark.django_db
def test_terms_asked_for_again_are_not_read_again(site):
    answers(texts=["brottsförebyggande råd"])
    with CaptureQueriesContext(connection) as captured:
        answers(texts=["brottsförebyggande råd"])
    read = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in read if "search_searchterm" in sql], read
    # The synonyms, the statistics, the change log, the reader sets, the pages held back (search.models.PendingRemoval)
    # and the hits' rows.
    assert len(read) == 6, read


@pytest.mark.django_db
def test_a_change_that_failed_to_apply_is_read_afresh_at_the_next_search(site, loads, monkeypatch):
    answers()
    nattvandrare(site["kombra"].get_parent())
    apply = memory.Snapshot._apply

    def failing(self, changed):
        monkeypatch.setattr(memory.Snapshot, "_apply", apply)
        self.reader_sets[:] = 0  # as if it had failed halfway
        raise ConnectionError("the database went away")

    monkeypatch.setattr(memory.Snapshot, "_apply", failing)
    with pytest.raises(ConnectionError):
        answers()
    loaded = len(loads)
    assert answers(texts=["zetavandringen"])[0][1] == 1
    assert len(loads) == loaded + 1


def postings_read(texts):
    """The statements of these searches that read postings from the database."""
    with CaptureQueriesContext(connection) as captured:
        answers(texts=texts)
    return [q["sql"] for q in captured.captured_queries if "search_searchterm" in q["sql"]]


@pytest.mark.django_db
def test_a_warm_start_reads_the_commonest_terms_before_the_first_search(site):
    memory.forget()
    statistics = TermStatistic.objects.exclude(term="").order_by("-entries", "term")
    commonest = [s.term for s in statistics[:3]]
    budget = sum(s.entries for s in statistics[:3])
    # Within the budget, the commonest first: a rarer term is left to the search that asks for it.
    assert memory.commonest_terms(budget) == commonest
    assert memory.warm(budget) == (SearchEntry.objects.count(), 3, budget)
    with memory.snapshot() as index:
        assert list(index.postings) == commonest


@pytest.mark.django_db
def test_a_new_app_server_answers_its_first_searches_from_memory(site, settings):
    settings.SEARCH_WARM_POSTINGS = 10_000_000
    memory.forget()
    cold = answers()
    memory.forget()
    warm_start("blocking")
    # Nothing read afresh: the same answers, and no posting read from the database.
    assert postings_read(TEXTS) == []
    assert answers() == cold


@pytest.mark.django_db
def test_no_warm_start_when_switched_off_or_elasticsearch_answers(site, settings):
    memory.forget()
    warm_start("off")
    assert postings_read(["trygghet"]) != []
    memory.forget()
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    assert warm_start("blocking") is None
    settings.ELASTICSEARCH_URL = ""
    assert postings_read(["trygghet"]) != []


@pytest.mark.django_db(transaction=True)
def test_a_background_warm_start_lets_the_server_start_at_once(site, settings):
    settings.SEARCH_WARM_POSTINGS = 10_000_000
    memory.forget()
    thread = warm_start("background")
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert postings_read(TEXTS) == []
