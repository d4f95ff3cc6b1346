"""A release's NDJSON lines, written by PostgreSQL (releases/lines.py), are byte for byte the lines
`json.dumps` writes of `record_forms` (conflictdb/past.py), which the reads of the past and the changes
between releases give: for the curated dataset record by record, and for the values where PostgreSQL's
JSON and Python's differ (whole and tiny decimals, microseconds with trailing zeros or none, escapes)."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from conflictdb.models import SYNTHETIC_PREFIX
from conflictdb.past import Present, record_forms
from events.models import Actor, Event, Place
from events.vocabularies import ActorRole
from releases.collections import collections
from releases.making import ndjson_file
from tests import factories

pytestmark = pytest.mark.django_db


def written_by_python() -> tuple[list[str], dict[str, int]]:
    """The lines as the releases wrote them before PostgreSQL did, a record at a time."""
    reader, lines, counts = Present(), [], {}
    for name, model, item_keys in collections():
        curated = model.objects.exclude(slug__startswith=SYNTHETIC_PREFIX).order_by("slug")
        ids = list(curated.values_list("pk", flat=True))
        found = {row.pk: row for row in reader.rows(model, pk__in=ids)}
        for form in record_forms(reader, model, [found[pk] for pk in ids], item_keys):
            lines.append(json.dumps({"collection": name, "record": form}, ensure_ascii=False))
        counts[name] = len(ids)
    return lines, counts


def written_by_postgresql() -> tuple[list[str], dict[str, int]]:
    with transaction.atomic():
        spooled, counts = ndjson_file()
    spooled.file.seek(0)
    body = spooled.file.read()
    assert body.endswith(b"\n") and spooled.size == len(body)
    return body.decode().split("\n")[:-1], counts


def assert_same_lines():
    expected, expected_counts = written_by_python()
    lines, counts = written_by_postgresql()
    assert counts == expected_counts
    for line, python_line in zip(lines, expected, strict=True):
        assert line == python_line


def test_the_curated_datasets_lines_are_record_forms(curated_dataset_of_module):
    assert Event.objects.count() > 10  # the dataset, not an empty database
    assert_same_lines()


def test_values_whose_json_differs_between_postgresql_and_python_are_written_as_python_writes_them(
    curated_dataset_of_module,
):
    tricky = 'a "quote", a back\\slash, a tab\t, a new\nline, \x01, é, ع, 🕊'
    actor = factories.actor(name=tricky, aliases=[tricky, ""], country="SYR")
    whole = factories.place(latitude=Decimal("36"), longitude=Decimal("-37.00000"))
    tiny = factories.place(latitude=Decimal("0.00001"), longitude=Decimal("-0.00010"))
    nowhere = factories.place(latitude=None, longitude=None)
    event = factories.event(summary=tricky, place=whole, actors=[(actor, ActorRole.PERPETRATOR)])
    bare = factories.event(place=None)  # no place, no actors: a null and an empty list
    first, second = factories.claim(event=event), factories.claim(event=event, quote=tricky)
    factories.claim_relation(from_claim=second, to_claim=first, note=tricky)
    factories.event(slug=f"{SYNTHETIC_PREFIX}event-1")  # left out of both
    Event.objects.filter(pk=event.pk).update(created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    Event.objects.filter(pk=bare.pk).update(created_at=datetime(2026, 1, 2, 3, 4, 5, 120000, tzinfo=UTC))
    Place.objects.filter(pk=tiny.pk).update(updated_at=datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=UTC))
    Actor.objects.filter(pk=actor.pk).update(description="")

    assert_same_lines()
    lines, _counts = written_by_postgresql()
    records = {json.loads(line)["record"]["slug"]: line for line in lines}
    assert '"latitude": 36.0, "longitude": -37.0' in records[whole.slug]
    assert '"latitude": 1e-05, "longitude": -0.0001' in records[tiny.slug]
    assert '"latitude": null' in records[nowhere.slug]
    assert '"created_at": "2026-01-02T03:04:05+00:00"' in records[event.slug]
    assert '"created_at": "2026-01-02T03:04:05.120000+00:00"' in records[bare.slug]
    assert '"place": null' in records[bare.slug] and '"actors": []' in records[bare.slug]
    assert json.loads(records[event.slug])["record"]["summary"] == tricky
