"""Property-based tests of every write operation against the OpenAPI schema (schemathesis).

As tests/conflictdb/test_schemathesis.py does for reads: each POST, PUT, PATCH and DELETE is called,
with a curator's token, with generated bodies and parameters, valid and invalid, on the curated
dataset; a response must never be a server error, and its status, media type and body must be the
documented ones. Examples are bounded and derandomized (a fixed seed), so the run is repeatable.
"""

import pytest
from hypothesis import HealthCheck, settings

from tests import factories
from tests.conflictdb.test_schemathesis import (  # noqa: F401 (autouse fixtures)
    CHECKS,
    UNCOMPRESSED,
    curated_dataset,
    keep_the_test_connection,
    schema,
)

CASES = {"count": 0, "operations": set()}


@pytest.fixture
def curator_token(db):
    return factories.token(factories.user(curator=True))


@schema.include(method=["POST", "PUT", "PATCH", "DELETE"]).parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_write_operations_conform_to_the_schema(case, curator_token):
    CASES["count"] += 1
    CASES["operations"].add(case.operation.label)
    case.call_and_validate(headers={"Authorization": f"Token {curator_token}", **UNCOMPRESSED}, checks=CHECKS)
