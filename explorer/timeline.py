"""The explorer's timeline: events and fatalities per period, from the events' aggregate (the API's
own, docs/api.md "Aggregates"), drawn as SVG bars by the template.

An event whose dates do not fit one period is not spread over the periods it may fall in: the aggregate
counts it in `imprecise`, and the timeline shows those events apart, after a gap, as one bar of their own.
"""

from dataclasses import dataclass
from datetime import date

from conflictdb.periods import PERIODS

WIDTH, HEIGHT = 800, 90  # each of the two rows of bars, in the SVG's units
DEFAULT_PERIOD = "month"
FILLED_AT_MOST = 1200


def period_for(date_from: date | None, date_to: date | None) -> str:
    """The finest period that gives the chosen dates at most a few dozen bars; a month without both."""
    if date_from is None or date_to is None:
        return DEFAULT_PERIOD
    days = (date_to - date_from).days
    if days <= 62:
        return "day"
    if days <= 400:
        return "week"
    return "month" if days <= 366 * 6 else "year"


@dataclass
class Bar:
    label: str
    events: int
    fatalities: int | None
    x: float
    width: float
    events_height: float
    fatalities_height: float
    imprecise: bool = False

    @property
    def events_top(self) -> float:
        return round(15 + HEIGHT - self.events_height, 2)

    @property
    def fatalities_top(self) -> float:
        return round(125 + HEIGHT - self.fatalities_height, 2)

    @property
    def right(self) -> float:
        return round(self.x + self.width, 2)

    @property
    def described(self) -> str:
        fatalities = (
            "no fatality figure" if self.fatalities is None else f"{self.fatalities} fatalities (best)"
        )
        events = f"{self.events} event{'s' if self.events != 1 else ''}"
        return f"{self.label}: {events}, {fatalities}"


@dataclass
class Timeline:
    period: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def precise(self) -> list[Bar]:
        return [bar for bar in self.bars if not bar.imprecise]

    @property
    def imprecise(self) -> Bar | None:
        return next((bar for bar in self.bars if bar.imprecise), None)


def start_of(period: str, label: str) -> date:
    """The first day of the period a label names (conflictdb/periods.py writes them)."""
    if period == "year":
        return date(int(label), 1, 1)
    if period == "quarter":
        year, quarter = label.split("-Q")
        return date(int(year), (int(quarter) - 1) * 3 + 1, 1)
    if period == "month":
        year, month = label.split("-")
        return date(int(year), int(month), 1)
    if period == "week":
        year, week = label.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    return date.fromisoformat(label)


def filled(period: str, rows: list[dict]) -> list[dict]:
    """The rows with a row of no events for each period between them that has none, so that a gap in
    time is a gap in the bars (unless there would be more than FILLED_AT_MOST of them)."""
    if not rows:
        return rows
    kind = PERIODS[period]
    first, last = start_of(period, rows[0][period]), start_of(period, rows[-1][period])
    if kind.count_between(first, last) > FILLED_AT_MOST:
        return rows
    given = {row[period]: row for row in rows}
    empty = {"events": 0, "fatalities_best": None}
    labels = [kind.label(start) for start in kind.between(first, last)]
    return [given.get(label, {period: label, **empty}) for label in labels]


def timeline(period: str, aggregate: dict) -> Timeline:
    """Bars of the aggregate's rows (by `period` alone), in order, and one of its imprecise events."""
    rows = filled(period, sorted(aggregate.get("results", []), key=lambda row: row[period]))
    loose = {"events": 0, "fatalities_best": None}
    for row in aggregate.get("imprecise", []):
        loose["events"] += row["events"]
        if row["fatalities_best"] is not None:
            loose["fatalities_best"] = (loose["fatalities_best"] or 0) + row["fatalities_best"]
    counted = [(row[period], row, False) for row in rows]
    if loose["events"]:
        counted.append((f"wider than a {period}", loose, True))
    most_events = max((row["events"] for _, row, _ in counted), default=0) or 1
    most_fatalities = max((row["fatalities_best"] or 0 for _, row, _ in counted), default=0) or 1
    slots = len(counted) + (1 if loose["events"] else 0)  # an empty slot before the imprecise bar
    step = WIDTH / max(slots, 1)
    bars = []
    for index, (label, row, imprecise) in enumerate(counted):
        slot = index + 1 if imprecise else index
        bars.append(
            Bar(
                label=label,
                events=row["events"],
                fatalities=row["fatalities_best"],
                x=round(slot * step + step * 0.1, 2),
                width=round(max(step * 0.8, 0.5), 2),
                events_height=round(HEIGHT * row["events"] / most_events, 2),
                fatalities_height=round(HEIGHT * (row["fatalities_best"] or 0) / most_fatalities, 2),
                imprecise=imprecise,
            )
        )
    return Timeline(period=period, bars=bars)


def is_period(name: str) -> bool:
    return name in PERIODS


PERIOD_NAMES = list(PERIODS)
