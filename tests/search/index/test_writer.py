"""The indexer reads what a batch of pages shares once; what it writes is what each page alone would give."""

import datetime
import threading
import time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from safety_pages.access.visibility import page_principals
from search.index import sources, statistics
from search.index import writer as indexer
from search.models import ReaderSet, SearchEntry, SearchTerm, TermStatistic
from tests import builders


def stored(page):
    """(key, title, heading, body, context, type, forum, section, status, tags, principals) of the page's own hits."""
    entries = SearchEntry.objects.filter(page=page).exclude(type="attachment")
    entries = entries.prefetch_related("tags", "reader_set__principals")
    return sorted(
        (
            e.key,
            e.title,
            e.heading,
            e.body,
            e.context,
            e.type,
            e.forum,
            e.section,
            e.status,
            sorted(t.tag for t in e.tags.all()),
            e.reader_set.principal_list(),
        )
        for e in entries
    )


def alone(page):
    """The same, computed for the page by itself, outside any batch (each part read with its own queries)."""
    readers = sorted(page_principals(page))
    return sorted(
        (d.key, d.title, d.heading, d.body, d.context, d.type, d.forum, d.section, d.status, sorted(d.tags), readers)
        for d in sources.entries_for(page)
    )


def test_a_batch_indexes_each_page_as_it_would_be_indexed_alone(site):
    # Beside the demo's records, tags and dialogue reports: a group-closed forum with a page below it and an
    # alias elsewhere, which takes its source's restrictions, and a forum with a record not yet justerad.
    closed = site["closed"]
    builders.instruction(closed, "uppdrag", "Uppdrag för säkerhetsskyddsgruppen")
    closed.create_alias(parent=site["radet"], update_slug="sakerhetsskydd-kopia")
    own = builders.forum("mjolby", "indexeringsforum")
    builders.record(own, "oppet", date=datetime.date(2026, 3, 1), adjusted_on=datetime.date(2026, 3, 8))
    builders.record(
        own,
        "stangt",
        date=datetime.date(2026, 4, 1),
        paragraphs=[builders.paragraph(1, case=builders.case("KS 2026/9"))],
    )

    indexer.rebuild()

    live = list(Page.objects.filter(depth__gt=1).live().specific())
    assert len(live) > 50
    differing = [page.url_path for page in live if stored(page) != alone(page)]
    assert differing == []
    insiders = [f"group:{site['insiders'].pk}"]
    assert stored(Page.objects.get(slug="sakerhetsskydd-kopia"))[0][-1] == insiders
    assert stored(Page.objects.get(slug="uppdrag", url_path__contains="sakerhetsskydd"))[0][-1] == insiders


def test_the_queries_of_a_batch_do_not_grow_with_its_pages(demo):
    forum = builders.forum("mjolby", "manga-protokoll")
    records = []

    def more_records(count):
        for number in range(len(records), len(records) + count):
            records.append(
                builders.record(
                    forum,
                    f"protokoll-{number}",
                    date=datetime.date(2026, 1, 1) + datetime.timedelta(days=number),
                    # Every other record not yet justerat: read by the forum's members only.
                    adjusted_on=datetime.date(2026, 6, 1) if number % 2 else None,
                    paragraphs=[builders.paragraph(n, case=builders.case(f"KS 2026/{number}{n}")) for n in (1, 2, 3)],
                )
            )

    def queries_to_index():
        with CaptureQueriesContext(connection) as captured:
            indexer.index_pages([r.pk for r in records], push=False)
        # The entries' one bulk insert is cut into statements by the database's limit on parameters (SQLite's 999:
        # about 45 entries each, and a record is 1 + a paragraph and a case page per §): one statement, counted once.
        inserts = [
            q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "search_searchentry"')
        ]
        return len(captured.captured_queries) - len(inserts) + min(1, len(inserts))

    more_records(3)
    few = queries_to_index()
    more_records(6)
    many = queries_to_index()
    assert SearchEntry.objects.filter(page__in=records, type="paragraph").count() == 27
    assert many == few


def test_pages_with_the_same_readers_share_one_reader_set(site):
    indexer.rebuild()
    everyone = SearchEntry.objects.filter(page=site["radet"]).get(key="").reader_set
    assert everyone.principal_list() == ["authenticated"]
    assert SearchEntry.objects.filter(page=site["utskott"], key="").get().reader_set == everyone
    closed = SearchEntry.objects.get(page=site["closed"], key="").reader_set
    assert closed.principal_list() == [f"group:{site['insiders'].pk}"]
    # One set per distinct group of readers, however many pages each has.
    live = Page.objects.filter(depth__gt=1).live().specific()
    in_use = ReaderSet.objects.filter(entries__isnull=False).distinct().count()
    assert in_use == len({page_principals(page) for page in live}) < live.count() / 10


