"""Hypothesis strategies for write bodies, from an operation's request schema in the served OpenAPI
document: plausible records (real slugs in references, the schema's choices, dates and numbers near
and past each field's bounds) with hostile values mixed in, unknown and read-only fields, nesting past
the parser's depth, lists past any length a record needs, other JSON than an object, and bytes that
are no JSON or too many of them.
"""

import json

from django.conf import settings
from hypothesis import strategies as st

from tests.conflictdb.hostile_input import odd_dates, odd_json, odd_text

# The collection each reference field names a record of (a slug of another collection is a 400 too).
REFERENCES = {
    "actor": "actors",
    "claimant": "actors",
    "about_actor": "actors",
    "parent": "actors",
    "source": "sources",
    "reported_in": "sources",
    "event": "events",
    "part_of": "events",
    "place": "places",
    "claim": "claims",
}
READ_ONLY = ["created_at", "updated_at", "claim_count", "disputed", "claims", "id"]


def resolved(schema: dict, document: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def plausible(name: str, schema: dict, document: dict, slugs: dict):
    """A value of the property `name` as its schema describes it, at times a little beyond it."""
    schema = resolved(schema, document)
    if "oneOf" in schema:
        return st.one_of([plausible(name, option, document, slugs) for option in schema["oneOf"]])
    kind = schema.get("type")
    if "enum" in schema:
        value = st.sampled_from([choice for choice in schema["enum"] if choice is not None] or [""])
    elif name in REFERENCES and kind == "string":
        value = st.sampled_from(slugs[REFERENCES[name]])
    elif name == "slug":  # the record's own (a PUT, a PATCH), a new one, or one already taken
        taken = st.sampled_from([slug for collection in slugs.values() for slug in collection])
        own = st.sampled_from(slugs["own"]) if slugs.get("own") else st.from_regex(r"\Afuzz-[a-z0-9]{1,12}\Z")
        value = st.one_of(own, own, own, taken)
    elif schema.get("format") == "date":
        value = st.one_of(st.dates().map(str), odd_dates)
    elif kind == "string":
        longest = schema.get("maxLength", 60)
        value = st.one_of(st.text(max_size=min(longest + 2, 80)), st.just("x" * (longest + 1)))
    elif kind == "integer":
        low, high = schema.get("minimum", -(2**63)), schema.get("maximum", 2**63 - 1)
        value = st.one_of(st.integers(low, min(high, 10**6)), st.sampled_from([low - 1, high, high + 1]))
    elif kind == "number":
        value = st.one_of(st.floats(allow_nan=False, allow_infinity=False), st.integers())
    elif kind == "boolean":
        value = st.booleans()
    elif kind == "array":
        value = st.lists(plausible(name, schema.get("items", {}), document, slugs), max_size=4)
    elif kind == "object":
        value = record(schema, document, slugs, complete=0.9)
    else:
        value = odd_json
    if schema.get("nullable"):
        value = st.one_of(value, st.none())
    return value


def record(schema: dict, document: dict, slugs: dict, *, complete: float):
    """An object of the schema's properties: each required one given with probability `complete`,
    each other one with probability a third; one value in six hostile."""
    schema = resolved(schema, document)
    required = set(schema.get("required", []))

    @st.composite
    def draw_record(draw):
        body = {}
        for name, property_schema in schema.get("properties", {}).items():
            if draw(st.floats(0, 1)) < (complete if name in required else 1 / 3):
                hostile = draw(st.integers(0, 5)) == 0
                body[name] = draw(odd_json if hostile else plausible(name, property_schema, document, slugs))
        return body

    return draw_record()


def nested(depth: int):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def bodies(schema: dict, document: dict, slugs: dict, *, partial: bool):
    """JSON bodies for a write of `schema` (a PATCH's when `partial`): mostly records, some beyond.
    `slugs` holds each collection's, and under "own" the slug of the record written, if it exists."""
    records = record(schema, document, slugs, complete=0.4 if partial else 0.95)
    properties = list(resolved(schema, document).get("properties", {})) or ["name"]
    lists = [
        name
        for name, p in resolved(schema, document).get("properties", {}).items()
        if resolved(p, document).get("type") == "array"
    ] or properties

    def with_extra(body, extra):
        return {**body, **extra}

    beyond = st.one_of(
        st.builds(
            with_extra,
            records,
            st.dictionaries(
                st.one_of(odd_text, st.sampled_from(READ_ONLY)), odd_json, min_size=1, max_size=2
            ),
        ),
        st.builds(
            with_extra,
            records,
            st.builds(
                lambda name, depth: {name: nested(depth)}, st.sampled_from(properties), st.integers(10, 200)
            ),
        ),
        st.builds(
            with_extra,
            records,
            st.builds(
                lambda name, item, n: {name: [item] * n},
                st.sampled_from(lists),
                odd_json,
                st.integers(200, 20_000),
            ),
        ),
        odd_json,
    )
    mostly_records = st.integers(0, 3).flatmap(lambda roll: beyond if roll == 3 else records)
    return mostly_records.map(lambda body: json.dumps(body).encode())


def raw_bodies():
    """Bytes no JSON parser should take whole: not JSON, not UTF-8, NaN, too many."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return st.one_of(
        st.binary(max_size=40),
        st.sampled_from(
            [
                b"",
                b"{",
                b'{"slug": NaN}',
                b'{"slug": Infinity}',
                b"\xff\xfe{}",
                b'{"a": 1, "a": 2}',
                b"[" * 100_000,
                b'{"name": "' + b"x" * (limit + 1) + b'"}',
            ]
        ),
    )
