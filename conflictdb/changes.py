"""Reading the history: a record's versions, and the feed of every change since a moment.

Version rows are written by triggers (conflictdb/history.py). A link row (an event's actor, a claim's
relation) has no public identity: in the feed its change is reported as an update of the record it
belongs to, named by the model's `history_parent` foreign key.
"""

from datetime import datetime

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from conflictdb import parameters
from conflictdb.history import Version

ACTIONS = {"insert": "create", "update": "update", "delete": "delete"}


def version_models() -> list:
    return [model for model in apps.get_models() if issubclass(model, Version)]


def collection_of(model) -> str:
    return str(model._meta.verbose_name_plural)


def usernames(user_ids) -> dict:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))


def attribution(metadata: dict | None, application: str, names: dict) -> dict:
    """Who or what made a change: a user (with the URL), a command, or only the database client."""
    metadata = metadata or {}
    return {
        "user": names.get(metadata.get("user")),
        "url": metadata.get("url"),
        "command": metadata.get("command"),
        "application": application or None,
    }


# The feed -------------------------------------------------------------------------------------------


class ChangeSerializer(serializers.Serializer):
    """One change: which record, what happened, when and by whom. A delete is a tombstone with the slug."""

    at = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=list(ACTIONS.values()))
    collection = serializers.CharField()
    slug = serializers.CharField()
    renamed_from = serializers.CharField(
        allow_null=True, help_text="The slug before this change, when it renamed the record; else null."
    )
    user = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_null=True)
    command = serializers.CharField(allow_null=True)
    application = serializers.CharField(allow_null=True)


# A position in the feed: (transaction id, time, version table, version id). Changes are ordered by the
# transaction that made them, then by time within it; only transactions older than every one still running
# are shown, so a change can never appear behind a position a client has already passed.
Position = tuple[int, datetime, str, int]
HORIZON = Q(pgh_xid__lt=RawSQL("txid_snapshot_xmin(txid_current_snapshot())", [])) | Q(
    pgh_xid=RawSQL("txid_current_if_assigned()", [])  # the reader's own changes
)


def parse_since(value: str) -> datetime:
    try:
        return parameters.utc_datetime(value)
    except ValueError as exc:
        raise ValidationError({"since": [str(exc)]}) from None


def format_position(position: Position) -> str:
    xid, moment, table, version_id = position
    return f"{xid},{moment.isoformat()},{table},{version_id}"


def parse_position(value: str) -> Position:
    """A position as written by format_position (in `next` and `resume` links)."""
    parts = value.split(",")
    try:
        xid, moment, table, version_id = parts
        if table not in {model._meta.db_table for model in version_models()}:
            raise ValueError(f"no version table {table!r}")
        return parameters.integer(xid), parameters.utc_datetime(moment), table, parameters.integer(version_id)
    except ValueError:
        raise ValidationError(
            {"after": ["Not a feed position; use the `next` or `resume` link as given."]}
        ) from None


def after(model, position: Position) -> Q:
    """The versions of `model` that come after `position`."""
    xid, moment, table, version_id = position
    own = model._meta.db_table
    same_time = Q(pgh_xid=xid, pgh_created_at=moment)
    if own == table:
        same_time &= Q(pgh_id__gt=version_id)
    elif own < table:
        same_time = Q(pk__in=[])
    return Q(pgh_xid__gt=xid) | Q(pgh_xid=xid, pgh_created_at__gt=moment) | same_time


def parent_slugs(rows, by_table) -> dict:
    """{(model, id): slug} for the records that changed link rows belong to, deleted ones included."""
    wanted = {}
    for row in rows:
        tracked = by_table[row["table"]].pgh_tracked_model
        parent = getattr(tracked, "history_parent", None)
        if parent:
            model = tracked._meta.get_field(parent).related_model
            wanted.setdefault(model, set()).add(int(row["slug_or_parent"]))
    slugs = {}
    for model, ids in wanted.items():
        found = dict(model.objects.filter(pk__in=ids).values_list("pk", "slug"))
        # A deleted record's slug survives in its versions.
        missing = ids - set(found)
        versions = model.history.rel.related_model.objects.filter(pgh_obj_id__in=missing)
        found |= dict(
            versions.order_by("pgh_obj_id", "-pgh_id")
            .distinct("pgh_obj_id")
            .values_list("pgh_obj_id", "slug")
        )
        slugs |= {(model, pk): slug for pk, slug in found.items()}
    return slugs


def renamed_from(rows, by_table) -> dict:
    """{(table, version id): the slug before it} for the updates among `rows` that renamed their record:
    a query per table of such rows, each version beside the one before it (the versions' history index)."""
    updates = {}
    for row in rows:
        if row["pgh_label"] == "update" and not hasattr(
            by_table[row["table"]].pgh_tracked_model, "history_parent"
        ):
            updates.setdefault(row["table"], []).append(row["pgh_id"])
    found = {}
    for table, ids in updates.items():
        versions = by_table[table].objects
        before = versions.filter(
            Q(pgh_created_at__lt=OuterRef("pgh_created_at"))
            | Q(pgh_created_at=OuterRef("pgh_created_at"), pgh_id__lt=OuterRef("pgh_id")),
            pgh_obj_id=OuterRef("pgh_obj_id"),
        ).order_by("-pgh_created_at", "-pgh_id")
        pairs = versions.filter(pgh_id__in=ids).values_list(
            "pgh_id", "slug", Subquery(before.values("slug")[:1])
        )
        found |= {(table, pk): old for pk, new, old in pairs if old is not None and old != new}
    return found


def changes(*, since: datetime | None = None, position: Position | None = None, limit: int) -> list[dict]:
    """Up to `limit` changes from `since` or after `position`, in feed order, each naming its record."""
    by_table = {model._meta.db_table: model for model in version_models()}
    parts = []
    for model in by_table.values():
        parent = getattr(model.pgh_tracked_model, "history_parent", None)
        start = after(model, position) if position else Q(pgh_created_at__gte=since)
        parts.append(
            model.objects.filter(start, HORIZON).values(
                "pgh_xid",
                "pgh_created_at",
                "pgh_id",
                "pgh_label",
                "pgh_db_application",
                table=Value(model._meta.db_table, output_field=TextField()),
                metadata=F("pgh_context__metadata"),
                slug_or_parent=Cast(F(f"{parent}_id") if parent else F("slug"), TextField()),
            )
        )
    ordered = parts[0].union(*parts[1:], all=True).order_by("pgh_xid", "pgh_created_at", "table", "pgh_id")
    rows = list(ordered[:limit])
    slugs = parent_slugs(rows, by_table)
    names = usernames((row["metadata"] or {}).get("user") for row in rows)
    renames = renamed_from(rows, by_table)
    result = []
    for row in rows:
        model = by_table[row["table"]].pgh_tracked_model
        parent = getattr(model, "history_parent", None)
        if parent:
            parent_model = model._meta.get_field(parent).related_model
            slug, action, collection = slugs[parent_model, int(row["slug_or_parent"])], "update", parent_model
        else:
            slug, action, collection = row["slug_or_parent"], ACTIONS[row["pgh_label"]], model
        result.append(
            {
                "at": row["pgh_created_at"],
                "action": action,
                "collection": collection_of(collection),
                "slug": slug,
                "renamed_from": renames.get((row["table"], row["pgh_id"])),
                **attribution(row["metadata"], row["pgh_db_application"], names),
                "position": (row["pgh_xid"], row["pgh_created_at"], row["table"], row["pgh_id"]),
            }
        )
    return result
