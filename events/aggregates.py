"""What the aggregates of events and claims group by and sum (conflictdb/aggregation.py runs them).

Events: the keys of their place (country, admin1, place), their type, their actors (any role, or one
role), the claimants of their claims, and a period their whole date range lies within. An event with
several actors (claimants) counts once under each; one with none counts under null.
Claims: their claimant, type, grade, event, source, unit, and a period their `made_on` is known to.
"""

from datetime import date, timedelta

from conflictdb.aggregate_filters import aggregate_filterset
from conflictdb.aggregation import Aggregation, Key, Tally, TallyTable
from conflictdb.filters import split_values
from conflictdb.models import DatePrecision
from conflictdb.periods import PERIODS, Period
from events.filtersets import ClaimFilterSet, EventFilterSet
from events.models import Actor, Claim, Event, EventActor, Place
from events.tallies import (
    FATALITIES,
    FIGURES,
    ClaimStatusTally,
    ClaimTally,
    EventDayTally,
    EventMonthTally,
    EventYearTally,
    Grain,
)
from events.vocabularies import ActorRole
from sources.models import Source

PLACES, ACTORS = Place._meta.db_table, Actor._meta.db_table
LINKS, CLAIMS = EventActor._meta.db_table, Claim._meta.db_table
RECORD = ("slug", "name")


def column_key(name: str, about: str = "") -> Key:
    """A key that is a column of the rows."""
    return Key(name, (f"r.{name}",), about=about, reads=(name,))


ID, PLACE_CSV = ("place_id",), ("place", "place_name")  # the place key reads one place per id


def place_key(name: str, columns: tuple[str, ...], **shown) -> Key:
    join = f"LEFT JOIN {PLACES} AS {{a}} ON {{a}}.id = r.place_id"
    return Key(name, columns, join, **shown)


def actor_key(name: str, links: str, about: str) -> Key:
    """Events by an actor of theirs: `links`, a query of `actor_id` per event `r.id`, each actor once."""
    join = (
        f"LEFT JOIN LATERAL ({links}) AS {{a}}_link ON true"
        f" LEFT JOIN {ACTORS} AS {{a}} ON {{a}}.id = {{a}}_link.actor_id"
    )
    return Key(name, ("{a}.slug", "{a}.name"), join, RECORD, (name, f"{name}_name"), about)


def in_role(role: str | None) -> str:
    condition = f" AND role = '{role}'" if role else ""
    return f"SELECT DISTINCT actor_id FROM {LINKS} WHERE event_id = r.id{condition}"


def event_fits(period: Period) -> str:
    """An event lies within one period when its first and last possible days are in the same one."""
    return (
        f"date_trunc('{period.unit}', r.start_date::timestamp)"
        f" = date_trunc('{period.unit}', r.end_date::timestamp)"
    )


def any_of(column: str, upper: bool = False):
    """A list filter's condition on a tally: the column is any of the values."""

    def condition(value, grain):
        values = [v.upper() for v in split_values(value)] if upper else list(value)
        return f"r.{column} = ANY(%s)", [values]

    return condition


def on_or_after(day: date, grain):
    """`date_from`: events ending on or after the day; at the months' or years' grain, only from the
    first day of one. (At the days' grain, as the overlap of the days, which their index holds.)"""
    if grain == Grain.DAY:
        return "daterange(r.start_date, r.end_date, '[]') && daterange(%s, NULL, '[]')", [day]
    if PERIODS[grain].start(day) != day:
        return None
    return "r.end_date >= %s", [day]


def on_or_before(day: date, grain):
    """`date_to`: events starting on or before the day; at the months' or years' grain, only to the
    last day of one."""
    if grain == Grain.DAY:
        return "daterange(r.start_date, r.end_date, '[]') && daterange(NULL, %s, '[]')", [day]
    if day != date.max and PERIODS[grain].start(day + timedelta(days=1)) != day + timedelta(days=1):
        return None
    return "r.start_date <= %s", [day]


EVENT_TALLY = Tally(
    tables=(
        TallyTable(Grain.YEAR, EventYearTally._meta.db_table, ("year",)),
        TallyTable(Grain.MONTH, EventMonthTally._meta.db_table, ("year", "quarter", "month")),
        TallyTable(Grain.DAY, EventDayTally._meta.db_table, tuple(PERIODS)),
    ),
    keys={
        "country": Key("country", ("NULLIF(r.country, '')",), reads=("country",)),
        "event_type": column_key("event_type"),
        "sub_event_type": column_key("sub_event_type"),
    },
    metrics={
        "events": "sum(r.events)",
        **{name: f"CASE WHEN sum(r.{name}_events) > 0 THEN sum(r.{name})::bigint END" for name in FATALITIES},
        "events_with_fatalities": "sum(r.events_with_fatalities)",
        "disputed": "sum(r.disputed)",
        "claims": "sum(r.claims)::bigint",
    },
    filters={
        "country": any_of("country", upper=True),
        "event_type": any_of("event_type"),
        "sub_event_type": any_of("sub_event_type"),
        "date_from": on_or_after,
        "date_to": on_or_before,
    },
)

