"""Property-based tests of every read operation against the OpenAPI schema (schemathesis).

Each operation is called with generated parameters, valid and invalid, on the curated dataset; a
response must never be a server error, and its status, media type and body must be the documented ones.
Examples are bounded and derandomized (a fixed seed), so the run is repeatable.
"""

import pytest
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conflictdb.wsgi import application

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# schemathesis' WSGI client asks for gzip, as requests does, but does not decode it: the bodies are
# checked uncompressed (compression itself: test_compression.py).
UNCOMPRESSED = {"Accept-Encoding": "identity"}
CASES = {"count": 0, "operations": set()}


# Generating the schema reads no data, so it is done once, at collection.
schema = openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def curated_dataset(curated_dataset_of_module, db):
    """Each operation's examples run on the curated dataset (loaded once for the module)."""


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the real WSGI handler, which closes the database connection after each one;
    the test's transaction lives on that connection, so (as Django's test client does) keep it open."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.include(method="GET").parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_read_operations_conform_to_the_schema(case):
    CASES["count"] += 1
    CASES["operations"].add(case.operation.label)
    case.call_and_validate(headers=UNCOMPRESSED, checks=CHECKS)
