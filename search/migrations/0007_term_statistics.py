from django.db import migrations, models


def count_terms(apps, schema_editor):
    """The statistics of the index as it stands (search.statistics keeps them from here on)."""
    quote = schema_editor.connection.ops.quote_name
    statistic = quote(apps.get_model("search", "TermStatistic")._meta.db_table)
    term = quote(apps.get_model("search", "SearchTerm")._meta.db_table)
    entry = quote(apps.get_model("search", "SearchEntry")._meta.db_table)
    schema_editor.execute(f"INSERT INTO {statistic} (term, entries) SELECT term, COUNT(*) FROM {term} GROUP BY term")
    # The row with the empty term counts the entries (search.models.ALL_ENTRIES).
    schema_editor.execute(f"INSERT INTO {statistic} (term, entries) SELECT '', COUNT(*) FROM {entry}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_entry_facets_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="TermStatistic",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("term", models.CharField(max_length=100, unique=True)),
                ("entries", models.IntegerField()),
            ],
        ),
        migrations.RunPython(count_terms, migrations.RunPython.noop),
    ]
