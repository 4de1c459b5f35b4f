"""analyse_database: the planner's statistics, so listings start from the few records, not from every page."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db


def page_statistics():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone():
                return []
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page'")
        else:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'wagtailcore_page' AND reltuples >= 0")
        return cursor.fetchall()


def test_the_command_leaves_statistics_of_the_page_table(demo):
    # The demo's pages: an empty table (after another test's flush) gets no statistics to leave.
    out = io.StringIO()
    call_command("analyse_database", stdout=out)
    assert "Statistik uppdaterad" in out.getvalue()
    assert page_statistics()