def test_a_rebuild_drops_the_reader_sets_no_entry_uses_any_more(site):
    indexer.rebuild()
    closed_set = SearchEntry.objects.get(page=site["closed"], key="").reader_set
    # The page's restriction goes: its entries get another set, and nothing uses its old one.
    site["closed"].get_view_restrictions().delete()
    assert not SearchEntry.objects.filter(reader_set=closed_set).exists()
    assert ReaderSet.objects.filter(pk=closed_set.pk).exists()

    indexer.rebuild()

    assert not ReaderSet.objects.filter(pk=closed_set.pk).exists()
    assert ReaderSet.objects.filter(entries__isnull=True).count() == 0
    assert SearchEntry.objects.get(page=site["closed"], key="").reader_set.principal_list() == ["authenticated"]


def blocked(backend_pid):
    """Whether that database session waits for a lock another holds (read live, not from a statistics snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [backend_pid])
        return cursor.fetchone()[0]


# Decided before the database is set up: a transactional test empties it when it ends, even when skipped.
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="PostgreSQL only: SQLite lets one writer at a time (the PostgreSQL pass of make test runs it)",
)
@pytest.mark.django_db(transaction=True)
def test_two_transactions_that_each_write_the_index_twice_both_land(demo):
    # A restriction change on a large section reindexes it batch by batch in one transaction; meanwhile an editor
    # unpublishes a page in it. Each would come to hold rows the other wants next, and PostgreSQL would abort one.
    first, second = Page.objects.filter(depth__gt=2).live().order_by("path")[:2]
    other = {"started": threading.Event(), "errors": []}

    def unpublishing_editor():
        try:
            connection.ensure_connection()
            other["pid"] = connection.connection.info.backend_pid
            other["started"].set()
            with transaction.atomic():
                indexer.remove_pages([second.pk], push=False)
        except Exception as error:
            other["errors"].append(error)
        finally:
            connection.close()

    with transaction.atomic():
        # Taking `first` out holds the statistics of its terms (and of the count of entries) until we commit.
        indexer.remove_pages([first.pk], push=False)
        editor = threading.Thread(target=unpublishing_editor)
        editor.start()
        other["started"].wait(timeout=10)
        deadline = time.monotonic() + 10
        while not blocked(other["pid"]) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert blocked(other["pid"]), "the other transaction should wait for this one"
        # Unfenced, the editor has deleted `second`'s entries and waits for our statistics: this waited for them.
        indexer.index_pages([second.pk], push=False)
    editor.join(timeout=30)

    assert other["errors"] == []
    assert not SearchEntry.objects.filter(page__in=[first, second]).exists()
    kept = dict(TermStatistic.objects.values_list("term", "entries"))
    with transaction.atomic():
        statistics.recount()
    assert kept == dict(TermStatistic.objects.values_list("term", "entries"))


def written_index():
    """Everything the index holds, by page and key rather than by id: two writes of the same pages compare equal."""
    entries = SearchEntry.objects.prefetch_related("tags", "reader_set__principals")
    by_entry = {e.pk: (e.page_id, e.key) for e in entries}
    return {
        "entries": sorted(
            (e.page_id, e.key, e.title, e.heading, e.body, e.context, e.date, e.type, e.forum, e.section, e.status)
            + (tuple(sorted(t.tag for t in e.tags.all())), tuple(e.reader_set.principal_list()))
            for e in entries
        ),
        "postings": sorted(
            (*by_entry[entry_id], term, weight, in_title)
            for entry_id, term, weight, in_title in SearchTerm.objects.values_list(
                "entry_id", "term", "weight", "in_title"
            )
        ),
        "statistics": dict(TermStatistic.objects.values_list("term", "entries")),
    }


@pytest.mark.skipif(
    "connection.vendor == 'sqlite'",
    reason="PostgreSQL only: no other process sees the tests' in-memory SQLite database (writer._preparing_apart)",
)
@pytest.mark.django_db(transaction=True)
def test_a_rebuild_prepared_by_a_process_of_its_own_holds_what_one_prepared_in_turn_holds(demo, monkeypatch):
    # Small chunks, so the demo's pages make many of them, each prepared while the one before is written.
    monkeypatch.setattr(indexer, "BATCH", 5)
    stored_ahead = []
    store_ahead = indexer._store_ahead
    monkeypatch.setattr(indexer, "_store_ahead", lambda ahead: stored_ahead.append(ahead) or store_ahead(ahead))
    count = indexer.rebuild()
    assert len(stored_ahead) == -(-count // 5) > 5
    beside = written_index()

    monkeypatch.setattr(indexer, "_preparing_apart", lambda: None)
    indexer.rebuild()

    assert written_index() == beside
    assert len(beside["entries"]) > count


def test_a_chunk_prepared_ahead_is_prepared_again_when_one_of_its_pages_was_indexed_since(site):
    indexer.rebuild()
    utskott, radet = site["utskott"], site["radet"]
    ahead = indexer._prepare_ahead([utskott.pk, radet.pk])
    # Meanwhile an editor unpublishes the utskott, which takes it out of the index.
    utskott.specific.unpublish()
    indexer.remove_pages([utskott.pk], push=False)

    indexer._store_ahead(ahead)

    # Written as the pages are now, not as they were read: the unpublished page is not written back.
    assert not SearchEntry.objects.filter(page=utskott).exists()
    assert SearchEntry.objects.filter(page=radet, key="").exists()
