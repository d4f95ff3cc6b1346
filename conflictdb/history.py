"""The change history of every record, kept by PostgreSQL triggers (django-pghistory).

Every insert, update and delete of a tracked table writes a version row in the same transaction,
however the write was made: the admin, the API, the dataset loader, a bulk `update()` or raw SQL.
Version tables are append-only (a trigger rejects UPDATE and DELETE on them). Each version carries
the context of the write: the user and URL of a web request, or the management command that ran
(see manage.py); writes from outside the application still record the client's `application_name`.
"""

import pghistory
from django.db import models
from django.db.models import Func, Value
from pghistory.models import Event


class Version(Event):
    """The base of every version table."""

    pgh_xid = models.BigIntegerField(
        db_default=Func(function="txid_current"),
        editable=False,
        help_text="The transaction that made the change; orders the changes feed (conflictdb/changes.py).",
    )
    pgh_db_application = models.TextField(
        db_default=Func(Value("application_name"), function="current_setting"),
        editable=False,
        help_text="The database client's application_name (e.g. psql for a write from outside the app).",
    )

    class Meta:
        abstract = True


def version_indexes(name: str, *, slug: bool = False) -> list[models.Index]:
    """The indexes of a version table (pghistory gives an event model its own Meta, without its base's):
    the changes feed's order, and a record's versions in order, from which a history page reads its rows
    and counts those before it from the index alone (conflictdb/versions.py). With `slug`, the versions by
    slug too: a record read at a point is found by the slug it had then, and a list at a point is read in
    slug order (conflictdb/past_tables.py)."""
    return [
        models.Index(fields=["pgh_xid", "pgh_created_at"], name=f"{name}_feed"),
        models.Index(fields=["pgh_obj", "pgh_created_at", "pgh_id"], name=f"{name}_history"),
        *([models.Index(fields=["slug"], name=f"{name}_slug")] if slug else []),
    ]


def tracked(model):
    """Class decorator: keep every version of `model` in a `<Model>Version` table, reachable as `.history`."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        # Derived from the other fields or rows by triggers: a version is a change of the record's own.
        exclude=["search_names", "search_text", "claim_count", "disputed"],
        obj_field=pghistory.ObjForeignKey(related_name="history"),
        append_only=True,
        base_model=Version,
        model_name=f"{model.__name__}Version",
        meta={
            "indexes": version_indexes(
                f"{model.__name__.lower()}version", slug=any(f.name == "slug" for f in model._meta.fields)
            )
        },
    )(model)
