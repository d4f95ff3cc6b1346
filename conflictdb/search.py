"""Full-text and fuzzy search over a record's names and texts, done by PostgreSQL.

Each searchable table has a `search_text` column that a trigger fills from the record's own text
columns (names, aliases, titles, statements...), so that it is right however a row is written (ORM,
bulk update, raw SQL). Two GIN indexes serve it: a `simple`-dictionary tsvector for word matches and
pg_trgm trigrams for substrings and other spellings.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import migrations
from django.db.models import F, Q
from django.db.models.functions import Greatest

CONFIG = "simple"  # no stemming or stop words: names in many languages and transliterations


def search_indexes(table: str) -> list[GinIndex]:
    return [
        GinIndex(SearchVector("search_text", config=CONFIG), name=f"{table}_search_words"),
        GinIndex(OpClass(F("search_text"), name="gin_trgm_ops"), name=f"{table}_search_trigrams"),
    ]


def search_text_trigger(table: str, columns: list[str], array_columns: list[str] = ()) -> migrations.RunSQL:
    """A migration adding the trigger that keeps `table.search_text` equal to its text columns."""
    parts = [f"coalesce(NEW.{c}, '')" for c in columns] + [
        f"array_to_string(NEW.{c}, ' ')" for c in array_columns
    ]
    function = f"{table}_search_text"
    return migrations.RunSQL(
        sql=f"""
            CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_text := concat_ws(' ', {", ".join(parts)});
                RETURN NEW;
            END $$;
            CREATE TRIGGER {function} BEFORE INSERT OR UPDATE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}();
            UPDATE {table} SET search_text = search_text;
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
    rank = Greatest(
        SearchRank(SearchVector("search_text", config=CONFIG), query),
        TrigramWordSimilarity(text, "search_text"),
    )
    matches_words = Q(search_words=query)
    return (
        queryset.alias(search_words=SearchVector("search_text", config=CONFIG))
        .filter(condition | matches_words)
        .annotate(search_rank=rank)
        .order_by("-search_rank", "slug")
    )
