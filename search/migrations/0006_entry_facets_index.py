"""PostgreSQL: the columns a query reads from its matching entries, in an index it can read alone.

An entry row also holds its text (heading, body: what excerpts are cut from), so joining a common word's matches
with their entries read most of the table from disk: at 100 000 pages, 546 MB for `trygghetsrådet` (a 263 ms scan
and a 371 ms hash). From this index the same join is a merge join over 35 MB (36 ms). SQLite has no INCLUDE, and
meets its target without it.
"""

from django.db import migrations

COLUMNS = "reader_set_id, page_id, key, date, type, forum, section, year, status, title_inverse_length"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX search_entry_facets ON search_searchentry (id) INCLUDE ({COLUMNS})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX search_entry_facets")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_reader_sets"),
    ]

    operations = [migrations.RunPython(create, drop)]
