"""Calendar periods an aggregate groups by: year, quarter, month, ISO week, day.

A period is named by its label (`2015`, `2015-Q4`, `2015-10`, `2015-W40`, `2015-10-03`) and held as its
first day. A record counts in a period only when every day it may be on lies within that one period
(conflictdb/aggregation.py); the labels and steps here are what `fill` walks through.
"""

from dataclasses import dataclass
from datetime import date, timedelta


def _quarter_start(day: date) -> date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _months_later(day: date, months: int) -> date:
    """The first of the month `months` after `day`'s month (OverflowError past year 9999)."""
    index = day.year * 12 + day.month - 1 + months
    if index // 12 > date.max.year:
        raise OverflowError("past year 9999")
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """A kind of period: `unit` is PostgreSQL's date_trunc field for it, `label_format` the to_char()
    template that writes its label as `label` does."""

    name: str
    unit: str
    label_format: str

    def start(self, day: date) -> date:
        """The first day of the period that holds `day`."""
        if self.name == "year":
            return day.replace(month=1, day=1)
        if self.name == "quarter":
            return _quarter_start(day)
        if self.name == "month":
            return day.replace(day=1)
        if self.name == "week":  # ISO weeks start on Monday; 0001-01-01 is one
            return day - timedelta(days=day.weekday())
        return day

    def following(self, start: date) -> date:
        """The first day of the next period (OverflowError past year 9999)."""
        if self.name in ("week", "day"):
            return start + timedelta(days=7 if self.name == "week" else 1)
        return _months_later(start, {"year": 12, "quarter": 3, "month": 1}[self.name])

    def count_between(self, first: date, last: date) -> int:
        """How many periods hold a day of `first`..`last` (computed, not walked: the range may be long)."""
        first, last = self.start(first), self.start(last)
        if self.name in ("week", "day"):
            return (last - first).days // (7 if self.name == "week" else 1) + 1
        months = (last.year - first.year) * 12 + last.month - first.month
        return months // {"year": 12, "quarter": 3, "month": 1}[self.name] + 1

    def between(self, first: date, last: date) -> list[date]:
        """The first days of the periods holding a day of `first`..`last`, in order."""
        starts, current = [], self.start(first)
        while current <= last:
            starts.append(current)
            try:
                current = self.following(current)
            except OverflowError:
                break
        return starts

    def label(self, start: date) -> str:
        if self.name == "year":
            return f"{start.year:04d}"
        if self.name == "quarter":
            return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
        if self.name == "month":
            return f"{start.year:04d}-{start.month:02d}"
        if self.name == "week":
            year, week, _day = start.isocalendar()
            return f"{year:04d}-W{week:02d}"
        return start.isoformat()


PERIODS = {
    period.name: period
    for period in (
        Period("year", "year", "YYYY"),
        Period("quarter", "quarter", 'YYYY-"Q"Q'),
        Period("month", "month", "YYYY-MM"),
        Period("week", "week", 'IYYY-"W"IW'),
        Period("day", "day", "YYYY-MM-DD"),
    )
}
