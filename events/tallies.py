"""Events and claims counted ahead, kept by PostgreSQL triggers: what the aggregates read when a
request's keys and filters are all among the counted ones (events/aggregates.py, conflictdb/aggregation.py).

An aggregate of a million events grouped straight from their rows takes seconds; most requests group by
country, type and period, filtered by the same and by dates. So the events are counted by country,
event type, sub-event type and date range, at three grains, a table each: their exact first and last
days (`EventDayTally`: any period and any date filter), the months of those days (`EventMonthTally`:
months, quarters, years, and dates on the months' edges) and their years (`EventYearTally`: years, and
dates on the years' edges). Claims are counted by claimant, type, grade and unit (`ClaimTally`), and by
claimant and grade alone (`ClaimStatusTally`), with the extremes of their figures.

The triggers run once per statement, over the rows it changed, however the write is made (the API, the
admin, the loaders, COPY, raw SQL):
- events: the changed rows' old values are taken away from their tallies and the new ones added
  (counts and sums are subtracted; a tally emptied is deleted), so a bulk write counts each event once;
  an event's country is its place's, read after locking the places (FOR SHARE) so that a place's change
  of country, which recounts the place's events after locking them, cannot interleave with it;
- places: a change of country moves the place's events from one country's tallies to the other's;
- claims: a claimant's tallies are counted again from its claims (a minimum cannot be subtracted), after
  locking its actor row, so that two writers of one claimant's claims take turns and the second counts
  the first's claims.
Each step that reads after a lock is a statement of its own: it sees what was committed before the lock
was granted (READ COMMITTED).

TRUNCATE fires no row-set trigger: after truncating events, places or claims by hand, count everything
again with `rebuild()` (`manage.py shell -c "from events import tallies; tallies.rebuild()"`).
"""

from enum import StrEnum

import pgtrigger
from django.contrib.postgres.fields import DateRangeField
from django.contrib.postgres.indexes import GistIndex
from django.db import connection, models
from django.db.models import F, Func, Value

from conflictdb.transitions import changed, changed_on_either_side

FATALITIES = ("fatalities_low", "fatalities_best", "fatalities_high")
FIGURES = ("value", "value_low", "value_high")


class Grain(StrEnum):
    DAY = "day"  # the events' first and last days
    MONTH = "month"  # the months of their first and last days
    YEAR = "year"  # their years


class EventTally(models.Model):
    """Events of one country (empty: no place), type, sub-type, first and last day (or month, or year):
    how many, the sums of their fatality figures and how many give each, how many give any, are
    disputed, and their claims. A table per grain, so that a grain's rows lie together on disk. (No
    check that the counts stay positive: PostgreSQL checks the row an upsert proposes, which carries the
    change, before it finds the row the change is added to.)"""

    country = models.CharField(max_length=3, blank=True)
    event_type = models.CharField(max_length=40)
    sub_event_type = models.CharField(max_length=40, blank=True)
    start_date = models.DateField(help_text="The first day, or the first day of its month or year.")
    end_date = models.DateField(help_text="The last day, or the first day of its month or year.")
    events = models.IntegerField()
    fatalities_low = models.BigIntegerField()
    fatalities_low_events = models.IntegerField()
    fatalities_best = models.BigIntegerField()
    fatalities_best_events = models.IntegerField()
    fatalities_high = models.BigIntegerField()
    fatalities_high_events = models.IntegerField()
    events_with_fatalities = models.IntegerField()
    disputed = models.IntegerField()
    claims = models.BigIntegerField()

    KEY = ("country", "event_type", "sub_event_type", "start_date", "end_date")
    grain: Grain

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.events} {self.event_type} in {self.country or '-'}, {self.start_date}..{self.end_date}"


def tally_key(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=list(EventTally.KEY), name=name)


def date_range() -> Func:
    """An event's days, as the day tallies' date filters compare them (and their index holds them)."""
    return Func(
        F("start_date"), F("end_date"), Value("[]"), function="daterange", output_field=DateRangeField()
    )


class EventDayTally(EventTally):
    grain = Grain.DAY

    class Meta:
        constraints = [tally_key("event_day_tally_key")]
        indexes = [GistIndex(date_range(), name="event_day_tally_dates")]


