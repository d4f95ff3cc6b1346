"""Releases are immutable: UPDATE and DELETE of a release, a file or a chunk are refused to every role.

A plain trigger, as for the history's contexts (conflictdb/migrations/0001): not one `pgtrigger.ignore`
could skip, and one the servers' role cannot drop or disable, as it owns no table. That role may only
read and insert these rows (conflictdb/roles.py); the owner could drop the trigger (docs/security.md).
TRUNCATE fires no row trigger: only the owner may truncate, as the test runner's flush does.
"""

from django.db import migrations

TABLES = ["releases_release", "releases_releasefile", "releases_releasefilechunk"]

FORWARD = """
CREATE FUNCTION releases_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- No % placeholders: pghistory adds parameters to the statements a command runs.
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
        MESSAGE = 'releases are immutable: ' || TG_OP || ' on ' || TG_TABLE_NAME || ' refused';
END;
$$;
""" + "".join(
    f"CREATE TRIGGER releases_immutable BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION releases_immutable();\n"
    for table in TABLES
)

BACKWARD = "".join(f"DROP TRIGGER releases_immutable ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION releases_immutable();"
)


class Migration(migrations.Migration):
    dependencies = [("releases", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
