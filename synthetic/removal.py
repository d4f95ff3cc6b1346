"""Removing every synthetic row and its links, without history, leaving the curated records as they were."""

from django.db import transaction

from conflictdb.models import SYNTHETIC_PREFIX as PREFIX
from events.models import Actor, Claim, ClaimRelation, Event, EventActor, Place
from events.summary import REFRESH, triggers_paused
from sources.models import Source
from synthetic.tables import execute, without_history


def delete(cursor) -> dict[str, int]:
    """Delete every synthetic row and its links, in dependency order; the rows deleted per table."""
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
        execute(cursor, f"DELETE FROM {model._meta.db_table} WHERE {condition}")
        counts[model._meta.db_table] = cursor.rowcount
    execute(cursor, f"SELECT {REFRESH}(%s)", [others])
    return counts


def remove() -> dict[str, int]:
    """Delete every synthetic row in one transaction, without history; the rows deleted per table."""
    with transaction.atomic(), without_history("delete") as cursor, triggers_paused(cursor):
        return delete(cursor)
