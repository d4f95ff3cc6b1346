"""Stored values as JSON carries them: the one conversion the history, the exports and the dataset share.

A record's version in its history, a GeoJSON export's properties and a fixture file must agree on how a
date or a coordinate is written, so that one can be compared with another.
"""

from datetime import date, time
from decimal import Decimal


def json_value(value):
    """`value` (as read from a model field) in a form `json.dumps` writes: dates, datetimes and times in
    ISO 8601, decimals as numbers; anything else as it is."""
    if isinstance(value, date | time):  # a datetime is a date
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
