"""Values from outside, checked before any of them reaches Python's conversions or the database.

Query parameters, cursor values and feed positions are text a client wrote. Python and PostgreSQL each
accept less than the other in places: `int()` takes `٣` (and `isdigit()` takes `²`, which `int()`
refuses); a datetime near year 1 or 9999 overflows when converted to UTC; PostgreSQL refuses a zone
offset beyond ±15:59, a NUL in text, and integers past its column's range. Each function here returns the
value both can hold, or raises ValueError with a message for the client.
"""

import re
from datetime import UTC, date, datetime

from django.utils.dateparse import parse_datetime

BIGINT_MAX = 2**63 - 1
INTEGER_MAX = 2**31 - 1
ASCII_DIGITS = re.compile(r"[0-9]+")


def integer(raw: str, *, minimum: int = 0, maximum: int = BIGINT_MAX) -> int:
    """`raw` written in ASCII digits, within `minimum`..`maximum`."""
    text = raw.strip()
    if not ASCII_DIGITS.fullmatch(text):
        raise ValueError(f"Expected a whole number written in the digits 0-9, got {raw!r}.")
    if len(text) > len(str(maximum)) or not minimum <= int(text) <= maximum:
        raise ValueError(f"Expected a whole number from {minimum} to {maximum}, got {raw!r}.")
    return int(text)


def text(raw: str) -> str:
    """`raw` as text PostgreSQL can hold: without NUL characters."""
    if "\x00" in raw:
        raise ValueError("Text cannot contain a NUL character.")
    return raw


def search_text(raw: str) -> str:
    """Search words: at least one letter or digit (punctuation alone matches everything a trigram index
    holds, and was answered by reading every row), no NUL."""
    words = text(raw).strip()
    if not any(character.isalnum() for character in words):
        raise ValueError("A search needs at least one letter or digit.")
    return words


def utc_datetime(raw: str, *, naive_is_utc: bool = False) -> datetime:
    """An ISO 8601 datetime with a time zone (or, if `naive_is_utc`, without one, read as UTC), as the UTC
    moment it names, within years 1 to 9999. A `+` read from a URL as a space is a `+`."""
    try:
        moment = parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is None and naive_is_utc:
        moment = moment.replace(tzinfo=UTC)
    if moment is None or moment.tzinfo is None:
        raise ValueError("Expected an ISO 8601 datetime with a time zone, e.g. 2015-10-03T00:00:00Z.")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("Out of range: in UTC the datetime must fall within years 1 to 9999.") from None


def iso_date(raw: str) -> date:
    """A date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(raw)
    except (TypeError, ValueError):
        raise ValueError("Expected a date written YYYY-MM-DD.") from None
