"""The register of every slug a record is or was published under (conflictdb/slugs.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conflictdb", "0001_append_only_contexts"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedSlug",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(help_text="The record's table.", max_length=63)),
                ("slug", models.SlugField(max_length=120)),
                ("record_id", models.BigIntegerField()),
            ],
            options={
                "indexes": [models.Index(fields=["kind", "record_id"], name="published_slug_record")],
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "slug"), name="published_slug_unique")
                ],
            },
        ),
    ]
