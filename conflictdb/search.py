"""Full-text and fuzzy search over a record's names and texts, done by PostgreSQL.

Each searchable table has two columns that a trigger fills from the record's own columns, so that
they are right however a row is written (ORM, bulk update, raw SQL): `search_names` (what the record
is called: name and aliases, or title) and `search_text` (that and every other text: descriptions,
summaries, statements, quotes). Two GIN indexes on `search_text` find matches: a `simple`-dictionary
tsvector for words and pg_trgm trigrams for substrings and other spellings. Relevance puts a match on
a name before a match elsewhere.
"""

import re

import pgtrigger
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db.models import F, Lookup, Q, TextField

CONFIG = "simple"  # no stemming or stop words: names in many languages and transliterations


def search_indexes(table: str) -> list[GinIndex]:
    return [
        GinIndex(SearchVector("search_text", config=CONFIG), name=f"{table}_search_words"),
        GinIndex(OpClass(F("search_text"), name="gin_trgm_ops"), name=f"{table}_search_trigrams"),
    ]


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


@TextField.register_lookup
class ILikeContains(Lookup):
    """`field__ilike_contains="x"`: `field ILIKE '%x%'`, which a pg_trgm index on the column serves
    (Django's icontains compares UPPER(field), which it does not)."""

    lookup_name = "ilike_contains"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        pattern = "%" + connection.ops.prep_for_like_query(rhs_params[0]) + "%"
        return f"{lhs} ILIKE %s", [*lhs_params, pattern]


SHORTEST_FRAGMENT = 3  # pg_trgm's trigrams: a shorter substring is found by reading every row


def is_short(text: str) -> bool:
    """Whether every word of `text` is shorter than a trigram (`IS`, `al`)."""
    return all(len(word) < SHORTEST_FRAGMENT for word in re.findall(r"\w+", text))


def matching(model, text: str, query: SearchQuery):
    """The ids of `model`'s records whose own text matches: three conditions the GIN indexes serve.

    Words shorter than a trigram are matched as whole words only: as substrings or spellings, no index
    serves them, and a one-letter search read every row (seconds at a million events)."""
    condition = Q(search_words=query)
    if not is_short(text):
        condition |= Q(search_text__ilike_contains=text) | Q(search_text__trigram_word_similar=text)
    return (
        model.objects.alias(search_words=SearchVector("search_text", config=CONFIG))
        .filter(condition)
        .order_by()  # a set of ids: the model's default ordering would only make PostgreSQL sort it
        .values("pk")
    )


def search(queryset, text: str, related: tuple[str, ...] = ()):
    """Records whose text, or a related record's (`related` paths, e.g. "place"), matches `text`.

    Matches are words (full-text), substrings, or similar spellings (trigrams). The matching ids are
    found through the indexes of each table first, so that a large table is never scanned row by row.
    Results carry `search_rank`, highest first; an explicit ordering applied afterwards replaces it.
    """
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    model = queryset.model
    # One IN over a UNION (not an OR of INs), so that PostgreSQL looks the few matches up by key
    # instead of testing every row of the table against each list.
    found = matching(model, text, query)
    for path in related:
        target = model._meta.get_field(path).related_model
        found = found.union(
            model.objects.filter(**{f"{path}__in": matching(target, text, query)}).order_by().values("pk")
        )
    # A name that matches counts more than any number of words matching elsewhere.
    rank = TrigramWordSimilarity(text, "search_names") + SearchRank(
        SearchVector("search_text", config=CONFIG), query
    )
    return queryset.filter(pk__in=found).annotate(search_rank=rank).order_by("-search_rank", "slug")
