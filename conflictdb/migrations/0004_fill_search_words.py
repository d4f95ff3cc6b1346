"""The vocabulary of search words (conflictdb/search.py) filled from what the records say and said.

From here on the records' triggers add each new word; this adds the words already written: those of every
record's search text, and those of every version's texts, so that a read of the past finds a word only an
earlier version had. The columns are those the search triggers read, as they are at this migration.
"""

from django.db import migrations

# Each table, and the SQL of the texts its records (or versions) are searched by.
TEXTS = {
    "events_event": "search_text",
    "events_actor": "search_text",
    "events_place": "search_text",
    "events_claim": "search_text",
    "sources_source": "search_text",
    "events_eventversion": "concat_ws(' ', title, summary)",
    "events_actorversion": "concat_ws(' ', name, array_to_string(aliases, ' '), description)",
    "events_placeversion": "concat_ws(' ', name, array_to_string(aliases, ' '), admin1)",
    "events_claimversion": "concat_ws(' ', statement, quote, unit)",
    "sources_sourceversion": (
        "concat_ws(' ', title, publisher, array_to_string(authors, ' '), dateline, notes)"
    ),
}

FILL = """
INSERT INTO conflictdb_searchword (word)
SELECT DISTINCT w.word
FROM ({texts}) t CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('simple', t.text))) AS w(word)
WHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM conflictdb_searchword s WHERE s.word = w.word)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("conflictdb", "0003_search_words"),
        ("events", "0017_search_words"),
        ("sources", "0006_search_words"),
    ]

    operations = [
        migrations.RunSQL(
            FILL.format(
                texts=" UNION ALL ".join(f"SELECT {sql} AS text FROM {table}" for table, sql in TEXTS.items())
            ),
            migrations.RunSQL.noop,
        ),
    ]
