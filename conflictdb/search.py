"""Full-text and fuzzy search over a record's names and texts, done by PostgreSQL.

Each searchable table has two columns that a trigger fills from the record's own columns, so that
they are right however a row is written (ORM, bulk update, raw SQL): `search_names` (what the record
is called: name and aliases, or title) and `search_text` (that and every other text: descriptions,
summaries, statements, quotes). Two GIN indexes on `search_text` find matches: a `simple`-dictionary
tsvector for words and pg_trgm trigrams for substrings and other spellings. Relevance puts a match on
a name before a match elsewhere.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import migrations
from django.db.models import F, Q

CONFIG = "simple"  # no stemming or stop words: names in many languages and transliterations


def search_indexes(table: str) -> list[GinIndex]:
    return [
        GinIndex(SearchVector("search_text", config=CONFIG), name=f"{table}_search_words"),
        GinIndex(OpClass(F("search_text"), name="gin_trgm_ops"), name=f"{table}_search_trigrams"),
    ]


def concatenation(columns: list[str]) -> str:
    """SQL joining the NEW row's columns with spaces; a column written "aliases[]" is an array."""
    parts = [
        f"array_to_string(NEW.{c.removesuffix('[]')}, ' ')" if c.endswith("[]") else f"coalesce(NEW.{c}, '')"
        for c in columns
    ]
    return f"concat_ws(' ', {', '.join(parts)})"


def search_text_trigger(table: str, names: list[str], texts: list[str]) -> migrations.RunSQL:
    """A migration adding the trigger that keeps `table`'s search columns equal to its text columns."""
    function = f"{table}_search_text"
    return migrations.RunSQL(
        sql=f"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_names := {concatenation(names)};
                NEW.search_text := {concatenation(names + texts)};
                RETURN NEW;
            END $$;
            CREATE TRIGGER {function} BEFORE INSERT OR UPDATE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}();
        """,
        reverse_sql=f"DROP TRIGGER {function} ON {table}; DROP FUNCTION {function}();",
    )


def search(queryset, text: str, related: tuple[str, ...] = ()):
    """Records whose text, or a related record's (`related` paths, e.g. "place"), matches `text`.

    Matches are words (full-text), substrings, or similar spellings (trigrams). Results carry
    `search_rank`, highest first; an explicit ordering applied afterwards replaces it.
    """
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    condition = Q()
    for path in ("", *related):
        field = f"{path}__search_text" if path else "search_text"
        condition |= Q(**{f"{field}__icontains": text}) | Q(**{f"{field}__trigram_word_similar": text})
    # A name that matches counts more than any number of words matching elsewhere.
    rank = TrigramWordSimilarity(text, "search_names") + SearchRank(
        SearchVector("search_text", config=CONFIG), query
    )
    matches_words = Q(search_words=query)
    return (
        queryset.alias(search_words=SearchVector("search_text", config=CONFIG))
        .filter(condition | matches_words)
        .annotate(search_rank=rank)
        .order_by("-search_rank", "slug")
    )