EVENT_AGGREGATION = Aggregation(
    columns=("id", "place_id", "event_type", "sub_event_type", "start_date", "end_date", *FATALITIES)
    + ("claim_count", "disputed"),
    keys={
        key.name: key
        for key in [
            place_key("country", ("{a}.country",), about="the place's country (ISO alpha-3)"),
            place_key(
                "admin1",
                ("{a}.country", "{a}.admin1"),
                fields=("country", "name"),
                csv=("admin1_country", "admin1"),
                about="the place's country and first administrative division",
            ),
            place_key("place", ("{a}.slug", "{a}.name"), fields=RECORD, csv=PLACE_CSV, reads=ID),
            column_key("event_type", "the event type"),
            column_key("sub_event_type", "the sub-event type"),
            actor_key("actor", in_role(None), "each actor with a role in the event, whatever the role"),
            actor_key("perpetrator", in_role(ActorRole.PERPETRATOR), "each perpetrator"),
            actor_key("target", in_role(ActorRole.TARGET), "each target"),
            actor_key(
                "claimant",
                f"SELECT DISTINCT claimant_id AS actor_id FROM {CLAIMS} WHERE event_id = r.id",
                "each actor that made a claim about the event",
            ),
        ]
    },
    metrics={
        "events": "count(*)",
        **{name: f"sum(r.{name})" for name in FATALITIES},
        "events_with_fatalities": "count(*) FILTER (WHERE "
        + " OR ".join(f"r.{name} IS NOT NULL" for name in FATALITIES)
        + ")",
        "disputed": "count(*) FILTER (WHERE r.disputed)",
        "claims": "coalesce(sum(r.claim_count), 0)",
    },
    start="r.start_date",
    fits=event_fits,
    empty={
        "events": 0,
        **dict.fromkeys(FATALITIES, 0),
        "events_with_fatalities": 0,
        "disputed": 0,
        "claims": 0,
    },
    tally=EVENT_TALLY,
)


# How exactly a claim's date must be known to place it in a period of each kind: a date known to its
# month is in that month, quarter and year, not in a week or a day of it.
KNOWN_TO = {
    "day": [DatePrecision.DAY],
    "week": [DatePrecision.DAY],
    "month": [DatePrecision.DAY, DatePrecision.MONTH],
    "quarter": [DatePrecision.DAY, DatePrecision.MONTH],
    "year": [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR],
}


def claim_fits(period: Period) -> str:
    precisions = ", ".join(f"'{precision}'" for precision in KNOWN_TO[period.name])
    return f"r.made_on IS NOT NULL AND r.date_precision IN ({precisions})"


def joined_record(name: str, table: str, label: str, about: str) -> Key:
    join = f"LEFT JOIN {table} AS {{a}} ON {{a}}.id = r.{name}_id"
    shown = {"fields": ("slug", label), "csv": (name, f"{name}_{label}"), "about": about}
    return Key(name, ("{a}.slug", f"{{a}}.{label}"), join, reads=(f"{name}_id",), **shown)


CLAIM_KEYS = {
    key.name: key
    for key in [
        joined_record("claimant", ACTORS, "name", "the claimant"),
        column_key("claim_type", "the claim type"),
        column_key("status", "the curator's grade"),
        joined_record("event", Event._meta.db_table, "title", "the event it is about (null: none)"),
        joined_record("source", Source._meta.db_table, "title", "the source"),
        column_key("unit", "the unit of the figure (empty: no figure)"),
    ]
}

CLAIM_AGGREGATION = Aggregation(
    columns=("id", "claimant_id", "claim_type", "status", "event_id", "source_id", "unit", "made_on")
    + ("date_precision", *FIGURES, "value_is_lower_bound"),
    keys=CLAIM_KEYS,
    metrics={
        "claims": "count(*)",
        **{f"{name}_{end}": f"{end}(r.{name})" for name in FIGURES for end in ("min", "max")},
        "lower_bounds": "count(*) FILTER (WHERE r.value_is_lower_bound)",
    },
    start="r.made_on",
    fits=claim_fits,
    tally=Tally(
        tables=(
            TallyTable(
                None,
                ClaimStatusTally._meta.db_table,
                holds=("claimant", "status"),
                unique=ClaimStatusTally.KEY,
            ),
            TallyTable(None, ClaimTally._meta.db_table),
        ),
        keys={name: CLAIM_KEYS[name] for name in ("claimant", "claim_type", "status", "unit")},
        metrics={
            "claims": "sum(r.claims)",
            **{f"{name}_{end}": f"{end}(r.{name}_{end})" for name in FIGURES for end in ("min", "max")},
            "lower_bounds": "sum(r.lower_bounds)",
        },
        filters={
            "claimant": any_of("claimant_id"),
            "claim_type": any_of("claim_type"),
            "status": any_of("status"),
        },
    ),
)

EventAggregateFilterSet = aggregate_filterset(EventFilterSet, EVENT_AGGREGATION, fills=True)
ClaimAggregateFilterSet = aggregate_filterset(ClaimFilterSet, CLAIM_AGGREGATION)
