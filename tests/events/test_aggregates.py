"""The aggregates of events and claims, held to the lists they summarise.

Each metric of each group is computed here again from the records the list endpoints return (every
page), on the curated dataset and on a synthetic one, and compared with what the aggregate endpoint
answers: results and imprecise rows alike.
"""

import csv
import io
import itertools
import json
from collections import defaultdict
from datetime import date

import pytest
from django.conf import settings

from conflictdb.aggregation import MAX_ROWS
from conflictdb.periods import PERIODS
from events.aggregates import ClaimAggregateFilterSet, EventAggregateFilterSet
from events.dataset import load
from events.filtersets import ClaimFilterSet, EventFilterSet
from events.vocabularies import ActorRole
from synthetic.loading import generate
from tests import factories
from tests.api_testing import error_attrs

pytestmark = pytest.mark.django_db

EVENTS_URL = "/api/v1/events/aggregate/"
CLAIMS_URL = "/api/v1/claims/aggregate/"


@pytest.fixture
def curated():
    load([settings.BASE_DIR / "fixtures"])


def every_record(api, collection: str, **params) -> list[dict]:
    """Every record of a list, page after page."""
    records, response = [], api.get(f"/api/v1/{collection}/", {"page_size": 1000, **params})
    while True:
        assert response.status_code == 200, response.content[:300]
        records += response.json()["results"]
        if not response.json()["next"]:
            return records
        response = api.get(response.json()["next"])


def record(item: dict, label: str = "name") -> dict:
    return {"slug": item["slug"], label: item[label]}


def distinct(values: list) -> list:
    return list({json.dumps(value, sort_keys=True): value for value in values}.values()) or [None]


def event_key_values(event: dict, name: str, claimants: dict) -> list:
    """The values of key `name` an event counts under (several for its actors, [None] for none)."""
    place = event["place"]
    if name == "country":
        return [place and place["country"]]
    if name == "admin1":
        return [place and {"country": place["country"], "name": place["admin1"]}]
    if name == "place":
        return [place and record(place)]
    if name in ("event_type", "sub_event_type"):
        return [event[name]]
    if name == "claimant":
        return distinct(claimants.get(event["slug"], []))
    role = {"perpetrator": ActorRole.PERPETRATOR, "target": ActorRole.TARGET}.get(name)
    return distinct([record(actor) for actor in event["actors"] if role in (None, actor["role"])])


def summed(values: list):
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def event_metrics(events: list[dict]) -> dict:
    fatalities = ("fatalities_low", "fatalities_best", "fatalities_high")
    return {
        "events": len(events),
        **{name: summed([event[name] for event in events]) for name in fatalities},
        "events_with_fatalities": sum(any(event[name] is not None for name in fatalities) for event in events),
        "disputed": sum(event["disputed"] for event in events),
        "claims": sum(event["claim_count"] for event in events),
    }


def claim_metrics(claims: list[dict]) -> dict:
    metrics = {"claims": len(claims)}
    for name in ("value", "value_low", "value_high"):
        known = [claim[name] for claim in claims if claim[name] is not None]
        metrics[f"{name}_min"] = min(known) if known else None
        metrics[f"{name}_max"] = max(known) if known else None
    return metrics | {"lower_bounds": sum(claim["value_is_lower_bound"] for claim in claims)}


def grouped(items, names, key_values, dates_of, metrics) -> dict:
    """{"results": [...], "imprecise": [...]} as the aggregate should answer, in no particular order.
    `dates_of(item)` is the first and last day an item may be on, or None when undated for `period`."""
    period = next((PERIODS[name] for name in names if name in PERIODS), None)
    parts = {"results": defaultdict(list), "imprecise": defaultdict(list)}
    for item in items:
        keys = [name for name in names if name not in PERIODS]
        for values in itertools.product(*[key_values(item, name) for name in keys]):
            row = dict(zip(keys, values, strict=True))
            part = "results"
            if period is not None:
                dates = dates_of(item, period)
                if dates and period.start(dates[0]) == period.start(dates[1]):
                    row[period.name] = period.label(period.start(dates[0]))
                else:
                    part = "imprecise"
            ordered = {name: row[name] for name in names if name in row}
            parts[part][json.dumps(ordered, sort_keys=True)].append(item)
    return {
        part: sorted(json.dumps(json.loads(k) | metrics(found), sort_keys=True) for k, found in rows.items())
        for part, rows in parts.items()
    }


def answered(response) -> dict:
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    return {part: sorted(json.dumps(row, sort_keys=True) for row in body[part]) for part in parts_of(body)}


def parts_of(body):
    return ("results", "imprecise")


def event_dates(event, period):
    return date.fromisoformat(event["start_date"]), date.fromisoformat(event["end_date"])


KNOWN_TO = {"day": {"day"}, "month": {"day", "month"}, "year": {"day", "month", "year"}}


def claim_dates(claim, period):
    """A claim's date as a range of the days it may be on, when it is known well enough for `period`."""
    if claim["made_on"] is None or claim["date_precision"] not in KNOWN_TO:
        return None
    made_on = date.fromisoformat(claim["made_on"])
    span = {"day": PERIODS["day"], "month": PERIODS["month"], "year": PERIODS["year"]}
    unit = span[claim["date_precision"]]
    last = unit.following(unit.start(made_on)).toordinal() - 1
    return unit.start(made_on), date.fromordinal(last)


EVENT_GROUPINGS = [
    "country",
    "country,month",
    "admin1,year",
    "place,event_type",
    "sub_event_type,week",
    "actor,quarter",
    "perpetrator,target",
    "claimant,day",
    "event_type,perpetrator,month",
]
CLAIM_GROUPINGS = ["claimant", "claimant,status", "event,claimant", "claim_type,unit,month", "source,year", "day"]


def check_every_grouping(api, event_filters: dict | None = None):
    event_filters = event_filters or {}
    events = every_record(api, "events", **event_filters)
    claims = every_record(api, "claims")
    claimants = defaultdict(list)
    for claim in claims:
        claimants[claim["event"]].append(record(claim["claimant"]))
    for names in EVENT_GROUPINGS:
        split = names.split(",")
        expected = grouped(
            events, split, lambda e, n: event_key_values(e, n, claimants), event_dates, event_metrics
        )
        assert answered(api.get(EVENTS_URL, {"group_by": names, **event_filters})) == expected, names
    titles = {event["slug"]: event["title"] for event in every_record(api, "events")}

    def claim_key_values(claim, name):
        if name == "claimant":
            return [record(claim["claimant"])]
        if name == "source":
            return [record(claim["source"], "title")]
        if name == "event":
            return [claim["event"] and {"slug": claim["event"], "title": titles[claim["event"]]}]
        return [claim[name]]

    for names in CLAIM_GROUPINGS:
        expected = grouped(claims, names.split(","), claim_key_values, claim_dates, claim_metrics)
        assert answered(api.get(CLAIMS_URL, {"group_by": names})) == expected, names
    return events


def test_every_metric_is_the_lists_on_the_curated_data(api, curated):
    events = check_every_grouping(api)
    assert len(events) > 10
    body = api.get(EVENTS_URL, {"group_by": "month"}).json()
    assert body["imprecise"] and body["results"]  # the curated data has both kinds


def test_every_metric_is_the_lists_on_a_synthetic_set(api):
    generate(events=300, seed=3)
    check_every_grouping(api)
    check_every_grouping(api, {"event_type": "battles", "date_from": "2015-01-01", "date_to": "2018-12-31"})