class EventMonthTally(EventTally):
    grain = Grain.MONTH

    class Meta:
        constraints = [tally_key("event_month_tally_key")]


class EventYearTally(EventTally):
    grain = Grain.YEAR

    class Meta:
        constraints = [tally_key("event_year_tally_key")]


EVENT_TALLIES = (EventDayTally, EventMonthTally, EventYearTally)


class ClaimFigures(models.Model):
    """Claims of one claimant and grade (and more, in a table's KEY): how many, the least and greatest
    of each figure, how many are lower bounds."""

    claimant_id = models.BigIntegerField()
    status = models.CharField(max_length=16)
    claims = models.PositiveIntegerField()
    value_min = models.PositiveBigIntegerField(null=True)
    value_max = models.PositiveBigIntegerField(null=True)
    value_low_min = models.PositiveBigIntegerField(null=True)
    value_low_max = models.PositiveBigIntegerField(null=True)
    value_high_min = models.PositiveBigIntegerField(null=True)
    value_high_max = models.PositiveBigIntegerField(null=True)
    lower_bounds = models.PositiveIntegerField()

    KEY: tuple[str, ...]

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.claims} {self.status} claims of actor {self.claimant_id}"


class ClaimTally(ClaimFigures):
    """By claimant, type, grade and unit."""

    claim_type = models.CharField(max_length=32)
    unit = models.CharField(max_length=100, blank=True)

    KEY = ("claimant_id", "claim_type", "status", "unit")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["claimant_id", "claim_type", "status", "unit"], name="claim_tally_key"
            )
        ]


class ClaimStatusTally(ClaimFigures):
    """By claimant and grade only: a few rows per claimant, for the groupings by those alone."""

    KEY = ("claimant_id", "status")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claimant_id", "status"], name="claim_status_tally_key")
        ]


CLAIM_TALLIES = (ClaimStatusTally, ClaimTally)


EVENTS, PLACES, CLAIMS, ACTORS = "events_event", "events_place", "events_claim", "events_actor"
# The event columns a tally reads: a change of any other leaves the tallies as they are.
COUNTED = ("place_id", "event_type", "sub_event_type", "start_date", "end_date", *FATALITIES)
COUNTED += ("disputed", "claim_count")
SUMS = ("events", *(f"{name}{part}" for name in FATALITIES for part in ("", "_events")))
SUMS += ("events_with_fatalities", "disputed", "claims")


def counted_rows(sign: str, country: str, event: str) -> str:
    """The SELECT list of an event's contribution, signed (`sign`: -1 or 1), its country given: the
    columns of `count`'s changes."""
    given = " OR ".join(f"{event}.{name} IS NOT NULL" for name in FATALITIES)
    figures = ", ".join(
        f"{sign} * coalesce({event}.{name}, 0), {sign} * ({event}.{name} IS NOT NULL)::int"
        for name in FATALITIES
    )
    return (
        f"coalesce({country}, ''), {event}.event_type, {event}.sub_event_type, {event}.start_date,"
        f" {event}.end_date, {sign}, {figures}, {sign} * ({given})::int, {sign} * {event}.disputed::int,"
        f" {sign} * {event}.claim_count"
    )


def count(changes: str) -> str:
    """Adds `changes` (a query of counted_rows) to the tallies of every grain, in the order of their
    dates then the rest of their key (so that two writers lock the rows they share in the same order, and
    a large load writes a table in the order of its dates, which date filters read), and deletes the
    tallies left empty."""
    columns = ", ".join(("country", "event_type", "sub_event_type", "first", "last", *SUMS))
    key = ", ".join(EventTally.KEY)
    sums = ", ".join(f"sum(c.{name})" for name in SUMS)
    changed = " OR ".join(f"sum(c.{name}) <> 0" for name in SUMS)
    updates = ", ".join(f"{name} = t.{name} + excluded.{name}" for name in SUMS)
    applied = []
    for model in EVENT_TALLIES:
        first, last = [
            f"c.{day}" if model.grain == Grain.DAY else f"date_trunc('{model.grain}', c.{day})::date"
            for day in ("first", "last")
        ]
        applied.append(
            f"applied_{model.grain} AS (INSERT INTO {model._meta.db_table} AS t ({key}, {', '.join(SUMS)})"
            f" SELECT c.country, c.event_type, c.sub_event_type, {first}, {last}, {sums} FROM c"
            f" GROUP BY 1, 2, 3, 4, 5 HAVING {changed} ORDER BY 4, 5, 1, 2, 3"
            f" ON CONFLICT ({key}) DO UPDATE SET {updates} RETURNING t.id, t.events)"
        )
    emptied = ", ".join(f"ARRAY(SELECT id FROM applied_{m.grain} WHERE events = 0)" for m in EVENT_TALLIES)
    deleted = " ".join(
        f"DELETE FROM {m._meta.db_table} WHERE id = ANY(emptied_{m.grain});" for m in EVENT_TALLIES
    )
    into = ", ".join(f"emptied_{m.grain}" for m in EVENT_TALLIES)
    return f"WITH c({columns}) AS ({changes}), {', '.join(applied)} SELECT {emptied} INTO {into}; {deleted}"


