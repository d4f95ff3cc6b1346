"""Substrings and spellings found among words (conflictdb/search.py): the texts' trigram indexes go, and
statement triggers add each new word of a search text to the vocabulary."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("conflictdb", "0003_search_words"),
        ("events", "0016_event_per_place_index"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="actor",
            name="actor_search_trigrams",
        ),
        migrations.RemoveIndex(
            model_name="claim",
            name="claim_search_trigrams",
        ),
        migrations.RemoveIndex(
            model_name="event",
            name="event_search_trigrams",
        ),
        migrations.RemoveIndex(
            model_name="place",
            name="place_search_trigrams",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="9a5c8227813b36aef0b80920968e2d11210e3927",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_search_words_insert_ebcd7",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_actor",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="actor",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n JOIN old_values o ON o.id = n.id AND o.search_text IS DISTINCT FROM n.search_text CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="f2179aada102b9a9d122c7224520d45ee7163525",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_search_words_update_3fdf4",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_actor",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="843c7882d7ff153698d3ac428386dc6de305d6ae",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_search_words_insert_e1d56",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="claim",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n JOIN old_values o ON o.id = n.id AND o.search_text IS DISTINCT FROM n.search_text CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="e7b651366e7ac2b9dabd97e92c8f29d57c7f7566",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_search_words_update_ec107",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_claim",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="6c292ab2861757e0c1db7ea3915fcae205706fb0",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_search_words_insert_00123",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="event",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n JOIN old_values o ON o.id = n.id AND o.search_text IS DISTINCT FROM n.search_text CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="c59274209c8e4035759e92064e7479c6089bf0a5",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_search_words_update_58aa7",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_event",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="3a7dc553959d50a1e8d2a3d7e22d0b727b1d25b3",
                    level="STATEMENT",
                    operation="INSERT",
                    pgid="pgtrigger_search_words_insert_af514",
                    referencing="REFERENCING NEW TABLE AS new_values ",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="place",
            trigger=pgtrigger.compiler.Trigger(
                name="search_words_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\nINSERT INTO conflictdb_searchword (word)\nSELECT DISTINCT w.word\nFROM new_values n JOIN old_values o ON o.id = n.id AND o.search_text IS DISTINCT FROM n.search_text CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', n.search_text))) AS w(word)\nWHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word);\nRETURN NULL;\n",
                    hash="54f8cf39d5db2077112b62c2f00b607f1a811f89",
                    level="STATEMENT",
                    operation="UPDATE",
                    pgid="pgtrigger_search_words_update_b3918",
                    referencing="REFERENCING OLD TABLE AS old_values  NEW TABLE AS new_values ",
                    table="events_place",
                    when="AFTER",
                ),
            ),
        ),
    ]
