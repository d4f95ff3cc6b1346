"""The sources' search vocabulary update trigger compares old and new rows as a set difference instead of
joining the transition tables (conflictdb/transitions.py)."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0006_search_words"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="source",
            name="search_words_update",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="source",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM (SELECT id, search_text FROM new_values EXCEPT SELECT id, search_text FROM old_values) AS n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="cac2d979373de1e421842915e19ec3b6355cc852",
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