EMPTIED = {f"emptied_{model.grain}": "bigint[]" for model in EVENT_TALLIES}


def tally_trigger(name: str, operation: pgtrigger.Operation, func: str, **declared) -> pgtrigger.Trigger:
    return pgtrigger.Composer(
        name=f"{name}_{str(operation).lower()}",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        declare=list(declared.items()) or None,
        func=f"{func} RETURN NULL;",
    )


def event_trigger(operation: pgtrigger.Operation, places: str, changes: str) -> pgtrigger.Trigger:
    """Locks the places of the events changed (`places`, a query) and counts the `changes`."""
    lock = f"PERFORM FROM {PLACES} WHERE id IN ({places}) ORDER BY id FOR SHARE;"
    return tally_trigger("event_tally", operation, f"{lock} {count(changes)}", **EMPTIED)


def signed(rows: str, sign: str, joined: str = "") -> str:
    """The events of a transition table (`rows`, or the rows `joined` names so), signed, with their
    places' countries."""
    place = f"LEFT JOIN {PLACES} AS p ON p.id = {rows}.place_id"
    return f"SELECT {counted_rows(sign, 'p.country', rows)} FROM {joined or rows} {place}"


# An update counts the events whose counted columns changed: the old values out, the new in.
OLD_CHANGED = f"{changed('old_values', 'new_values', COUNTED)} AS old_values"
NEW_CHANGED = f"{changed('new_values', 'old_values', COUNTED)} AS new_values"

EVENT_TALLY = [
    event_trigger(pgtrigger.Insert, "SELECT place_id FROM new_values", signed("new_values", "1")),
    event_trigger(
        pgtrigger.Update,
        "SELECT place_id FROM old_values UNION SELECT place_id FROM new_values",
        f"{signed('old_values', '-1', OLD_CHANGED)} UNION ALL {signed('new_values', '1', NEW_CHANGED)}",
    ),
    event_trigger(pgtrigger.Delete, "SELECT place_id FROM old_values", signed("old_values", "-1")),
]

# A place's change of country: its events, locked, out of the old country's tallies and into the new's.
MOVED_FROM = f"{changed('old_values', 'new_values', ('country',))} AS old_values"
MOVED_TO = f"{changed('new_values', 'old_values', ('country',))} AS new_values"
MOVED_PLACES = f"SELECT id FROM {MOVED_TO}"
PLACE_TALLY = [
    tally_trigger(
        "event_tally",
        pgtrigger.Update,
        f"PERFORM FROM {EVENTS} WHERE place_id IN ({MOVED_PLACES}) ORDER BY id FOR NO KEY UPDATE; "
        + count(
            f"SELECT {counted_rows('-1', 'old_values.country', 'e')} FROM {MOVED_FROM}"
            f" JOIN {EVENTS} AS e ON e.place_id = old_values.id"
            f" UNION ALL SELECT {counted_rows('1', 'new_values.country', 'e')} FROM {MOVED_TO}"
            f" JOIN {EVENTS} AS e ON e.place_id = new_values.id"
        ),
        **EMPTIED,
    )
]


def claim_figures(claims: str) -> str:
    """The SELECT list of a tally from the rows of `claims`, grouped by the tally's key."""
    extremes = ", ".join(f"{end}({claims}.{name})" for name in FIGURES for end in ("min", "max"))
    return f"count(*), {extremes}, count(*) FILTER (WHERE {claims}.value_is_lower_bound)"


