"""Removing a page from the index fails closed (issue 19, item 3): a reindex that overlaps an unpublish never writes
the page back, and an unpublish whose index write fails leaves the page hidden from search until it is retried."""

import io
import uuid
from contextlib import contextmanager

import pytest
from django.core.management import call_command

from search.index import writer
from search.models import PendingRemoval, SearchEntry
from tests import builders


def marker():
    return f"Spårord{uuid.uuid4().hex[:8]}"


def everything_shown(client, word):
    """What a reader learns of the forum titled "Forum <word>" from search: the API's hits, whether the search page
    names it, autocomplete."""
    api = client.get("/api/search/", {"q": word}).json()
    page = client.get("/sok/", {"q": word}).content.decode()
    completions = client.get("/api/search/autocomplete/", {"q": word}).json()
    titles = [r["title"] for r in api["results"]]
    return titles, f"Forum {word}" in page, [c["title"] for c in completions["results"]]


def _broken(*args, **kwargs):
    raise RuntimeError("disk full")


@pytest.fixture
def fresh(site, django_capture_on_commit_callbacks):
    """A new forum with a word in its title that no other page has, published (and sent to the cluster)."""
    word = marker()
    with django_capture_on_commit_callbacks(execute=True):
        page = builders.forum(site["radet"].get_parent(), word.lower(), f"Forum {word}", kind="rad")
    return page, word


@pytest.mark.django_db
def test_a_reindex_overlapping_an_unpublish_does_not_write_the_page_back(fresh, client_for, monkeypatch):
    page, word = fresh
    reader = client_for("medarbetare")
    assert everything_shown(reader, word)[0] == [page.title]
    real, paused = writer._writing, []

    @contextmanager
    def pause_before_the_lock():
        # Another editor unpublishes the page while the reindex waits for the write lock.
        if not paused:
            paused.append(True)
            page.unpublish()
        with real():
            yield

    monkeypatch.setattr(writer, "_writing", pause_before_the_lock)
    writer.index_pages([page.pk])
    assert paused
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()
    assert everything_shown(reader, word) == ([], False, [])


@pytest.mark.django_db
def test_an_unpublish_whose_index_write_fails_hides_the_page_until_it_is_retried(
    engine, fresh, client_for, monkeypatch, django_capture_on_commit_callbacks
):
    page, word = fresh
    reader = client_for("medarbetare")
    assert everything_shown(reader, word)[0] == [page.title]

    with monkeypatch.context() as patched, django_capture_on_commit_callbacks(execute=True):
        patched.setattr(writer, "_delete", _broken)
        page.unpublish()  # the editor's unpublish still succeeds
    assert SearchEntry.objects.filter(page_id=page.pk).exists()  # the index could not be changed…
    assert PendingRemoval.objects.filter(page_id=page.pk).exists()  # …so the page is held back, on every engine
    assert everything_shown(reader, word) == ([], False, [])
    admin = client_for("admin")
    assert everything_shown(admin, word) == ([], False, [])

    # The next index write (another editor publishes) retries it first.
    with django_capture_on_commit_callbacks(execute=True):
        builders.forum(page.get_parent(), marker().lower(), "Ett annat forum", kind="rad")
    assert not PendingRemoval.objects.exists()
    assert not SearchEntry.objects.filter(page_id=page.pk).exists()
    assert everything_shown(admin, word) == ([], False, [])


@pytest.mark.django_db
def test_search_reindex_pending_retries_the_held_back_pages(fresh, monkeypatch):
    page, _word = fresh
    with monkeypatch.context() as patched:
        patched.setattr(writer, "_delete", _broken)
        page.unpublish()
    assert PendingRemoval.objects.filter(page_id=page.pk).exists()
    out = io.StringIO()
    call_command("search_reindex", "--pending", stdout=out)
    assert "1 sidor som hölls undan sökningen är indexerade igen." in out.getvalue()
    assert not PendingRemoval.objects.exists() and not SearchEntry.objects.filter(page_id=page.pk).exists()


@pytest.mark.django_db
def test_an_unpublish_that_cannot_even_hold_the_page_back_fails_loudly(fresh, monkeypatch):
    page, _word = fresh
    monkeypatch.setattr(writer, "_delete", _broken)
    monkeypatch.setattr(PendingRemoval.objects, "bulk_create", _broken)
    with pytest.raises(writer.NotHeldBack):
        page.unpublish()
