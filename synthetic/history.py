"""Writing versions in bulk: one INSERT … SELECT per table instead of a pghistory trigger per row.

A version written here is the row the model's pghistory trigger would have written for the same operation
(conflictdb/history.py): every tracked column of the row, the row's id as `pgh_obj_id`, the operation's
label, the clock time, and a context; `pgh_xid` and `pgh_db_application` are left to their defaults, as
the triggers leave them. The columns are the version model's own, so a field added to a model is versioned
here as soon as its migration adds it to the version table. The caller writes with the history triggers
ignored (synthetic.tables.without_history), and writes an update's or an insert's versions after the rows
are written, a delete's before they are deleted (the trigger writes the OLD row).

A context is one pghistory_context row per operation, as a command's writes get one (manage.py). Contexts
are append-only (conflictdb/migrations/0001): the generator's are named by a deterministic id (one per
generation), so that loading again reuses them instead of leaving more behind each time.
"""

import json
import uuid

from django.db import models

from conflictdb.models import SYNTHETIC_PREFIX
from conflictdb.past import versions_of
from synthetic.tables import execute

LABELS = ("insert", "update", "delete")  # pghistory's labels (pghistory.InsertEvent() and the others)
NAMESPACE = uuid.UUID("5f1f6f0e-0b7e-4c39-9d2a-6c1e7a3b2d10")  # of the generator's context ids


def tracked_columns(model: type[models.Model]) -> list[str]:
    """The columns a version copies from its row: the version model's fields that are not pghistory's."""
    return [
        field.column
        for field in versions_of(model)._meta.concrete_fields
        if not field.name.startswith("pgh_")
    ]


def generator_metadata(generation: int) -> dict:
    """The metadata of the generator's context for a generation of the history (0: the rows' creation)."""
    return {"command": "generate_synthetic", "synthetic": True, "generation": generation}


def context(cursor, name: str, metadata: dict) -> str:
    """The id of the context `name` (a deterministic one, written the first time), with `metadata`."""
    context_id = str(uuid.uuid5(NAMESPACE, name))
    execute(
        cursor,
        "INSERT INTO pghistory_context (id, metadata, created_at, updated_at)"
        " VALUES (%s, %s, now(), now()) ON CONFLICT (id) DO NOTHING",
        [context_id, json.dumps(metadata)],
    )
    return context_id


def generator_contexts(cursor) -> list[str]:
    """The ids of every context the generator wrote (its versions carry them)."""
    execute(cursor, "SELECT id::text FROM pghistory_context WHERE metadata @> '{\"synthetic\": true}'")
    return [row[0] for row in cursor.fetchall()]


def write_versions(cursor, model, label: str, condition: str, params=(), *, context_id: str) -> int:
    """Write a `label` version of every row of `model`'s table that `condition` (SQL) selects; how many.

    The versions are written in id order, each with its own clock time, as row triggers would.
    """
    if label not in LABELS:
        raise ValueError(f"unknown version label {label!r}")
    columns = tracked_columns(model)
    table, versions = model._meta.db_table, versions_of(model)._meta.db_table
    listed = ", ".join(columns)
    execute(
        cursor,
        f"INSERT INTO {versions} ({listed}, pgh_obj_id, pgh_label, pgh_context_id, pgh_created_at)"
        f" SELECT {listed}, id, %s, %s::uuid, clock_timestamp() FROM {table} WHERE {condition} ORDER BY id",
        [label, context_id, *params],
    )
    return cursor.rowcount


def synthetic_condition(model) -> str:
    """SQL selecting the synthetic rows of `model`'s table (a link by the record it belongs to)."""
    from events.models import Claim, ClaimRelation, Event, EventActor

    owners = {EventActor: ("event_id", Event), ClaimRelation: ("from_claim_id", Claim)}
    if model in owners:
        column, owner = owners[model]
        return f"{column} IN (SELECT id FROM {owner._meta.db_table} WHERE {synthetic_condition(owner)})"
    return f"starts_with(slug, '{SYNTHETIC_PREFIX}')"