def claims_counted(model, claims: str, condition: str) -> str:
    """The INSERT of the `model` tallies of the claims that `condition` selects."""
    key = ", ".join(model.KEY)
    columns = ", ".join(f.column for f in model._meta.local_fields if f.column not in ("id", *model.KEY))
    return (
        f"INSERT INTO {model._meta.db_table} ({key}, {columns}) SELECT {key}, {claim_figures(claims)}"
        f" FROM {claims} WHERE {condition} GROUP BY {key}"
    )


def recount(claimants: str) -> str:
    """Counts again the tallies of the claimants of `claimants` (a query), after locking them."""
    return (
        f"claimant_ids := ARRAY({claimants});"
        + (f" PERFORM FROM {ACTORS} WHERE id = ANY(claimant_ids) ORDER BY id FOR NO KEY UPDATE;")
        + "".join(
            f" DELETE FROM {model._meta.db_table} WHERE claimant_id = ANY(claimant_ids);"
            f" {claims_counted(model, CLAIMS, 'claimant_id = ANY(claimant_ids)')};"
            for model in CLAIM_TALLIES
        )
    )


def added(claims: str) -> str:
    """Adds the claims of `claims` (a transition table) to the tallies, after locking their claimants:
    counts summed, extremes widened, every tally's rows in the order of its key. An insert cannot narrow
    an extreme, so it need not count anything again; an update or a delete can, and counts its claimants'
    claims again (`recount`). A recount per insert read every claim of the claimants written: a COPY of a
    million claims read the whole table, comparing each claim with every claimant of the COPY."""
    lock = (
        f"PERFORM FROM {ACTORS} WHERE id IN (SELECT claimant_id FROM {claims}) ORDER BY id FOR NO KEY UPDATE;"
    )

    def merged(table: str) -> str:
        sums = [f"{name} = {table}.{name} + excluded.{name}" for name in ("claims", "lower_bounds")]
        extremes = [
            f"{name}_{end} = {widest}({table}.{name}_{end}, excluded.{name}_{end})"
            for name in FIGURES
            for end, widest in (("min", "least"), ("max", "greatest"))
        ]
        return ", ".join(sums + extremes)

    return lock + "".join(
        f" {claims_counted(model, claims, 'claimant_id IS NOT NULL')} ORDER BY {', '.join(model.KEY)}"
        f" ON CONFLICT ({', '.join(model.KEY)}) DO UPDATE SET {merged(model._meta.db_table)};"
        for model in CLAIM_TALLIES
    )


# The claim columns a tally reads.
CLAIM_COUNTED = ("claimant_id", "claim_type", "status", "unit", *FIGURES, "value_is_lower_bound")
CLAIM_TALLY = [
    tally_trigger("claim_tally", pgtrigger.Insert, added("new_values")),
    tally_trigger(
        "claim_tally",
        pgtrigger.Update,
        recount(changed_on_either_side("claimant_id", CLAIM_COUNTED)),
        claimant_ids="bigint[]",
    ),
    tally_trigger(
        "claim_tally",
        pgtrigger.Delete,
        recount("SELECT DISTINCT claimant_id FROM old_values"),
        claimant_ids="bigint[]",
    ),
]


def rebuild(cursor=None) -> None:
    """Counts every tally again from the events and claims (after a TRUNCATE, which fires no trigger)."""
    if cursor is None:
        with connection.cursor() as cursor:
            return rebuild(cursor)
    cursor.execute(f"LOCK TABLE {EVENTS}, {PLACES}, {CLAIMS} IN SHARE MODE")
    for model in (*EVENT_TALLIES, *CLAIM_TALLIES):
        cursor.execute(f"DELETE FROM {model._meta.db_table}")
    declared = " ".join(f"{name} {kind};" for name, kind in EMPTIED.items())
    cursor.execute(f"DO $$ DECLARE {declared} BEGIN {count(signed('e', '1', f'{EVENTS} AS e'))} END $$")
    for model in CLAIM_TALLIES:
        cursor.execute(claims_counted(model, CLAIMS, "true"))
