"""Context rows (who made a change: user, URL, command) are append-only, as the versions are.

pghistory's tracking triggers upsert the context a session names with each tracked write: the same
transaction may update the row it inserted (its metadata grows as the request goes on), but a later
transaction may not change a context, nor delete one, whoever it is (the triggers run with the owner's
rights, conflictdb/roles.py). A plain trigger rather than a pgtrigger one, which `pgtrigger.ignore`
would let a session skip; the application's role cannot drop or disable it, as it owns no table
(conflictdb/roles.py).

Whether the old row is the current transaction's own: its xmin is an xid of this transaction or of one of
its subtransactions exactly when pg_xact_status() says "in progress" (another transaction's rows still in
progress are invisible here, and an update waits for them to end). xmin is 32 bits: it is widened with the
current transaction's epoch.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION conflictdb_context_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_xmin bigint;
    current_xid bigint := pg_current_xact_id()::text::bigint;
    widened bigint;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.created_at = OLD.created_at THEN
        SELECT xmin::text::bigint INTO old_xmin FROM pghistory_context WHERE id = OLD.id;
        widened := (current_xid >> 32 << 32) + old_xmin;
        IF widened > current_xid + 2147483648 THEN
            widened := widened - 4294967296;
        END IF;
        IF widened >= 0 AND pg_xact_status(widened::text::xid8) = 'in progress' THEN
            RETURN NEW;
        END IF;
    END IF;
    -- No % placeholders: pghistory adds parameters to the statements a command runs.
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'history contexts are append-only: ' || TG_OP || ' of context ' || OLD.id || ' refused';
END;
$$;

CREATE TRIGGER conflictdb_context_append_only
    BEFORE UPDATE OR DELETE ON pghistory_context
    FOR EACH ROW EXECUTE FUNCTION conflictdb_context_append_only();
"""

BACKWARD = """
DROP TRIGGER conflictdb_context_append_only ON pghistory_context;
DROP FUNCTION conflictdb_context_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("pghistory", "0007_auto_20250421_0444")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
