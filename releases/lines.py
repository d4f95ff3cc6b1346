"""The lines of a release's `records.ndjson` as PostgreSQL writes them, one statement a collection.

A line is `{"collection": ..., "record": {...}}` with the record in the form of conflictdb/past.record_forms,
byte for byte as `json.dumps(..., ensure_ascii=False)` writes it. The statement is derived from the same
description that function reads (the model's FIELDS and TIMESTAMPS, references by slug, the link lists of
conflictdb/versions.link_tables with their item keys), so that the form is described once; a test holds
the two to each other record by record. Building each line in Python cost about 2 ms a record, two hours
for the bench's 3.5 million; PostgreSQL writes them as fast as it reads the rows.

Where PostgreSQL's JSON differs from Python's, the Python form is written (it is the published one):
- separators `", "` and `": "` (json_build_object writes `" : "`, to_json an array without spaces): every
  object is concatenated here, and a text array is written by jsonb, whose text has Python's separators;
- a datetime as `datetime.isoformat()` gives it: microseconds, six digits, unless they are zero (to_json
  drops trailing zeros), then `+00:00` (the server's clock zone is UTC);
- a decimal as the float Python makes of it: the shortest digits that read back as that float
  (float8's text, given `extra_float_digits` >= 1), and `.0` after a whole number.
"""

import json

from django.contrib.postgres.fields import ArrayField
from django.db import models

from conflictdb.fieldlists import TIMESTAMPS, is_link_list
from conflictdb.models import SYNTHETIC_PREFIX
from conflictdb.versions import link_tables

# COPY's CSV mode with a delimiter and a quote that JSON text never holds unescaped (control characters):
# each line comes out as it is, unquoted, and ends with a newline. (COPY's text mode would double every
# backslash of the JSON's escapes.)
COPY_OPTIONS = "FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'"
# float8's text is the shortest exact one from 1 on (PostgreSQL's default); fixed-point below 1e15.
FLOAT_DIGITS = 1
MAX_FIXED_DIGITS = 15


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def key_text(name: str) -> str:
    """The SQL literal of an object's key and its colon, as json.dumps writes them."""
    return literal(json.dumps(name, ensure_ascii=False) + ": ")


def json_text(field, column: str) -> str:
    """SQL giving the JSON text json.dumps writes of `json_value` of `field`'s value read from `column`."""
    if isinstance(field, models.DateTimeField):
        utc = f"({column} AT TIME ZONE 'UTC')"
        whole = f"extract(microseconds FROM {column}) % 1000000 = 0"
        micro = f"CASE WHEN {whole} THEN '' ELSE to_char({utc}, '.US') END"
        text = f"""'"' || to_char({utc}, 'YYYY-MM-DD"T"HH24:MI:SS') || {micro} || '+00:00"'"""
        return f"CASE WHEN {column} IS NULL THEN 'null' ELSE {text} END"
    if isinstance(field, models.DecimalField):
        if field.max_digits - field.decimal_places > MAX_FIXED_DIGITS:
            raise ValueError(f"{field}: float8's text switches to an exponent where Python's does not")
        return (
            f"CASE WHEN {column} IS NULL THEN 'null' WHEN {column} = trunc({column}) "
            f"THEN trunc({column})::text || '.0' ELSE {column}::float8::text END"
        )
    if isinstance(field, models.TimeField):  # to_json drops a time's trailing zeros, as a datetime's
        raise ValueError(f"{field}: no JSON text for times here")
    if isinstance(field, ArrayField):
        return f"COALESCE(to_jsonb({column})::text, 'null')"
    return f"COALESCE(to_json({column})::text, 'null')"


def object_text(members: list[tuple[str, str]]) -> str:
    """SQL concatenating `members` (key, SQL of its JSON text) into a JSON object's text."""
    parts = [key_text(key) + " || " + value for key, value in members]
    return "'{' || " + " || ', ' || ".join(parts) + " || '}'"


class Joins:
    """The referred records' tables joined to a row's, one alias each, for their slugs."""

    def __init__(self, alias: str):
        self.alias, self.joins = alias, []

    def slug_of(self, field) -> str:
        joined = f"{self.alias}_{len(self.joins)}"
        table = field.related_model._meta.db_table
        self.joins.append(
            f"LEFT JOIN {quoted(table)} {joined} ON {joined}.id = {self.alias}.{quoted(field.column)}"
        )
        return f"{joined}.slug"

    def sql(self) -> str:
        return " ".join(self.joins)


def link_list_text(owner: str, link_model, parent: str, item_fields: dict) -> str:
    """SQL of the JSON text of a record's link list: its link rows as items, sorted as record_forms sorts
    them (by each value's text, code point by code point: byte order of UTF-8 under the C collation)."""
    joins = Joins("l")
    members, keys = [], []
    for key, source in item_fields.items():
        field = link_model._meta.get_field(source)
        if field.is_relation:
            slug = joins.slug_of(field)
            members.append((key, f"COALESCE(to_json({slug})::text, 'null')"))
            keys.append(f"COALESCE({slug}, '') COLLATE \"C\"")
        elif isinstance(field, models.CharField | models.TextField):
            members.append((key, json_text(field, f"l.{quoted(field.column)}")))
            keys.append(f"COALESCE(l.{quoted(field.column)}, '') COLLATE \"C\"")
        else:  # record_forms sorts by str(): a number's or a flag's text would need writing here
            raise ValueError(f"{field}: a link item's value that is not text or a reference")
    parent_column = link_model._meta.get_field(parent).column
    return (
        f"COALESCE((SELECT '[' || string_agg({object_text(members)}, ', ' ORDER BY {', '.join(keys)}) || ']' "
        f"FROM {quoted(link_model._meta.db_table)} l {joins.sql()} "
        f"WHERE l.{quoted(parent_column)} = {owner}.id), '[]')"
    )


def lines_statement(name: str, model, item_keys: dict) -> str:
    """The COPY statement writing the lines of the collection `name` (of `model`): its curated records,
    by slug (the database's collation, as the API orders them)."""
    links = {
        list_name: link_list_text("r", link_versions.pgh_tracked_model, parent, item_fields)
        for list_name, link_versions, parent, item_fields in link_tables(model, item_keys)
    }
    joins = Joins("r")
    members = []
    for field_name in (*model.FIELDS, *TIMESTAMPS):
        field = model._meta.get_field(field_name)
        if is_link_list(model, field_name):
            members.append((field_name, links[field_name]))
        elif field.concrete and field.many_to_one:
            members.append((field_name, f"COALESCE(to_json({joins.slug_of(field)})::text, 'null')"))
        else:
            members.append((field_name, json_text(field, f"r.{quoted(field.column)}")))
    line = object_text([("collection", literal(json.dumps(name))), ("record", object_text(members))])
    select = (
        f"SELECT {line} FROM {quoted(model._meta.db_table)} r {joins.sql()} "
        f"WHERE NOT starts_with(r.slug, {literal(SYNTHETIC_PREFIX)}) ORDER BY r.slug"
    )
    return f"COPY ({select}) TO STDOUT WITH ({COPY_OPTIONS})"
