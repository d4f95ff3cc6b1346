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

from conflictdb import aggregation as grouping
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
        "events_with_fatalities": sum(
            any(event[name] is not None for name in fatalities) for event in events
        ),
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
CLAIM_GROUPINGS = [
    "claimant",
    "claimant,status",
    "event,claimant",
    "claim_type,unit,month",
    "source,year",
    "day",
]


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


def test_an_event_wider_than_the_period_is_imprecise_and_counted_once(api):
    place = factories.place(country="IRQ")
    factories.event(place=place, start_date=date(2015, 9, 28), end_date=date(2015, 10, 3), fatalities_best=5)
    factories.event(place=place, start_date=date(2015, 10, 5), fatalities_best=2)

    by_month = api.get(EVENTS_URL, {"group_by": "country,month"}).json()
    by_week = api.get(EVENTS_URL, {"group_by": "country,week"}).json()
    by_year = api.get(EVENTS_URL, {"group_by": "country,year"}).json()

    assert [(row["month"], row["events"], row["fatalities_best"]) for row in by_month["results"]] == [
        ("2015-10", 1, 2)
    ]
    assert [(row["country"], row["events"], row["fatalities_best"]) for row in by_month["imprecise"]] == [
        ("IRQ", 1, 5)
    ]
    assert "month" not in by_month["imprecise"][0]
    # 2015-09-28 is a Monday: the week holds the whole range, and the other event is in the next week.
    assert [(row["week"], row["events"]) for row in by_week["results"]] == [("2015-W40", 1), ("2015-W41", 1)]
    assert by_week["imprecise"] == []
    assert [(row["year"], row["events"], row["fatalities_best"]) for row in by_year["results"]] == [
        ("2015", 2, 7)
    ]


def test_iso_weeks_and_quarters_are_labelled_as_the_calendars_name_them(api):
    factories.event(start_date=date(2016, 1, 1))  # a Friday of ISO week 53 of 2015
    factories.event(start_date=date(2015, 12, 31))

    weeks = api.get(EVENTS_URL, {"group_by": "week"}).json()["results"]
    quarters = api.get(EVENTS_URL, {"group_by": "quarter"}).json()["results"]

    assert [(row["week"], row["events"]) for row in weeks] == [("2015-W53", 2)]
    assert [row["quarter"] for row in quarters] == ["2015-Q4", "2016-Q1"]


def test_fill_gives_every_period_between_the_dates_with_zeros(api):
    place = factories.place(country="SYR")
    factories.event(place=place, start_date=date(2015, 10, 3), fatalities_best=4, fatalities_low=1)
    factories.event(place=place, start_date=date(2015, 1, 1), end_date=date(2015, 12, 31))

    body = api.get(
        EVENTS_URL,
        {"group_by": "country,month", "fill": "true", "date_from": "2015-08-01", "date_to": "2015-11-30"},
    ).json()

    assert [(row["country"], row["month"], row["events"]) for row in body["results"]] == [
        ("SYR", "2015-08", 0),
        ("SYR", "2015-09", 0),
        ("SYR", "2015-10", 1),
        ("SYR", "2015-11", 0),
    ]
    empty = body["results"][0]
    assert {name: empty[name] for name in empty if name not in ("country", "month")} == dict.fromkeys(
        ["events", "fatalities_low", "fatalities_best", "fatalities_high", "events_with_fatalities"]
        + ["disputed", "claims"],
        0,
    )
    assert [row["events"] for row in body["imprecise"]] == [1]  # the year-long event, not spread


def test_fill_with_nothing_found_is_every_period_at_zero(api):
    body = api.get(
        EVENTS_URL, {"group_by": "year", "fill": "true", "date_from": "2013-06-01", "date_to": "2015-01-01"}
    ).json()

    assert [(row["year"], row["events"]) for row in body["results"]] == [
        ("2013", 0),
        ("2014", 0),
        ("2015", 0),
    ]


