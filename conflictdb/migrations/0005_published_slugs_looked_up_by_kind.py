"""The slug register's slug loses its own two indexes (and their upkeep on every record written): it is
looked up by kind and slug (the unique index) or by kind and record, never by slug alone."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conflictdb", "0004_fill_search_words"),
    ]

    operations = [
        migrations.AlterField(
            model_name="publishedslug",
            name="slug",
            field=models.SlugField(db_index=False, max_length=120),
        ),
    ]
