"""Pages whose index write failed, hidden from search until written again (search.models.PendingRemoval)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0010_entry_changes")]

    operations = [
        migrations.CreateModel(
            name="PendingRemoval",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("page_id", models.IntegerField(unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("error", models.TextField(blank=True, default="")),
            ],
            options={"default_permissions": ()},
        ),
    ]