@pytest.mark.parametrize(
    ("params", "attr"),
    [
        ({}, "group_by"),
        ({"group_by": "colour"}, "group_by"),
        ({"group_by": "country,admin1,place,month"}, "group_by"),
        ({"group_by": "year,month"}, "group_by"),
        ({"group_by": "country,country"}, "group_by"),
        ({"group_by": ","}, "group_by"),
        ({"group_by": "country", "ordering": "title"}, "ordering"),
        ({"group_by": "country", "ordering": "-month"}, "ordering"),
        ({"group_by": "country", "ordering": "place"}, "ordering"),
        ({"group_by": "country", "limit": "0"}, "limit"),
        ({"group_by": "country", "limit": "٣"}, "limit"),
        ({"group_by": "country", "limit": str(MAX_ROWS + 1)}, "limit"),
        ({"group_by": "country", "fill": "true"}, "fill"),
        ({"group_by": "month", "fill": "true"}, "fill"),
        ({"group_by": "month", "fill": "yes", "date_from": "2015-01-01", "date_to": "2015-02-01"}, "fill"),
        ({"group_by": "day", "fill": "true", "date_from": "0001-01-01", "date_to": "9999-12-31"}, "fill"),
        (
            {
                "group_by": "month",
                "fill": "true",
                "date_from": "2015-01-01",
                "date_to": "2015-02-01",
                "limit": 5,
            },
            "limit",
        ),
        ({"group_by": "country", "country": "Syria"}, "country"),
        ({"group_by": "country", "place": "nowhere"}, "place"),
        ({"group_by": "country", "date_from": "03/10/2015"}, "date_from"),
        ({"group_by": "country", "page_size": "10"}, "page_size"),
        ({"group_by": "country", "colour": "red"}, "colour"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api, params, attr):
    response = api.get(EVENTS_URL, params)

    assert response.status_code == 400, response.content[:300]
    assert error_attrs(response) == {attr}


def test_claims_take_no_fill_and_their_own_keys(api):
    assert error_attrs(api.get(CLAIMS_URL, {"group_by": "country"})) == {"group_by"}
    assert error_attrs(api.get(CLAIMS_URL, {"group_by": "month", "fill": "true"})) == {"fill"}
    assert error_attrs(api.get(CLAIMS_URL, {"group_by": "claimant", "claim_type": "rumour"})) == {
        "claim_type"
    }


def test_too_many_groups_is_a_400_unless_limited(api, monkeypatch):
    monkeypatch.setattr("conflictdb.aggregation.MAX_ROWS", 2)
    for day in (1, 2, 3):
        factories.event(start_date=date(2015, 10, day), fatalities_best=day)

    assert error_attrs(api.get(EVENTS_URL, {"group_by": "day"})) == {"group_by"}
    limited = api.get(EVENTS_URL, {"group_by": "day", "ordering": "-fatalities_best", "limit": 2}).json()
    assert [row["day"] for row in limited["results"]] == ["2015-10-03", "2015-10-02"]


def test_ordering_by_metrics_and_keys_puts_unknown_last(api):
    for name, best in (("a", 3), ("b", None), ("c", 9)):
        factories.event(place=factories.place(slug=f"place-{name}", name=name.upper()), fatalities_best=best)

    def places(ordering):
        rows = api.get(EVENTS_URL, {"group_by": "place", "ordering": ordering}).json()["results"]
        return [row["place"]["slug"] for row in rows]

    assert places("-fatalities_best") == ["place-c", "place-a", "place-b"]
    assert places("fatalities_best") == ["place-a", "place-c", "place-b"]
    assert places("-place") == ["place-c", "place-b", "place-a"]


def test_every_filter_of_the_list_filters_the_aggregate():
    """The aggregate's parameters are the list's, `ordering` replaced, plus its own: a filter added to
    the list reaches the aggregate without being named here."""
    for aggregate, listed in (
        (EventAggregateFilterSet, EventFilterSet),
        (ClaimAggregateFilterSet, ClaimFilterSet),
    ):
        assert issubclass(aggregate, listed)
        assert set(aggregate.base_filters) - set(listed.base_filters) <= {"group_by", "fill", "limit"}
        assert set(listed.base_filters) <= set(aggregate.base_filters)
        assert aggregate.base_filters["ordering"] is not listed.base_filters["ordering"]


def test_filters_apply_as_in_the_list(api):
    hama, raqqa = (
        factories.place(slug="hama", admin1="Hama"),
        factories.place(slug="raqqa", admin1="Ar-Raqqa"),
    )
    russia = factories.actor(slug="russia")
    factories.event(place=hama, actors=[(russia, ActorRole.PERPETRATOR)])
    factories.event(place=raqqa, actors=[(russia, ActorRole.TARGET)])
    factories.event(place=raqqa)

    rows = api.get(EVENTS_URL, {"group_by": "place", "actor": "russia", "actor_role": "perpetrator"}).json()
    assert [(row["place"]["slug"], row["events"]) for row in rows["results"]] == [("hama", 1)]
    rows = api.get(EVENTS_URL, {"group_by": "perpetrator", "admin1": "ar-raqqa"}).json()
    assert [(row["perpetrator"], row["events"]) for row in rows["results"]] == [(None, 2)]


def test_csv_has_the_same_rows_with_the_imprecise_marked(api, curated):
    params = {"group_by": "perpetrator,month"}
    body = api.get(EVENTS_URL, params).json()
    response = api.get(EVENTS_URL, {**params, "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert list(rows[0])[:5] == ["perpetrator", "perpetrator_name", "month", "imprecise", "events"]
    assert len(rows) == len(body["results"]) + len(body["imprecise"])
    for row, shown in zip(rows, body["results"] + body["imprecise"], strict=True):
        imprecise = row["imprecise"] == "true"
        assert (row["month"] or None) == shown.get("month")
        assert imprecise == ("month" not in shown)
        assert row["perpetrator"] == (shown["perpetrator"] or {}).get("slug", "")
        assert row["fatalities_best"] == (
            "" if shown["fatalities_best"] is None else str(shown["fatalities_best"])
        )
        assert int(row["claims"]) == shown["claims"]


@pytest.mark.parametrize("url", [EVENTS_URL, CLAIMS_URL])
def test_an_aggregate_is_one_statement_however_many_records(api, django_assert_max_num_queries, url):
    for _ in range(3):
        event = factories.event(actors=[(factories.actor(), ActorRole.PERPETRATOR)])
        factories.claim(event=event)
    group_by = "perpetrator,claimant,month" if url == EVENTS_URL else "claimant,event,month"

    with django_assert_max_num_queries(4) as captured:  # in a transaction of its own, its work_mem set
        assert api.get(url, {"group_by": group_by}).status_code == 200
    statements = [query["sql"].split()[0] for query in captured.captured_queries]
    assert sorted(statements) == ["RELEASE", "SAVEPOINT", "SELECT", "SET"]


def test_the_aggregates_are_in_the_schema_and_the_browsable_api(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for url in (EVENTS_URL, CLAIMS_URL):
        parameters = {p["name"] for p in schema["paths"][url]["get"]["parameters"]}
        assert {"group_by", "ordering", "limit", "search"} <= parameters
    assert "fill" in {p["name"] for p in schema["paths"][EVENTS_URL]["get"]["parameters"]}
    page = api.get(EVENTS_URL, {"group_by": "country"}, HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and b"group_by" in page.content


@pytest.mark.parametrize(
    ("name", "first", "last", "labels"),
    [
        ("quarter", date(2015, 2, 10), date(2015, 7, 1), ["2015-Q1", "2015-Q2", "2015-Q3"]),
        ("week", date(2015, 12, 27), date(2016, 1, 4), ["2015-W52", "2015-W53", "2016-W01"]),
        ("month", date(9999, 11, 5), date(9999, 12, 31), ["9999-11", "9999-12"]),
        ("year", date(1, 1, 1), date(2, 6, 1), ["0001", "0002"]),
        ("day", date(9999, 12, 31), date(9999, 12, 31), ["9999-12-31"]),
    ],
)
def test_periods_between_two_days_to_the_calendars_ends(name, first, last, labels):
    period = PERIODS[name]

    assert [period.label(start) for start in period.between(first, last)] == labels
    assert period.count_between(first, last) == len(labels)


def test_a_claim_counts_in_the_periods_its_date_is_known_to(api):
    factories.claim(made_on=date(2015, 10, 1), date_precision="month", value=40, unit="deaths")
    factories.claim(made_on=date(2015, 10, 3), date_precision="day", value=12, unit="deaths")
    factories.claim()  # undated

    by_week = api.get(CLAIMS_URL, {"group_by": "week"}).json()
    by_month = api.get(CLAIMS_URL, {"group_by": "unit,month"}).json()

    assert [(row["week"], row["claims"], row["value_max"]) for row in by_week["results"]] == [
        ("2015-W40", 1, 12)
    ]
    assert [row["claims"] for row in by_week["imprecise"]] == [2]
    assert [
        (row["unit"], row["month"], row["value_min"], row["value_max"]) for row in by_month["results"]
    ] == [("deaths", "2015-10", 12, 40)]
    assert [(row["unit"], row["claims"], row["value_min"]) for row in by_month["imprecise"]] == [
        ("", 1, None)
    ]


def rows_written_in_python(aggregation, queryset, names, ordering, limit, given):
    """What the JSON rows were before PostgreSQL wrote them: the rows of `aggregate`, shown."""
    grouped = grouping.aggregate(aggregation, queryset, names, ordering, limit, given)
    return [grouping.shown(row) for row in grouped.results], [
        grouping.shown(row) for row in grouped.imprecise
    ]


@pytest.mark.parametrize(
    ("url", "params"),
    [(EVENTS_URL, {"group_by": names}) for names in EVENT_GROUPINGS]
    + [(EVENTS_URL, {"group_by": "month", "ordering": "-events,month"})]
    + [(EVENTS_URL, {"group_by": "country,year", "event_type": "battles"})]  # from a tally
    + [(CLAIMS_URL, {"group_by": names}) for names in CLAIM_GROUPINGS]
    + [(CLAIMS_URL, {"group_by": "claimant,status", "ordering": "-claims", "limit": 3})],
)
def test_the_rows_postgresql_writes_are_those_python_wrote(api, curated, monkeypatch, url, params):
    awkward = 'Ḥalab "old" \\ city\u2028'  # escaped by both as JSON must be, and as JavaScript needs
    factories.claim(
        event=factories.event(title=awkward, start_date=date(2015, 1, 1), end_date=date(2015, 12, 31))
    )
    written = api.get(url, params)
    monkeypatch.setattr(grouping, "aggregate_json", rows_written_in_python)
    in_python = api.get(url, params)

    assert written.status_code == in_python.status_code == 200
    assert written.content == in_python.content
    assert written.json()["results"] or written.json()["imprecise"]
