"""The database rejects sources that break the model's rules, even when model validation is bypassed."""

from datetime import date
from functools import partial

import pytest
from django.db.models import F

from conflictdb.models import DatePrecision
from tests import factories
from tests.database import assert_constraint, created_twice, pointing_at_another, updated

pytestmark = pytest.mark.django_db

CASES = [
    pytest.param(
        "source_date_has_precision",
        partial(factories.source, published_on=date(2015, 10, 3), date_precision=DatePrecision.MONTH),
        partial(factories.source, published_on=date(2015, 10, 3), date_precision=""),
        id="date-without-precision",
    ),
    pytest.param(
        "source_date_has_precision",
        partial(factories.source, published_on=None, date_precision=""),
        partial(factories.source, published_on=None, date_precision=DatePrecision.DAY),
        id="precision-without-date",
    ),
    pytest.param(
        "source_not_reported_in_itself",
        pointing_at_another(factories.source, "reported_in"),
        updated(factories.source, reported_in=F("pk")),
        id="reported-in-itself",
    ),
    pytest.param(
        "sources_source_slug_key",
        created_twice(factories.source, {"slug": "afp-2015-10-03"}, {"slug": "afp-2015-10-04"}),
        created_twice(factories.source, {"slug": "afp-2015-10-03"}, {"slug": "afp-2015-10-03"}),
        id="slug-unique",
    ),
]


@pytest.mark.parametrize(("constraint", "accepted", "rejected"), CASES)
def test_database_enforces(constraint, accepted, rejected):
    assert_constraint(constraint, accepted=accepted, rejected=rejected)
