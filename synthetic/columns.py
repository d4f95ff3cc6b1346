"""The columns each table's synthetic rows are written in, in COPY order (`id` and timestamps aside): the
models' own field lists (conflictdb/fieldlists.py), so that a row of the generator is a record as the
description orders it. Events carry their claims' summary too, which the load writes while the summary
triggers are paused. Synthetic records were never renamed: `previous_slugs` is left to its default.

The load fires no row trigger (synthetic/tables.py `row_triggers_disabled`), so the search columns that
the search trigger would write (conflictdb/search.py) are written with each row, computed here from the
columns the trigger reads (its `search_sources`), as its SQL computes them.
"""

from collections.abc import Callable

from django.db import models

from conflictdb.fieldlists import stored_columns
from events.models import Event

SEARCH_COLUMNS = ("search_names", "search_text")


def copy_columns(model: type[models.Model]) -> list[str]:
    columns = [column for column in stored_columns(model) if column != "previous_slugs"]
    return [*columns, *(Event.SUMMARY if model is Event else ())]


def search_sources(model: type[models.Model]) -> tuple[list[str], list[str]] | None:
    """The columns the model's search trigger reads (names, texts), or None for a table it has not."""
    return next((t.search_sources for t in model._meta.triggers if hasattr(t, "search_sources")), None)


def search_values(model: type[models.Model], columns: list[str]) -> Callable[[tuple], tuple[str, str]] | None:
    """For a row in `columns`' order, its SEARCH_COLUMNS (None for a table without them), as the search
    trigger's concat_ws(' ', coalesce(column, ''), array_to_string(array, ' '), ...) computes them: a
    NULL text counts as an empty one, a NULL array is left out, an array's NULL elements too."""
    sources = search_sources(model)
    if sources is None:
        return None
    names, texts = sources

    def positions(sources: list[str]) -> list[tuple[int, bool]]:
        return [(columns.index(source.removesuffix("[]")), source.endswith("[]")) for source in sources]

    def joined(row: tuple, parts: list[tuple[int, bool]]) -> str:
        strings = []
        for position, is_array in parts:
            value = row[position]
            if not is_array:
                strings.append("" if value is None else value)
            elif value is not None:
                strings.append(" ".join(element for element in value if element is not None))
        return " ".join(strings)

    name_parts, text_parts = positions(names), positions(names + texts)
    return lambda row: (joined(row, name_parts), joined(row, text_parts))
