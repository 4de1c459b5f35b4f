"""Ranking and facet counts move into SQL: postings say whether a term is in the title, tags get rows of their own.

The index is derived data: after this migration, `python manage.py search_reindex` fills the new columns
(until then tags are not offered as facets and titles are not boosted).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0003_document_text'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tag', models.CharField(max_length=255)),
            ],
        ),
        migrations.RemoveIndex(
            model_name='searchterm',
            name='search_term_term_entry',
        ),
        migrations.RemoveField(
            model_name='searchentry',
            name='tags',
        ),
        migrations.AddField(
            model_name='searchentry',
            name='title_inverse_length',
            field=models.FloatField(default=1.0),
        ),
        migrations.AddField(
            model_name='searchterm',
            name='in_title',
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name='searchterm',
            index=models.Index(fields=['term', 'entry', 'weight', 'in_title'], name='search_term_covering'),
        ),
        migrations.AddField(
            model_name='searchtag',
            name='entry',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='tags', to='search.searchentry'),
        ),
        migrations.AddIndex(
            model_name='searchtag',
            index=models.Index(fields=['entry', 'tag'], name='search_tag_entry_tag'),
        ),
    ]
