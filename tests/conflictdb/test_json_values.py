"""The one conversion of stored values to JSON that the history, the exports and the dataset share."""

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal

from conflictdb.json_values import json_value


def test_dates_and_times_are_iso_8601_and_decimals_numbers():
    moment = datetime(2015, 10, 3, 6, 30, tzinfo=UTC)
    assert json_value(date(2015, 10, 3)) == "2015-10-03"
    assert json_value(moment) == "2015-10-03T06:30:00+00:00"
    assert json_value(time(6, 30)) == "06:30:00"
    assert json_value(Decimal("35.95000")) == 35.95
    assert isinstance(json_value(Decimal("3")), float)


def test_other_values_are_left_as_they_are():
    for value in (None, True, 17, "Raqqa", ["Raqa", "Ar-Raqqah"], {"from": 1}):
        assert json_value(value) is value
    record = {"made_on": date(2015, 10, 3), "latitude": Decimal("35.95"), "aliases": ["Raqa"]}
    assert json.loads(json.dumps({k: json_value(v) for k, v in record.items()})) == {
        "made_on": "2015-10-03",
        "latitude": 35.95,
        "aliases": ["Raqa"],
    }
