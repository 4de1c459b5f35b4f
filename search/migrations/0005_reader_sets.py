"""Entries name the set of principals who may read them instead of holding a row per principal.

The existing index is carried over: each entry's principals become (or find) their reader set, so search keeps
answering without a reindex.
"""

import hashlib

import django.db.models.deletion
from django.db import migrations, models

CHUNK = 2000


def _key(principals):
    # As search.models.reader_set_key (a migration keeps its own copy: the model's may change later).
    return hashlib.sha256("\n".join(sorted(principals)).encode()).hexdigest()


def principals_to_sets(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    SearchPrincipal = apps.get_model("search", "SearchPrincipal")
    ReaderSet = apps.get_model("search", "ReaderSet")
    ReaderSetPrincipal = apps.get_model("search", "ReaderSetPrincipal")
    of_entry = {}
    for entry_id, principal in SearchPrincipal.objects.values_list("entry_id", "principal").iterator():
        of_entry.setdefault(entry_id, set()).add(principal)
    entries_of_set = {}
    for entry_id in SearchEntry.objects.values_list("id", flat=True).iterator():
        entries_of_set.setdefault(frozenset(of_entry.get(entry_id, ())), []).append(entry_id)
    for principals, entry_ids in entries_of_set.items():
        reader_set = ReaderSet.objects.create(key=_key(principals))
        ReaderSetPrincipal.objects.bulk_create(
            [ReaderSetPrincipal(reader_set=reader_set, principal=p) for p in sorted(principals)]
        )
        for start in range(0, len(entry_ids), CHUNK):
            SearchEntry.objects.filter(id__in=entry_ids[start : start + CHUNK]).update(reader_set=reader_set)


def sets_to_principals(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    SearchPrincipal = apps.get_model("search", "SearchPrincipal")
    ReaderSetPrincipal = apps.get_model("search", "ReaderSetPrincipal")
    of_set = {}
    for set_id, principal in ReaderSetPrincipal.objects.values_list("reader_set_id", "principal"):
        of_set.setdefault(set_id, []).append(principal)
    rows = (
        SearchPrincipal(entry_id=entry_id, principal=principal)
        for entry_id, set_id in SearchEntry.objects.values_list("id", "reader_set_id").iterator()
        for principal in of_set.get(set_id, ())
    )
    SearchPrincipal.objects.bulk_create(rows, batch_size=CHUNK)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_sql_ranking"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReaderSet",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=64, unique=True)),
            ],
        ),
        migrations.CreateModel(
            name="ReaderSetPrincipal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("principal", models.CharField(max_length=60)),
                (
                    "reader_set",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="principals",
                        to="search.readerset",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("principal", "reader_set"), name="search_reader_set_principal_unique"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="searchentry",
            name="reader_set",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="search.readerset",
            ),
        ),
        migrations.RunPython(principals_to_sets, sets_to_principals),
        migrations.AlterField(
            model_name="searchentry",
            name="reader_set",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="search.readerset",
            ),
        ),
        migrations.DeleteModel(
            name="SearchPrincipal",
        ),
    ]
