"""An event's claim summary (`claim_count`, `disputed`), kept in its row by PostgreSQL triggers.

Every list page shows both, and `disputed` is a filter: computed per row, they were three subqueries
for each event of a page, a third of the page's cost in PostgreSQL, and an export or a `disputed=false`
page had to search every contradiction. So the events table holds them, and triggers on claims and on
their relations write them again whenever a claim is added, removed or moved to another event, or a
relation is added, removed or changed, however the write is made (the API, the admin, the loaders, raw
SQL). The triggers run once per statement, over the rows it changed: a bulk write updates each event
it touches once. An event's row is written only when its summary changed; these columns are not part
of its history (conflictdb/history.py), and saving an Event never writes them (Event.save).

TRUNCATE fires no row-set trigger: after truncating claims or relations by hand, count every event
again with `SELECT events_refresh_claim_summary(ARRAY(SELECT id FROM events_event))`.
"""

from contextlib import contextmanager

import pgtrigger

from conflictdb import past_tables
from conflictdb.transitions import changed_on_either_side

# Plain SQL in events/migrations/0006_claim_summary.py, as pgtrigger owns trigger functions only; a
# change to it is a migration of its own (CREATE OR REPLACE FUNCTION).
REFRESH = "events_refresh_claim_summary"
SWITCH = "events.claim_summary"  # 'off' (transaction-local) pauses the triggers


def summary_trigger(operation: pgtrigger.Operation, events: str) -> pgtrigger.Trigger:
    """After each statement of `operation`: refresh the summary of the events that `events` (a query of
    the statement's transition tables, old_values and new_values) selects, unless the triggers are paused.

    One trigger per operation, as PostgreSQL gives transition tables only to a trigger of one operation.
    """
    return pgtrigger.Composer(
        name=f"claim_summary_{str(operation).lower()}",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        func=f"IF current_setting('{SWITCH}', true) = 'off' THEN RETURN NULL; END IF;"
        f" PERFORM {REFRESH}(ARRAY({events}));"
        " RETURN NULL;",
    )


# A claim's event: its old and new one when it moves.
CLAIM_TRIGGERS = [
    summary_trigger(pgtrigger.Insert, "SELECT event_id FROM new_values WHERE event_id IS NOT NULL"),
    summary_trigger(pgtrigger.Update, changed_on_either_side("event_id", ("event_id",))),
    summary_trigger(pgtrigger.Delete, "SELECT event_id FROM old_values WHERE event_id IS NOT NULL"),
]


def events_of_relations(*transition_tables: str) -> str:
    """The events of the claims at either end of the relations in `transition_tables`."""
    claims = " UNION ".join(
        f"SELECT {end}_claim_id FROM {rows}" for rows in transition_tables for end in ("from", "to")
    )
    return f"SELECT event_id FROM events_claim WHERE id IN ({claims}) AND event_id IS NOT NULL"


# A relation's two claims' events, before and after the change.
RELATION_TRIGGERS = [
    summary_trigger(pgtrigger.Insert, events_of_relations("new_values")),
    summary_trigger(pgtrigger.Update, events_of_relations("new_values", "old_values")),
    summary_trigger(pgtrigger.Delete, events_of_relations("old_values")),
]


@contextmanager
def triggers_paused(cursor):
    """Inside a transaction: the triggers do nothing until the block ends (for a loader that writes the
    summary itself, or deletes the events with their claims). A setting local to the transaction, which
    the trigger functions read: other sessions' writes keep their summaries."""
    cursor.execute(f"SELECT set_config('{SWITCH}', 'off', true)")
    yield
    cursor.execute(f"SELECT set_config('{SWITCH}', 'on', true)")


# The summary of an event read at a point of the history (conflictdb/past_tables.py), which its versions
# leave out: from the claims and relations at the same point, as events_refresh_claim_summary counts it.
past_tables.DERIVED["events_event"] = {
    "claim_count": "(SELECT count(*) FROM {schema}.events_claim AS c"
    " WHERE c.event_id = latest.pgh_obj_id)::integer",
    "disputed": "EXISTS (SELECT FROM {schema}.events_claim AS c JOIN {schema}.events_claimrelation AS r"
    " ON r.kind = 'contradicts' AND c.id IN (r.from_claim_id, r.to_claim_id)"
    " WHERE c.event_id = latest.pgh_obj_id)",
}
