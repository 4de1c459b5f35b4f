"""Two editors saving at once on SQLite: the second waits for the first instead of failing "database is locked".

A transaction that reads and then writes (as saving a page does) began as a plain, deferred BEGIN: it took a read
snapshot, and when another connection committed a write meanwhile, its own write could not wait (the snapshot was
stale) and failed at once. The settings make every transaction take the write lock when it begins.
"""

import threading
import time

import pytest
from django.db import connections, transaction

from intranet.settings.base import database

WAIT = 10  # seconds a thread waits for the other before the test gives up


@pytest.fixture
def two_editors(tmp_path, django_db_blocker):
    """Two connections, as two app server processes would have, to one SQLite file, with the project's settings.

    The file is the test's own, outside the test database, so pytest-django's guard is lifted for it."""
    aliases = ["editor_a", "editor_b"]
    url = f"sqlite:///{tmp_path}/two-editors.sqlite3"
    # configure_settings fills in the keys Django adds to every database (and wants a default among them).
    config = connections.configure_settings({"default": {}, **{alias: database(url) for alias in aliases}})
    for alias in aliases:
        connections.settings[alias] = config[alias]
    with django_db_blocker.unblock():
        with connections["editor_a"].cursor() as cursor:
            cursor.execute("CREATE TABLE record (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")
        connections["editor_a"].close()
        yield aliases
    for alias in aliases:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _editor(alias, title, errors, between=lambda: None):
    """Save as an editor does: read in the transaction, then write; `between` runs between the two."""
    try:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM record")
            between()
            cursor.execute("INSERT INTO record (title) VALUES (%s)", [title])
    except Exception as error:  # noqa: BLE001  (the test reports whatever the writer met)
        errors.append(f"{alias}: {type(error).__name__}: {error}")
    finally:
        connections[alias].close()


def test_sqlite_takes_the_write_lock_when_a_transaction_begins():
    assert database("sqlite:////tmp/x.sqlite3")["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "transaction_mode" not in database("postgres://u@127.0.0.1:5432/x").get("OPTIONS", {})


def test_two_editors_saving_at_once_both_succeed(two_editors):
    first, second = two_editors
    first_has_read, second_has_begun, errors = threading.Event(), threading.Event(), []

    def let_the_second_write_first():
        first_has_read.set()
        second_has_begun.wait(WAIT)
        time.sleep(0.5)  # the second's transaction runs (or waits for the lock) meanwhile

    def second_editor():
        first_has_read.wait(WAIT)
        second_has_begun.set()
        _editor(second, "Andra", errors)

    threads = [
        threading.Thread(target=_editor, args=(first, "Första", errors, let_the_second_write_first)),
        threading.Thread(target=second_editor),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 3)
    assert not errors, errors
    with connections[first].cursor() as cursor:
        cursor.execute("SELECT title FROM record ORDER BY title")
        assert [row[0] for row in cursor.fetchall()] == ["Andra", "Första"]
