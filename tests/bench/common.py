"""What both benches do alike: start from a fresh database holding the demo, and read percentiles."""

import io

from django.core.management import call_command
from django.db import connection


def fresh_database():
    """Empty the bench's database, migrate it and load the demo (its logins are not printed among the figures)."""
    if connection.vendor == "postgresql":
        # A clean schema, not `flush`: flush also removes the rows the migrations created (Wagtail's root page).
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


def percentile(values, share):
    """The value below which `share` of `values` lie (nearest rank); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]
