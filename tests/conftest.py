"""Shared fixtures of the test suite."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()
