"""The vocabulary of search words (conflictdb/search.py): every word of the records' search texts."""

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conflictdb", "0002_published_slugs"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.TextField()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["word"], name="search_word"),
                    django.contrib.postgres.indexes.GinIndex(
                        django.contrib.postgres.indexes.OpClass(models.F("word"), name="gin_trgm_ops"),
                        name="search_word_trigrams",
                    ),
                ],
            },
        ),
    ]
