"""The abbreviations every municipality in the seeds uses; editors add their own in the admin."""

from django.db import migrations

DEFAULTS = [
    ("BRÅ", "brottsförebyggande råd\nbrottsförebyggande rådet"),
    ("LAG", "lokal arbetsgrupp\nlokala arbetsgruppen"),
    ("Kdlg", "kommundirektörens ledningsgrupp"),
    ("KS", "kommunstyrelsen"),
    ("KF", "kommunfullmäktige"),
]


def add(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for term, equivalents in DEFAULTS:
        Synonym.objects.get_or_create(term=term, defaults={"equivalents": equivalents})


def remove(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.filter(term__in=[t for t, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
