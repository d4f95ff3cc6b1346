"""Filters of one collection offered on another, through a relation: the claims filtered by their event.

A claim's event is filtered as the events collection filters events, by the very filters that collection
declares, reached through the relation: the same parameters, the same values, the same 400s and the same
semantics (a date range overlaps, a bbox is west,south,east,north), defined once.
"""

import copy

from django_filters.filters import Filter


def through(relation: str, filterset, *names: str) -> list:
    """Copies of `filterset`'s declared filters `names`, in that order, filtering the records whose
    `relation` (a foreign key to `filterset`'s model) matches. A filter with a `method` is refused: its
    method belongs to the other FilterSet and reads that FilterSet's parameters."""
    copies = []
    for name in names:
        original = filterset.declared_filters[name]
        if original.method is not None:
            raise ValueError(f"{filterset.__name__}.{name} filters by a method: it cannot be reached")
        copied = copy.copy(original)
        copied.__dict__.pop("_field", None)  # a form field built for the other FilterSet, if any
        copied.field_name = f"{relation}__{original.field_name or name}"
        copied.extra = dict(original.extra)
        if original._label:
            copied.label = f"Of the {relation}: {original._label}"
        # FilterSets order their filters by creation: the copy takes its place where it is declared.
        copied.creation_counter = Filter.creation_counter
        Filter.creation_counter += 1
        copies.append(copied)
    return copies
