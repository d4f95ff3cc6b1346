"""Substrings and spellings found among words (conflictdb/search.py): the texts' trigram indexes go, and
statement triggers add each new word of a search text to the vocabulary."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("conflictdb", "0003_search_words"),
        ("sources", "0005_version_slug_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="source",
            name="source_search_trigrams",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="source",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="99bdcbc2d321f1a23d8a68b0acd73dc4a343a354",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_search_words_insert_f1b03",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="sources_source",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="source",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n JOIN old_values o ON o.id = n.id AND o.search_text IS DISTINCT FROM n.search_text CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="83cc731cb8a4b8d5de34e4a8304a6e1e6c275176",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_search_words_update_dad54",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="sources_source",
                    when="AFTER",
                ),
            ),
        ),
    ]
