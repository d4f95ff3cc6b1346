"""Shared fixtures of the test suite."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


def pytest_terminal_summary(terminalreporter):
    """Report how many schemathesis cases ran, for the record."""
    from tests.conflictdb.test_schemathesis import CASES

    if CASES["count"]:
        terminalreporter.write_line(
            f"schemathesis: {CASES['count']} cases over {len(CASES['operations'])} operations"
        )
