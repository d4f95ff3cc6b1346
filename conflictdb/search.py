"""Full-text and fuzzy search over a record's names and texts, done by PostgreSQL.

Each searchable table has two columns that a trigger fills from the record's own columns, so that
they are right however a row is written (ORM, bulk update, raw SQL): `search_names` (what the record
is called: name and aliases, or title) and `search_text` (that and every other text: descriptions,
summaries, statements, quotes). A GIN index on the `simple`-dictionary tsvector of `search_text` finds
the records that have given words.

Substrings and other spellings are looked up among words, not texts: statement triggers on the same
tables add each new word of `search_text` to one vocabulary (`SearchWord`), whose pg_trgm index finds the
words that contain a fragment or resemble it among tens of thousands, in a fraction of a millisecond; the
full-text index then finds the records with any of those words (pg_trgm's documented way of combining
trigrams with full-text search). Matching each text's trigrams instead read thousands of candidate texts
per search at a million events. Relevance puts a match on a name before a match elsewhere.
"""

import pgtrigger
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import connections
from django.db.models import FloatField
from django.db.models.expressions import RawSQL

from conflictdb.models import SearchWord
from conflictdb.transitions import changed

CONFIG = "simple"  # no stemming or stop words: names in many languages and transliterations
WORDS = SearchWord._meta.db_table


def search_indexes(table: str) -> list[GinIndex]:
    return [GinIndex(SearchVector("search_text", config=CONFIG), name=f"{table}_search_words")]


def concatenation(columns: list[str], row: str = "NEW") -> str:
    """SQL joining the `row`'s columns with spaces; a column written "aliases[]" is an array."""
    parts = [
        f"array_to_string({row}.{c.removesuffix('[]')}, ' ')"
        if c.endswith("[]")
        else f"coalesce({row}.{c}, '')"
        for c in columns
    ]
    return f"concat_ws(' ', {', '.join(parts)})"


def search_columns(names: list[str], texts: list[str], row: str = "NEW") -> dict[str, str]:
    """The SQL of each search column from the `row`'s own columns."""
    return {"search_names": concatenation(names, row), "search_text": concatenation(names + texts, row)}


def search_text_trigger(names: list[str], texts: list[str]) -> pgtrigger.Trigger:
    """The trigger keeping a table's search columns equal to its text columns, for its model's
    `Meta.triggers`: makemigrations writes its SQL into a migration, so that a change to the columns it
    reads is a migration of its own and `makemigrations --check` notices one left out."""
    columns = search_columns(names, texts)
    trigger = pgtrigger.Trigger(
        name="search_text",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func="".join(f"NEW.{name} := {sql}; " for name, sql in columns.items()) + "RETURN NEW;",
    )
    # The records read from their versions (which leave these columns out) compute them the same way.
    trigger.search_sources = (names, texts)
    return trigger


# After a write, the words of the written search texts that the vocabulary lacks (words without a letter
# left out), set-based, once per statement: a COPY of a million rows reads its texts once.
NEW_WORDS = f"""
INSERT INTO {WORDS} (word)
SELECT DISTINCT w.word
FROM {{rows}} CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('{CONFIG}', n.search_text))) AS w(word)
WHERE w.word !~ '^[-+.,0-9]+$' AND NOT EXISTS (SELECT FROM {WORDS} s WHERE s.word = w.word);
RETURN NULL;
"""


def search_triggers(names: list[str], texts: list[str]) -> list[pgtrigger.Trigger]:
    """A searchable table's triggers: its search columns (`search_text_trigger`) and the vocabulary's new
    words after an insert, and after an update that changed a search text."""
    changed_texts = f"{changed('new_values', 'old_values', ('search_text',))} AS n"
    return [
        search_text_trigger(names, texts),
        pgtrigger.Trigger(
            name="search_words_insert",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_values"),
            func=NEW_WORDS.format(rows="new_values n"),
        ),
        pgtrigger.Trigger(
            name="search_words_update",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="old_values", new="new_values"),
            func=NEW_WORDS.format(rows=changed_texts),
        ),
    ]


SHORTEST_FRAGMENT = 3  # pg_trgm's trigrams: a shorter word is matched whole only
# The most words of the vocabulary a word of a search stands for, the most similar first: a fragment
# that is part of thousands of words ("kha") made a query whose every candidate record was tested against
# thousands of words (4 s at a million events). Lucene's fuzzy and prefix queries bound their expansions
# the same way (`max_expansions`, 50 by default).
MOST_WORDS = 50


