"""Autocomplete compares titles by their words: "(Kdlg)" and "KS 2017/215" kept their brackets and slashes, so
"kdl" found nothing and "ks 2017 215" missed "KS 2017/215". The stored titles are rewritten here, so autocomplete
works after the upgrade without a reindex."""

from django.db import migrations

BATCH = 2000


def rewrite_titles(apps, schema_editor):
    from search.analysis import title_words  # the indexer's own rule, so the rows read as newly indexed ones

    model = apps.get_model("search", "SearchEntry")
    entries = model.objects.using(schema_editor.connection.alias).order_by("id")
    last = 0
    # In batches by id, each read before it is written: SQLite does not isolate a cursor from writes to its table.
    while batch := list(entries.filter(id__gt=last).only("id", "title", "title_folded")[:BATCH]):
        last = batch[-1].id
        changed = []
        for entry in batch:
            words = title_words(entry.title)[:500]
            if words != entry.title_folded:
                entry.title_folded = words
                changed.append(entry)
        entries.bulk_update(changed, ["title_folded"])


class Migration(migrations.Migration):
    dependencies = [("search", "0008_page_titles_index")]

    operations = [migrations.RunPython(rewrite_titles, migrations.RunPython.noop, elidable=True)]
