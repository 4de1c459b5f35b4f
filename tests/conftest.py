"""Shared fixtures: the demo site and logged-in clients per role.

The demo is loaded once per test database, right after it is created, and
every test runs inside a transaction that is rolled back: building the demo
takes seconds, so loading it per test would make the suite take most of an
hour. Tests that need a blank site build it themselves (see `org` in
tests/safety_pages/conftest.py).
"""

import io
import zlib

import pytest
from django.core.management import call_command

from tests import builders
from tests.smtp import run_tasks, smtp_server  # noqa: F401 (fixtures for every test that sends mail)

# The leak matrix is the largest file by far (over 3 000 cells): shared out in this many groups.
LEAK_MATRIX_GROUPS = 4


def pytest_collection_modifyitems(config, items):
    """Groups for pytest-xdist (`make test` runs `--dist loadgroup`): a file's tests stay together on one worker, so
    its module fixtures are built once, except the leak matrix's cells, shared out so that no worker waits alone."""
    for item in items:
        group = item.nodeid.split("::")[0]
        if group == "tests/test_leak_matrix.py" and "[" in item.nodeid:
            group += f"-{zlib.crc32(item.nodeid.encode()) % LEAK_MATRIX_GROUPS}"
        item.add_marker(pytest.mark.xdist_group(group))


def _load_demo():
    builders.restore_wagtail_roots()
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_demo()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Wagtail caches the site root paths; a test that moved the site root must not mislead the next. The search
    snapshot (search.engines.database.snapshot) finds a rolled-back change by itself, but each test starting without
    one keeps a failure in one test from showing up in the next."""
    from django.core.cache import cache

    from search.engines.database import snapshot

    cache.clear()
    snapshot.forget()


@pytest.fixture
def demo(db):
    """The whole demo site, as `make run` loads it; returns its home page."""
    from wagtail.models import Site

    from safety_pages.models import HomePage

    # A transactional test (live server, browser) empties the database when it ends.
    if not HomePage.objects.exists():
        _load_demo()
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def client_for(client, django_user_model):
    """Return a test client logged in as the named demo user."""

    def login(username):
        client.force_login(django_user_model.objects.get(username=username))
        return client

    return login
