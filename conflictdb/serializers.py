"""The base of every writable record serializer."""

from copy import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as ModelValidationError
from django.db.models import F, Q
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from conflictdb.errors import error_attr
from conflictdb.saving import save_changes
from conflictdb.slugs import renamed


def condition_fields(condition) -> list[str]:
    """The fields a constraint's condition reads, in order of appearance."""
    names = []
    for child in condition.children if isinstance(condition, Q) else []:
        if isinstance(child, Q):
            names += condition_fields(child)
        else:
            lookup, value = child
            names.append(lookup.split("__")[0])
            if isinstance(value, F):
                names.append(value.name)
    return list(dict.fromkeys(names))


def name_constraint_fields(model, errors: dict) -> dict:
    """Errors of check constraints, keyed by the fields they concern instead of Django's "__all__"."""
    messages = {str(c.violation_error_message): c for c in model._meta.constraints if hasattr(c, "condition")}
    named = {key: value for key, value in errors.items() if key != NON_FIELD_ERRORS}
    for message in errors.get(NON_FIELD_ERRORS, []):
        constraint = messages.get(message)
        key = ",".join(condition_fields(constraint.condition)) if constraint else NON_FIELD_ERRORS
        named.setdefault(key, []).append(message)
    return named


class RecordSerializer(serializers.ModelSerializer):
    """A record as written through the API.

    A new slug renames the record: the old one is kept in `previous_slugs`, whose slugs stay (a trigger
    keeps both rules, conflictdb/slugs.py; a slug that is or was another record's is the database's 409).
    The model's own validation (field validators, check
    constraints) runs before anything is written, so that bad data is a 400 naming the field rather
    than a database error. `nested_fields` are lists of links saved by a service, not model fields.
    """

    nested_fields: tuple[str, ...] = ()
    written: bool = False  # after save(): whether anything was written

    def save(self, **kwargs):
        """Saves the record only when it is new or one of its fields changes (conflictdb/saving.py)."""
        record = self.instance if self.instance is not None else self.Meta.model()
        self.written = save_changes(record, {**self.validated_data, **kwargs})
        self.instance = record
        return record

    def get_fields(self):
        """The slug's uniqueness is left to the database's constraint, so that a slug taken before the
        write and one taken by a concurrent write are the same 409 (conflictdb/errors.py), not a 400 in
        one case and a 409 in the other."""
        fields = super().get_fields()
        if "slug" in fields:
            fields["slug"].validators = [
                v for v in fields["slug"].validators if not isinstance(v, UniqueValidator)
            ]
        return fields

    def check_previous_slugs_kept(self, attrs):
        """A write's `previous_slugs` keeps the record's (but the one it is renamed back to): old links
        lead to them. The trigger refuses the same; here it is a 400 naming the field and the slugs."""
        if self.instance is None or "previous_slugs" not in attrs:
            return
        slug = attrs.get("slug", self.instance.slug)
        dropped = [s for s in self.instance.previous_slugs if s not in attrs["previous_slugs"] and s != slug]
        if dropped:
            message = f"A previous slug stays, as links to it lead here: {', '.join(dropped)}."
            raise serializers.ValidationError({"previous_slugs": [message]})

    def to_internal_value(self, data):
        """Every key of the body is a field this record can be written with: a misspelt field
        (`sumary`) would otherwise be ignored, and the write answered 200 without it."""
        if isinstance(data, dict):
            writable = [name for name, field in self.fields.items() if not field.read_only]
            errors = {
                error_attr(key): [
                    "Read-only: the server sets it."
                    if key in self.fields
                    else f"Unknown field. Fields: {', '.join(writable)}."
                ]
                for key in data
                if key not in writable
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        self.check_previous_slugs_kept(attrs)
        record = copy(self.instance) if self.instance is not None else self.Meta.model()
        for name, value in attrs.items():
            if name not in self.nested_fields:
                setattr(record, name, value)
        try:
            record.full_clean(validate_unique=False)  # uniqueness: DRF's validators and the database
        except ModelValidationError as exc:
            raise serializers.ValidationError(name_constraint_fields(record, exc.message_dict)) from exc
        return attrs


class SlugReference(serializers.SlugRelatedField):
    """Another record named by its slug. A NUL character (which PostgreSQL text cannot hold) is reported
    as no such record, not sent to the database. The error names the kind of record that was looked for.
    A previous slug of a record names it too."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "does_not_exist": "No {record} with slug '{value}'.",
    }

    def fail(self, key, **kwargs):
        super().fail(key, record=self.queryset.model._meta.verbose_name, **kwargs)

    def __init__(self, *, queryset, **kwargs):
        super().__init__(slug_field="slug", queryset=queryset, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", "\\x00"))
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            # A renamed record is still named by its previous slugs (conflictdb/slugs.py).
            record = renamed(self.get_queryset(), data) if isinstance(data, str) else None
            if record is None:
                raise
            return record
