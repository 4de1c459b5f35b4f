"""The change log of the entries (search.models.EntryChange), written by triggers on the entries' table.

Each app server keeps a copy of the index in memory (search.memory) and reads this log before each search; the
triggers log every insert, update and delete of an entry, whoever makes it. PostgreSQL logs a statement's rows in
one insert (statement triggers with transition tables); SQLite has only row triggers.
"""

from django.db import migrations, models

ENTRIES, CHANGES = "search_searchentry", "search_entrychange"
EVENTS = {"insert": ("INSERT", "NEW"), "update": ("UPDATE", "NEW"), "delete": ("DELETE", "OLD")}
# A random signed 63-bit number.
POSTGRESQL_TOKEN = "(random() * 9.2e18)::bigint"


def _postgresql():
    function = (
        "CREATE FUNCTION search_log_entry_changes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN INSERT INTO {CHANGES} (entry_id, token) "
        f"SELECT id, {POSTGRESQL_TOKEN} FROM changed_old; "
        f"ELSE INSERT INTO {CHANGES} (entry_id, token) SELECT id, {POSTGRESQL_TOKEN} FROM changed_new; END IF; "
        "RETURN NULL; END $$"
    )
    triggers = [
        f"CREATE TRIGGER search_entry_{name} AFTER {event} ON {ENTRIES} "
        f"REFERENCING {'OLD' if row == 'OLD' else 'NEW'} TABLE AS changed_{row.lower()} "
        "FOR EACH STATEMENT EXECUTE FUNCTION search_log_entry_changes()"
        for name, (event, row) in EVENTS.items()
    ]
    drop = [f"DROP TRIGGER search_entry_{name} ON {ENTRIES}" for name in EVENTS]
    return [function, *triggers], [*drop, "DROP FUNCTION search_log_entry_changes()"]


def _sqlite():
    create = [
        f"CREATE TRIGGER search_entry_{name} AFTER {event} ON {ENTRIES} FOR EACH ROW BEGIN "
        f"INSERT INTO {CHANGES} (entry_id, token) VALUES ({row}.id, random()); END"
        for name, (event, row) in EVENTS.items()
    ]
    return create, [f"DROP TRIGGER search_entry_{name}" for name in EVENTS]


def _statements(schema_editor):
    return _postgresql() if schema_editor.connection.vendor == "postgresql" else _sqlite()


def create_triggers(apps, schema_editor):
    for sql in _statements(schema_editor)[0]:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    for sql in _statements(schema_editor)[1]:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_title_words")]

    operations = [
        migrations.CreateModel(
            name="EntryChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entry_id", models.BigIntegerField()),
                ("token", models.BigIntegerField()),
            ],
            options={"default_permissions": ()},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
