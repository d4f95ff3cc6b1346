"""The vocabulary's trigram index without GIN's pending list: new words go into the index itself, and a
search no longer reads a list of unindexed words until a vacuum empties it."""

import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conflictdb", "0005_published_slugs_looked_up_by_kind"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="searchword",
            name="search_word_trigrams",
        ),
        migrations.AddIndex(
            model_name="searchword",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(models.F("word"), name="gin_trgm_ops"),
                fastupdate=False,
                name="search_word_trigrams",
            ),
        ),
    ]
