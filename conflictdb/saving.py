"""Saving a record's own fields only when one of them changes.

Every write path (the API, the fixture loader) saves through `save_changes`: a record written as it
already is leaves no version in its history, and its `updated_at` (hence its ETag) as it was.
"""

from django.db import models


def differs(record: models.Model, name: str, value) -> bool:
    """Whether setting the field `name` to `value` would change what is stored."""
    field = record._meta.get_field(name)
    if field.many_to_one:  # compare the keys: reading the related record would cost a query
        return getattr(record, field.attname) != (value.pk if value is not None else None)
    return getattr(record, field.attname) != value


def save_changes(record: models.Model, fields: dict) -> bool:
    """Set `fields` on `record` and save it if it is new or one of them changed; return whether it was
    saved."""
    changed = record._state.adding or any(differs(record, name, value) for name, value in fields.items())
    for name, value in fields.items():
        setattr(record, name, value)
    if changed:
        record.save()
    return changed
