"""The two database roles: the owner, which migrates, and the application's role, which serves.

The history is only as safe as the credentials of whoever can reach the database. The servers connect as
a role that owns nothing and holds only the privileges granted here: it reads and writes the records and
Django's own tables, only reads and adds to the tables of models that declare `APPEND_ONLY` (releases),
and only reads the versions and their contexts, which pghistory's triggers write with
the owner's rights (SECURITY DEFINER). What it cannot do, and why (docs/security.md):
- write, UPDATE, DELETE or TRUNCATE a version or context row: it has no such privilege (and a context may
  be updated only by the transaction that inserted it, for pghistory's upsert, whoever runs it: the trigger
  of conflictdb/migrations/0001);
- disable, drop or create a trigger, or replace a function: each needs ownership, or a TRIGGER or CREATE
  privilege it does not have;
- divert the versions into a temporary table of the same name: the trigger functions have their own
  search_path, public first (`pin_search_paths`);
- skip a trigger with `SET pgtrigger.ignore`: pgtrigger's `_pgtrigger_should_ignore()` is redefined after
  every migrate to honour that setting only for a session whose login role is a member of the owner (a
  session cannot change its login role, nor SET ROLE to a role it is not a member of).

Grants are given per table, so a table that a later migration adds is granted nothing until they are
given again: the post_migrate handler (conflictdb/apps.py) gives them after every migrate.
"""

import pghistory.trigger
import pgtrigger
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from pghistory.models import Context, Event

from conflictdb import past_tables

# Read, never written at run time: their rows are made by migrate (as the owner).
READ_ONLY_TABLES = {"django_migrations", "django_content_type", "auth_permission"}

# pgtrigger's function of the same name, except that the ignore list counts only for the owner's sessions.
# The owner is named by its oid, so that a rename does not open the door. Triggers call it schema-qualified.
SHOULD_IGNORE_FUNCTION = """
CREATE OR REPLACE FUNCTION "public"._pgtrigger_should_ignore(trigger_name NAME)
RETURNS BOOLEAN AS $$
    DECLARE
        _pgtrigger_ignore TEXT[];
    BEGIN
        BEGIN
            SELECT INTO _pgtrigger_ignore CURRENT_SETTING('pgtrigger.ignore');
            EXCEPTION WHEN OTHERS THEN
        END;
        IF _pgtrigger_ignore IS NULL OR NOT (trigger_name = ANY(_pgtrigger_ignore)) THEN
            RETURN FALSE;
        END IF;
        RETURN pg_has_role(session_user, {owner_oid:d}::oid, 'MEMBER');
    END;
$$ LANGUAGE plpgsql;
"""
# The owner of the history's tables; before they exist (a migration applied alone), whoever migrates.
OWNER_OID = """
SELECT COALESCE(
    (SELECT relowner FROM pg_class WHERE oid = to_regclass('public.pghistory_context')),
    (SELECT oid FROM pg_roles WHERE rolname = current_user)
)::bigint
"""


# The trigger functions name their tables without a schema, and a session's own temporary tables come
# first in its search_path: a temporary table named after a version table would receive the versions.
# Each gets a search_path of its own, the public schema first. pgtrigger's ignore function is left out (it
# names no table, only functions of pg_catalog, which comes first) as it runs for every row written.
PLPGSQL_FUNCTIONS = """
SELECT p.oid::regprocedure::text, p.prosecdef,
       p.proconfig IS NOT DISTINCT FROM ARRAY['search_path=public, pg_temp']
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'public'::regnamespace AND l.lanname = 'plpgsql'
   AND p.proname <> '_pgtrigger_should_ignore' AND pg_has_role(p.proowner, 'USAGE')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""


class RoleError(ImproperlyConfigured):
    """The application's role would be able to rewrite the history (or does not exist)."""


def honour_ignore_only_for_owner(using: str = DEFAULT_DB_ALIAS) -> None:
    """Redefine `_pgtrigger_should_ignore()`, which pgtrigger replaces whenever it installs a trigger."""
    with connections[using].cursor() as cursor:
        cursor.execute(OWNER_OID)
        # An integer formatted in, no parameter: pghistory adds its own to the statements a command runs.
        cursor.execute(SHOULD_IGNORE_FUNCTION.format(owner_oid=cursor.fetchone()[0]))


def tracking_functions() -> set[str]:
    """The functions of pghistory's triggers, which write the versions (and upsert their context)."""
    return {
        f"{trigger.get_pgid(model)}()"
        for model, trigger in pgtrigger.registered()
        if isinstance(trigger, pghistory.trigger.Event)
    }


def pin_search_paths(using: str = DEFAULT_DB_ALIAS) -> None:
    """Give the trigger functions a search_path of their own, and pghistory's the owner's rights (SECURITY
    DEFINER), so that the versions and contexts are written by the owner and the application's role needs
    no privilege to write either. pgtrigger's CREATE OR REPLACE undoes both: this runs after every migrate.
    """
    tracking = tracking_functions()
    with connections[using].cursor() as cursor:
        cursor.execute(PLPGSQL_FUNCTIONS)
        for function, definer, pinned in cursor.fetchall():
            if pinned and definer == (function in tracking):
                continue
            rights = "SECURITY DEFINER" if function in tracking else "SECURITY INVOKER"
            cursor.execute(f"ALTER FUNCTION {function} {rights} SET search_path = public, pg_temp")


