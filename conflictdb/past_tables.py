"""The tables of the past: for each kind of point, a schema of views named as the live tables.

A read of the past (`?release=`, `?as_of=`: conflictdb/points.py) runs the very SQL a live read runs (the
lists' one statement, the filters, the counts, the exports' COPY) with `search_path` set to one of these
schemas for its transaction: `events_event` is then the view of the events at the point, and every filter,
ordering, cursor and count applies to that state unchanged. The point itself is a transaction-local
setting the views read (`conflictdb.snapshot` or `conflictdb.moment`), so that nothing rests on the session.

Each view is the latest version in the point's past of each record of a tracked table (conflictdb/past.py's
rule: the one of highest `pgh_id`, left out when that version is a delete), with the live table's columns.
The columns that versions leave out (conflictdb/history.py) are derived at the point: the search columns
from the record's own, as their trigger fills them (conflictdb/search.py), and the others by the SQL their
owner registers (`DERIVED`: an event's claim summary, events/summary.py), which reads the other views of
the same schema. A column that is neither is an error at migrate, not a silent null.

The views are dropped before every migrate (a column a view reads cannot change under it) and written again
after it from the models as they are then, once every migration is applied (until then, the models are
not the tables).
"""

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from conflictdb.history import Version
from conflictdb.models import SYNTHETIC_PREFIX
from conflictdb.past import versions_of
from conflictdb.search import search_columns

# The condition a version row (`{v}`) meets to be in the point's past, per schema. The snapshot's bounds
# first, so that the feed index (`pgh_xid`) is used before the function is asked about the rows between.
SNAPSHOT = "current_setting('conflictdb.snapshot')::pg_snapshot"
SCHEMAS = {
    "past_snapshot": (
        f"({{v}}.pgh_xid < pg_snapshot_xmin({SNAPSHOT})::text::bigint"
        f" OR ({{v}}.pgh_xid < pg_snapshot_xmax({SNAPSHOT})::text::bigint"
        f" AND pg_visible_in_snapshot({{v}}.pgh_xid::text::xid8, {SNAPSHOT})))"
    ),
    "past_moment": "{v}.pgh_created_at < current_setting('conflictdb.moment')::timestamptz",
}

# {table: {column: SQL}}: columns the versions leave out, as SQL over the view's row `latest` in which
# `{schema}` names the schema of the views at the same point. Registered by the owner of the column.
DERIVED: dict[str, dict[str, str]] = {}


def tracked_models() -> list:
    """The models whose every version is kept (conflictdb/history.tracked)."""
    return [
        model
        for model in apps.get_models()
        if hasattr(model, "history") and issubclass(versions_of(model), Version)
    ]


def derived_columns(model, schema: str) -> dict[str, str]:
    """{column: SQL} of `model`'s columns its versions leave out."""
    derived = {}
    for trigger in model._meta.triggers:
        if hasattr(trigger, "search_sources"):
            derived |= search_columns(*trigger.search_sources, row="latest")
    derived |= {
        column: sql.format(schema=schema) for column, sql in DERIVED.get(model._meta.db_table, {}).items()
    }
    return derived


def view_sql(model, schema: str) -> str:
    """CREATE VIEW of `model`'s records at the point of `schema`."""
    versions = versions_of(model)._meta.db_table
    kept = {field.column for field in versions_of(model)._meta.concrete_fields}
    derived = derived_columns(model, schema)
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            columns.append(f"latest.pgh_obj_id AS {field.column}")
        elif field.column in derived:
            columns.append(f"{derived[field.column]} AS {field.column}")
        elif field.column in kept:
            columns.append(f"latest.{field.column}")
        else:
            raise LookupError(f"{model._meta.db_table}.{field.column}: neither in its versions nor derived.")
    in_past = SCHEMAS[schema]
    # A release is of the curated records (releases/making.py): at a snapshot, the synthetic benchmark
    # records, which may have versions (synthetic/history.py), are left out as from its files.
    curated = (
        f" AND NOT starts_with(latest.slug, '{SYNTHETIC_PREFIX}')"
        if schema == "past_snapshot" and "slug" in kept
        else ""
    )
    # The latest version: none later in the past. Written as a condition on each version row rather than
    # as DISTINCT ON, so that a filter on the view (a slug, an event's claims) or its order (by slug)
    # reaches the versions' indexes, and a page or a record reads its rows, not every version first.
    return (
        f"CREATE VIEW {schema}.{model._meta.db_table} AS SELECT {', '.join(columns)}"
        f" FROM public.{versions} AS latest"
        f" WHERE {in_past.format(v='latest')} AND latest.pgh_label <> 'delete'{curated}"
        f" AND NOT EXISTS (SELECT FROM public.{versions} AS later WHERE later.pgh_obj_id = latest.pgh_obj_id"
        f" AND later.pgh_id > latest.pgh_id AND {in_past.format(v='later')})"
    )


def drop_views(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """pre_migrate: no view holds a column a migration changes."""
    with connections[using].cursor() as cursor:
        for schema in SCHEMAS:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def create_views(using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate: the views of every tracked table, in one transaction; those with registered columns
    last, as those read the others' views (a view names the views it reads when it is written)."""
    if MigrationExecutor(connections[using]).migration_plan(MigrationLoader(None).graph.leaf_nodes()):
        return  # migrated part of the way only: the models are not the tables yet
    models = sorted(tracked_models(), key=lambda model: model._meta.db_table in DERIVED)
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for schema in SCHEMAS:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
            for model in models:
                cursor.execute(view_sql(model, schema))
