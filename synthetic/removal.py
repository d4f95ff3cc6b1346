"""Removing every synthetic row and its links, and their versions, leaving the curated records as they were.

The versions removed are those of the rows removed, whoever wrote them, and those the generator wrote of
synthetic rows a generation of the history deleted (by their context, synthetic/history.py). Renamed
synthetic rows (bench/releases.py) are no longer synthetic: they and every version of theirs stay.
"""

from django.db import transaction

from conflictdb.models import SYNTHETIC_PREFIX as PREFIX
from conflictdb.past import versions_of
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.summary import REFRESH, triggers_paused
from sources.models import Source
from synthetic.history import generator_contexts
from synthetic.tables import execute, without_history


def delete(cursor) -> dict[str, int]:
    """Delete every synthetic row and its links, and their versions, in dependency order; the rows
    deleted per table (a version table's only when it had some)."""
    synthetic = f"LIKE '{PREFIX}%'"
    claims = f"SELECT id FROM {Claim._meta.db_table} WHERE slug {synthetic}"
    events = f"SELECT id FROM {Event._meta.db_table} WHERE slug {synthetic}"
    statements = (
        (ClaimRelation, f"from_claim_id IN ({claims}) OR to_claim_id IN ({claims})"),
        (Claim, f"slug {synthetic}"),
        (EventActor, f"event_id IN ({events})"),
        (Event, f"slug {synthetic}"),
        (Place, f"slug {synthetic}"),
        (Actor, f"slug {synthetic}"),
        (Source, f"slug {synthetic}"),
    )
    # Other events whose claims a synthetic claim contradicted (written through the API, say): their
    # summary is counted again afterwards, the triggers being paused.
    execute(
        cursor,
        f"SELECT ARRAY(SELECT DISTINCT c.event_id FROM {Claim._meta.db_table} c"
        f" JOIN {ClaimRelation._meta.db_table} r ON c.id IN (r.from_claim_id, r.to_claim_id)"
        f" WHERE c.slug NOT {synthetic} AND c.event_id IS NOT NULL"
        f" AND (r.from_claim_id IN ({claims}) OR r.to_claim_id IN ({claims})))",
    )
    (others,) = cursor.fetchone()
    counts = {}
    for model, condition in statements:
        table, versions = model._meta.db_table, versions_of(model)._meta.db_table
        execute(
            cursor, f"DELETE FROM {versions} WHERE pgh_obj_id IN (SELECT id FROM {table} WHERE {condition})"
        )
        counts[versions] = cursor.rowcount
        execute(cursor, f"DELETE FROM {table} WHERE {condition}")
        counts[table] = cursor.rowcount
    # The versions of the synthetic rows that a generation of the history deleted.
    contexts = generator_contexts(cursor)
    for model, _ in statements:
        table, versions = model._meta.db_table, versions_of(model)._meta.db_table
        execute(
            cursor,
            f"DELETE FROM {versions} v WHERE pgh_context_id = ANY(%s::uuid[])"
            f" AND NOT EXISTS (SELECT FROM {table} t WHERE t.id = v.pgh_obj_id)",
            [contexts],
        )
        counts[versions] += cursor.rowcount
    execute(cursor, f"SELECT {REFRESH}(%s)", [others])
    return {table: count for table, count in counts.items() if count or not table.endswith("version")}


def remove() -> dict[str, int]:
    """Delete every synthetic row and its versions in one transaction; the rows deleted per table."""
    with transaction.atomic(), without_history("delete", "append_only") as cursor, triggers_paused(cursor):
        return delete(cursor)