def role_exists(role: str, using: str = DEFAULT_DB_ALIAS) -> bool:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def create_role(role: str, password: str | None, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Create `role` (a login that may do nothing else) unless it exists; set its password if one is given.

    Returns whether the role was created.
    """
    connection = connections[using]
    name = connection.ops.quote_name(role)
    created = not role_exists(role, using)
    with connection.cursor() as cursor:
        if created:
            cursor.execute(
                f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            )
        else:
            refuse_privileged(role, using)  # before touching a role that may be someone else's
        if password is not None:
            # A utility statement takes no parameters: the password is quoted as a literal by PostgreSQL.
            cursor.execute("SELECT format('ALTER ROLE %%I PASSWORD %%L', %s, %s)", [role, password])
            cursor.execute(cursor.fetchone()[0])
    return created


def refuse_privileged(role: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise RoleError when `role` is a superuser, may bypass row security, or is (a member of) the owner."""
    with connections[using].cursor() as cursor:
        cursor.execute(OWNER_OID)
        owner = cursor.fetchone()[0]
        cursor.execute(
            """SELECT rolsuper OR rolbypassrls OR rolcreaterole, pg_has_role(oid, %s::oid, 'MEMBER')
                 FROM pg_roles WHERE rolname = %s""",
            [owner, role],
        )
        row = cursor.fetchone()
    if row is None:
        raise RoleError(
            f"The database role {role!r} does not exist: create it with manage.py create_app_role."
        )
    privileged, owner = row
    if privileged or owner:
        raise RoleError(
            f"The database role {role!r} is a superuser, may create roles or bypass row security, or owns "
            "the tables (or is a member of their owner): it could rewrite the history. Use a role that owns "
            "nothing (manage.py create_app_role)."
        )


def table_privileges() -> dict[str, str]:
    """Each table of an installed model, with the privileges the application's role gets on it."""
    versions = {model._meta.db_table for model in apps.get_models() if issubclass(model, Event)}
    privileges = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if not model._meta.managed or model._meta.proxy:
            continue
        if table in versions or table == Context._meta.db_table or table in READ_ONLY_TABLES:
            # Versions and contexts are written by the tracking triggers with the owner's rights.
            privileges[table] = "SELECT"
        elif getattr(model, "APPEND_ONLY", False):  # written once, never changed (releases/models.py)
            privileges[table] = "SELECT, INSERT"
        else:
            privileges[table] = "SELECT, INSERT, UPDATE, DELETE"
    privileges["django_migrations"] = "SELECT"  # runserver's check for unapplied migrations
    return privileges


def grant(role: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Give `role` exactly the privileges the server needs, in one transaction, run as the owner."""
    refuse_privileged(role, using)
    connection = connections[using]
    name = connection.ops.quote_name(role)
    database = connection.ops.quote_name(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(past_tables.SCHEMAS)]
        )
        past_schemas = sorted(row[0] for row in cursor.fetchall())
    statements = [
        # Before PostgreSQL 15 every role may create objects in the public schema.
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {name}",
        f"GRANT CONNECT ON DATABASE {database} TO {name}",
        f"GRANT USAGE ON SCHEMA public TO {name}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {name}",
    ]
    # The views of the past (conflictdb/past_tables.py), read only; they read the versions as the owner.
    for schema in past_schemas:
        statements += [
            f"GRANT USAGE ON SCHEMA {schema} TO {name}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {name}",
        ]
    statements += [
        f"GRANT {privileges} ON {connection.ops.quote_name(table)} TO {name}"
        for table, privileges in sorted(table_privileges().items())
        if table in existing
    ]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: the ignore list for the owner only; the app role's grants given again, new tables too.

    The embedded server's app role is created here when it is missing, as `make run` needs it at once.
    """
    honour_ignore_only_for_owner(using)
    pin_search_paths(using)
    role = settings.DATABASE_APP_ROLE
    if not role:
        return
    if settings.EMBEDDED_DATABASE:
        create_role(role, password=None, using=using)
    grant(role, using)


def connect_as_owner(using: str = DEFAULT_DB_ALIAS) -> None:
    """Make `using` connect as the owner (DATABASE_OWNER_URL) from now on in this process: for migrate and
    the other commands that alter the schema or skip triggers.

    The alias keeps its name and its database (the test database, in a test run): only the credentials
    change, so that everything written through the default alias (data migrations, the post_migrate
    handlers of every app, the synthetic loader) is written by the owner.
    """
    owner = settings.DATABASE_OWNER
    if not owner or using != DEFAULT_DB_ALIAS:
        return
    connection = connections[using]
    connection.close()
    connection.settings_dict.update(owner)
