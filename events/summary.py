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

from django.db import migrations

from events.vocabularies import ClaimRelationKind

REFRESH = "events_refresh_claim_summary"
SWITCH = "events.claim_summary"  # 'off' (transaction-local) pauses the triggers
# (table, trigger function); a trigger per operation, as each has its own transition tables.
TRIGGERS = [
    ("events_claim", "events_claim_summary_of_claims"),
    ("events_claimrelation", "events_claim_summary_of_relations"),
]
OPERATIONS = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}

CONTRADICTS = ClaimRelationKind.CONTRADICTS.value

# The summary of the events `event_ids`, from their claims. Set-based, so that one call for a million
# events is a few joins, and one for a single event a few index lookups.
#
# The events are locked first, in id order, and counted by a second statement. Each statement of a
# volatile function reads a new snapshot: two transactions adding a claim to one event take turns, and
# the second counts the first's claim once it has committed. Counted in the same statement as the lock,
# the second would count from before the first committed, and keep its stale count. The order of the
# locks keeps two bulk writes over the same events from deadlocking on them.
REFRESH_FUNCTION = f"""
CREATE FUNCTION {REFRESH}(event_ids bigint[]) RETURNS void LANGUAGE sql AS $$
    SELECT FROM events_event WHERE id IN (SELECT unnest(event_ids)) ORDER BY id FOR NO KEY UPDATE;
    WITH ids AS (SELECT DISTINCT unnest(event_ids) AS id),
    counted AS (
        SELECT event_id, count(*) AS claim_count FROM events_claim
        WHERE event_id IN (SELECT id FROM ids) GROUP BY event_id
    ),
    contested AS (
        SELECT c.event_id FROM events_claim c JOIN events_claimrelation r ON r.from_claim_id = c.id
        WHERE c.event_id IN (SELECT id FROM ids) AND r.kind = '{CONTRADICTS}'
        UNION
        SELECT c.event_id FROM events_claim c JOIN events_claimrelation r ON r.to_claim_id = c.id
        WHERE c.event_id IN (SELECT id FROM ids) AND r.kind = '{CONTRADICTS}'
    ),
    summary AS (
        SELECT ids.id, coalesce(counted.claim_count, 0) AS claim_count,
            contested.event_id IS NOT NULL AS disputed
        FROM ids
        LEFT JOIN counted ON counted.event_id = ids.id
        LEFT JOIN contested ON contested.event_id = ids.id
    )
    UPDATE events_event AS event SET claim_count = summary.claim_count, disputed = summary.disputed
    FROM summary
    WHERE event.id = summary.id
        AND (event.claim_count, event.disputed) IS DISTINCT FROM (summary.claim_count, summary.disputed)
$$;
"""

# A claim's event: its old and new one when it moves.
CLAIMS_FUNCTION = f"""
CREATE FUNCTION events_claim_summary_of_claims() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('{SWITCH}', true) = 'off' THEN
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM {REFRESH}(ARRAY(SELECT event_id FROM new_rows WHERE event_id IS NOT NULL));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM {REFRESH}(ARRAY(SELECT event_id FROM old_rows WHERE event_id IS NOT NULL));
    ELSE
        PERFORM {REFRESH}(ARRAY(
            SELECT unnest(ARRAY[old_rows.event_id, new_rows.event_id])
            FROM old_rows JOIN new_rows ON new_rows.id = old_rows.id
            WHERE old_rows.event_id IS DISTINCT FROM new_rows.event_id
        ));
    END IF;
    RETURN NULL;
END $$;
"""

# A relation's two claims' events, before and after the change.
RELATIONS_FUNCTION = f"""
CREATE FUNCTION events_claim_summary_of_relations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    claim_ids bigint[] := '{{}}';
BEGIN
    IF current_setting('{SWITCH}', true) = 'off' THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        claim_ids := claim_ids
            || ARRAY(SELECT from_claim_id FROM new_rows UNION SELECT to_claim_id FROM new_rows);
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        claim_ids := claim_ids
            || ARRAY(SELECT from_claim_id FROM old_rows UNION SELECT to_claim_id FROM old_rows);
    END IF;
    PERFORM {REFRESH}(ARRAY(
        SELECT event_id FROM events_claim WHERE id IN (SELECT unnest(claim_ids)) AND event_id IS NOT NULL
    ));
    RETURN NULL;
END $$;
"""


def trigger_names(table: str) -> list[str]:
    return [f"{table}_summary_{operation.lower()}" for operation in OPERATIONS]


def create_triggers() -> str:
    return "".join(
        f"CREATE TRIGGER {name} AFTER {operation} ON {table} REFERENCING {referencing}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {function}();\n"
        for table, function in TRIGGERS
        for name, (operation, referencing) in zip(trigger_names(table), OPERATIONS.items(), strict=True)
    )


def summary_triggers() -> migrations.RunSQL:
    """The migration adding the functions and triggers, and filling the summary of existing events."""
    return migrations.RunSQL(
        sql=REFRESH_FUNCTION
        + CLAIMS_FUNCTION
        + RELATIONS_FUNCTION
        + create_triggers()
        + f"SELECT {REFRESH}(ARRAY(SELECT id FROM events_event));",
        reverse_sql="".join(f"DROP TRIGGER {name} ON {table};" for table, name in all_triggers())
        + "".join(f"DROP FUNCTION {function}();" for _, function in TRIGGERS)
        + f"DROP FUNCTION {REFRESH}(bigint[]);",
    )


@contextmanager
def triggers_paused(cursor):
    """Inside a transaction: the triggers do nothing until the block ends (for a loader that writes the
    summary itself, or deletes the events with their claims). A setting local to the transaction, which
    the trigger functions read: other sessions' writes keep their summaries."""
    cursor.execute(f"SELECT set_config('{SWITCH}', 'off', true)")
    yield
    cursor.execute(f"SELECT set_config('{SWITCH}', 'on', true)")


def all_triggers() -> list[tuple[str, str]]:
    return [(table, name) for table, _ in TRIGGERS for name in trigger_names(table)]
