"""A record's versions, a page at a time, each with what changed from the one before.

Version rows are written by triggers (conflictdb/history.py). A page costs a page, whatever the length of
the history: the versions are read by keyset (KeysetPagination over the record's versions, in the order
they were written), a version's number is the count of those before it (an index-only count), and the
differences are computed for the page's versions and the one before the first only.

A record's link lists (an event's `actors`, a claim's `relations`) have versions of their own, written in
the same transaction as the record's: each version shows the links added and removed with it, under the
list's name, items keyed as the API writes them (`{"actor": "russia", "role": "perpetrator"}`).
"""

from functools import cache

from django.db.models import Q
from rest_framework import serializers
from rest_framework.serializers import ListSerializer

from conflictdb.changes import ACTIONS, attribution, usernames
from conflictdb.fieldlists import link_lists
from conflictdb.json_values import json_value

OWN_FIELDS_LEFT_OUT = {"id", "search_names", "search_text"}


class VersionSerializer(serializers.Serializer):
    """One version of a record: what it was after the change, and what changed from the one before."""

    version = serializers.IntegerField()
    action = serializers.ChoiceField(choices=list(ACTIONS.values()))
    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_null=True)
    command = serializers.CharField(allow_null=True)
    application = serializers.CharField(allow_null=True)
    data = serializers.DictField(help_text="The record's fields after the change (before it, for a delete).")
    changes = serializers.DictField(
        help_text='Changed fields: {"field": {"from": old, "to": new}}; changed link lists: '
        '{"actors": {"added": [...], "removed": [...]}}.'
    )


def own_fields(record) -> list:
    """The fields of `record`'s version model that are the record's own."""
    own = {field.name for field in record._meta.fields} - OWN_FIELDS_LEFT_OUT
    return [field for field in record.history.model._meta.fields if field.name in own]


def slugs_of(rows, fields) -> dict:
    """{field name: {id: slug}} of the records the `rows`' reference `fields` point to: a query a model."""
    found = {}
    for field in fields:
        if field.is_relation:
            ids = {getattr(row, field.attname) for row in rows} - {None}
            found[field.name] = dict(field.related_model.objects.filter(pk__in=ids).values_list("pk", "slug"))
    return found


def snapshots(versions, fields) -> list[dict]:
    """Each version's fields, with references to other records given by slug, as the API gives them."""
    slugs = slugs_of(versions, fields)
    return [
        {
            field.name: slugs[field.name].get(getattr(v, field.attname))
            if field.is_relation
            else json_value(getattr(v, field.attname))
            for field in fields
        }
        for v in versions
    ]


def link_tables(model, item_keys: dict[str, dict[str, str]]):
    """For each link list of `model`: its name, the link model's version model, the link's field naming
    the record, and the item keys (the API's key: the link's field)."""
    for name in link_lists(model):
        field = model._meta.get_field(name)
        if field.many_to_many:
            link, parent = field.remote_field.through, field.m2m_field_name()
        else:
            link, parent = field.related_model, field.field.name
        keys = item_keys.get(name) or {f: f for f in link.FIELDS if f != parent}
        # An item's keys that are not the link's own columns (an actor entry's `evidence`, rows of
        # another link table with versions of their own) are left out.
        keys = {key: source for key, source in keys.items() if source in link.FIELDS}
        yield name, link.history.rel.related_model, parent, keys


def link_changes(record, versions: list, item_keys: dict) -> dict[int, dict]:
    """{version id: {list name: {"added": [...], "removed": [...]}}}: the record's links changed in the
    transactions of `versions`, each given to the last version of its transaction written before it (a
    write saves the record, or touches it, before its links: events/services.py); a link written before
    any version of its transaction (not through the API) to the first one after it."""
    by_transaction: dict[int, list] = {}
    for version in versions:
        by_transaction.setdefault(version.pgh_xid, []).append(version)
    changed: dict[int, dict] = {}
    for name, link_versions, parent, keys in link_tables(type(record), item_keys):
        of_record = link_versions.objects.filter(**{f"{parent}_id": record.pk}, pgh_xid__in=by_transaction)
        rows = list(of_record.order_by("pgh_created_at", "pgh_id"))
        fields = {key: link_versions._meta.get_field(source) for key, source in keys.items()}
        slugs = slugs_of(rows, fields.values())
        for row in rows:
            same = by_transaction[row.pgh_xid]
            before = [v for v in same if v.pgh_created_at <= row.pgh_created_at]
            owner = before[-1] if before else same[0]
            item = {
                key: slugs[f.name].get(getattr(row, f.attname)) if f.is_relation else getattr(row, f.attname)
                for key, f in fields.items()
            }
            side = "removed" if row.pgh_label == "delete" else "added"
            lists = changed.setdefault(owner.pgh_id, {}).setdefault(name, {"added": [], "removed": []})
            lists[side].append(item)
    return changed


def earlier(record, version):
    """The record's versions written before `version`."""
    at = version.pgh_created_at  # the bound first, for the index (as conflictdb/pagination.py's after_row)
    before = Q(pgh_created_at__lt=at) | Q(pgh_created_at=at, pgh_id__lt=version.pgh_id)
    return record.history.filter(Q(pgh_created_at__lte=at) & before)


def version_page(record, versions: list, *, item_keys: dict | None = None) -> list[dict]:
    """`versions` (consecutive versions of `record`, oldest first) as the history shows them: numbered,
    with who made each, the record's fields after it, and what changed from the version before."""
    if not versions:
        return []
    before = earlier(record, versions[0])
    first_number = before.count() + 1
    previous_version = before.order_by("-pgh_created_at", "-pgh_id").first()
    fields = own_fields(record)
    shown = [previous_version, *versions] if previous_version else versions
    states = snapshots(shown, fields)
    previous = states.pop(0) if previous_version else None
    links = link_changes(record, versions, item_keys or {})
    names = usernames(v.pgh_context.metadata.get("user") for v in versions if v.pgh_context)
    page = []
    for number, (version, data) in enumerate(zip(versions, states, strict=True), start=first_number):
        changes = {
            name: {"from": previous[name], "to": value}
            for name, value in data.items()
            if previous is not None and previous[name] != value and name != "updated_at"
        }
        metadata = version.pgh_context.metadata if version.pgh_context else None
        page.append(
            {
                "version": number,
                "action": ACTIONS[version.pgh_label],
                "at": version.pgh_created_at,
                **attribution(metadata, version.pgh_db_application, names),
                "data": data,
                "changes": changes | links.get(version.pgh_id, {}),
            }
        )
        previous = data
    return page


def ordered_versions(record):
    """The record's versions in the order they were written, with their contexts."""
    return record.history.select_related("pgh_context").order_by("pgh_created_at", "pgh_id")


@cache
def item_keys_of(write_serializer_class) -> dict[str, dict[str, str]]:
    """For each link list a write serializer takes, its items' keys and the link's field under each
    (a claim's relations: `claim` is `to_claim`)."""
    if write_serializer_class is None:
        return {}
    fields = write_serializer_class().fields
    return {
        name: {key: item.source for key, item in field.child.fields.items()}
        for name, field in fields.items()
        if isinstance(field, ListSerializer) and isinstance(field.child, serializers.Serializer)
    }
