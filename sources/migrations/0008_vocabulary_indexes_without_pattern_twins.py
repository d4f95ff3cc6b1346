"""A source's kind keeps a plain B-tree and loses the pattern-matching twin of `db_index=True`
(conflictdb.models.vocabulary_index); the plain index is renamed, not built again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0007_search_words_compare_rows_as_sets"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=[
                        "DROP INDEX sources_source_kind_b6c9b4bb_like",
                        "ALTER INDEX sources_source_kind_b6c9b4bb RENAME TO source_kind",
                    ],
                    reverse_sql=[
                        "ALTER INDEX source_kind RENAME TO sources_source_kind_b6c9b4bb",
                        'CREATE INDEX sources_source_kind_b6c9b4bb_like ON sources_source ("kind" varchar_pattern_ops)',
                    ],
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="source",
                    name="kind",
                    field=models.CharField(
                        choices=[
                            ("news_article", "News article"),
                            ("official_statement", "Official statement"),
                            ("interview", "Interview"),
                            ("ngo_report", "NGO report"),
                            ("press_conference", "Press conference or remarks"),
                            ("video", "Video"),
                            ("social_media", "Social media post"),
                            ("other", "Other"),
                        ],
                        max_length=32,
                    ),
                ),
                migrations.AddIndex(
                    model_name="source",
                    index=models.Index(fields=["kind"], name="source_kind"),
                ),
            ],
        )
    ]
