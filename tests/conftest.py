"""Shared fixtures of the test suite."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Tests send many requests from one address; the rate-limit tests set their own rates."""
    settings.API_RATES = {"anon": None, "user": None}


def pytest_terminal_summary(terminalreporter):
    """Report how many schemathesis cases ran, for the record."""
    from tests.conflictdb.test_schemathesis import CASES

    if CASES["count"]:
        terminalreporter.write_line(
            f"schemathesis: {CASES['count']} cases over {len(CASES['operations'])} operations"
        )