def quoted(lexeme: str) -> str:
    """SQL quoting the lexeme `lexeme` (SQL too) for to_tsquery's input, a quote in it doubled."""
    return f"'''' || replace({lexeme}, '''', '''''') || ''''"


# The word `q.word` as a LIKE pattern's fragment: its backslashes, `%` and `_` escaped.
FRAGMENT = r"replace(replace(replace(q.word, '\', '\\'), '%%', '\%%'), '_', '\_')"

# The words of a search (`%s`: its `simple` lexemes), each as it is or as any of the MOST_WORDS words of
# the vocabulary most like it that contain it or are spelled like it (pg_trgm's word similarity, `%>`),
# every word required, as to_tsquery reads it: `('raqqa' | 'raqa') & ('strike' | 'strikes')`. A word
# shorter than a trigram is taken as it is, as is a word the vocabulary has nothing for (which then finds
# nothing). NULL for a search of no word.
# (`%%` is a `%` once the parameter is in; LIKE's own characters in the word are escaped.)
WORDS_QUERY = rf"""SELECT string_agg(alternatives, ' & ')
FROM (
    SELECT '(' || {quoted("q.word")} || coalesce((
        SELECT string_agg(' | ' || {quoted("v.word")}, '')
        FROM (
            SELECT v.word FROM {WORDS} v
            WHERE length(q.word) >= {SHORTEST_FRAGMENT} AND v.word <> q.word AND (
                v.word LIKE '%%' || {FRAGMENT} || '%%'
                OR v.word %%> q.word
            )
            GROUP BY v.word
            ORDER BY word_similarity(q.word, v.word) DESC, length(v.word), v.word
            LIMIT {MOST_WORDS}
        ) v
    ), '') || ')' AS alternatives
    FROM unnest(tsvector_to_array(to_tsvector('{CONFIG}', %s))) AS q(word)
) each_word"""


def words_of(text: str, using: str) -> str | None:
    """The words of `text` and their substrings and spellings in the vocabulary, as to_tsquery's input
    (WORDS_QUERY), looked up before the search's statement: given as a constant, the query's words let
    the planner estimate how many records have them (for the count, conflictdb/counting.py)."""
    with connections[using].cursor() as cursor:
        cursor.execute(WORDS_QUERY, [text])
        return cursor.fetchone()[0]


def vector(alias: str) -> str:
    """The SQL of the tsvector of `alias`'s `search_text`, as the full-text index defines it."""
    return f"to_tsvector('{CONFIG}'::regconfig, COALESCE({alias}.search_text, ''))"


def search(queryset, text: str, related: tuple[str, ...] = ()):
    """Records whose text, or a related record's (`related` paths, e.g. "place"), matches `text`.

    Matches are the words in the websearch syntax, or each word as a word, part of a word or a similar
    spelling of one (`words_of`). The matching ids are found through the full-text index of each table
    first, so that a large table is never scanned row by row.
    Results carry `search_rank`, highest first; an explicit ordering applied afterwards replaces it.

    The condition and the rank are SQL written here rather than built of Django's search expressions:
    resolving and compiling those on every request cost more Python than the whole statement cost
    PostgreSQL (about 3 of a search's 6 ms of CPU per request at a million events).
    """
    model = queryset.model
    websearch = f"websearch_to_tsquery('{CONFIG}'::regconfig, %s)"
    words = words_of(text, queryset.db)
    query, params = (
        (websearch, [text])
        if words is None
        else (f"({websearch} || to_tsquery('{CONFIG}', %s))", [text, words])
    )
    table = model._meta.db_table
    # One IN over a UNION (not an OR of INs), so that PostgreSQL looks the few matches up by key
    # instead of testing every row of the table against each list.
    found = [f"SELECT s.id FROM {table} s WHERE {vector('s')} @@ {query}"]
    for path in related:
        field = model._meta.get_field(path)
        target = field.related_model._meta.db_table
        found.append(
            f"SELECT s.id FROM {table} s WHERE s.{field.column} IN"
            f" (SELECT r.id FROM {target} r WHERE {vector('r')} @@ {query})"
        )
    # A name that matches counts more than any number of words matching elsewhere.
    rank = RawSQL(
        f"word_similarity(%s, {table}.search_names) + ts_rank({vector(table)}, {websearch})",
        [text, text],
        output_field=FloatField(),
    )
    matches = RawSQL(" UNION ".join(found), params * len(found))
    return queryset.filter(pk__in=matches).annotate(search_rank=rank).order_by("-search_rank", "slug")
