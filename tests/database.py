"""Helpers for tests that show the database itself enforces a rule."""

from collections.abc import Callable
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, transaction


@contextmanager
def violates(constraint: str):
    """Expect the block to fail with an IntegrityError that PostgreSQL attributes to `constraint`.

    The block runs in a savepoint, so the test's transaction stays usable afterwards.
    """
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        yield
    assert caught.value.__cause__.diag.constraint_name == constraint


def assert_constraint(constraint: str, *, accepted: Callable[[], object], rejected: Callable[[], object]):
    """`accepted` writes a row the database keeps; `rejected`, the nearest row breaking `constraint`."""
    accepted()
    with violates(constraint):
        rejected()


def updated(factory: Callable, **values) -> Callable[[], None]:
    """Create a valid record, then write `values` with a bare UPDATE (no model validation)."""

    def write():
        record = factory()
        type(record).objects.filter(pk=record.pk).update(**values)

    return write


def pointing_at_another(factory: Callable, field: str) -> Callable[[], None]:
    """Create two records, then point the first's `field` at the second."""

    def write():
        record, other = factory(), factory()
        type(record).objects.filter(pk=record.pk).update(**{field: other})

    return write


def created_twice(factory: Callable, first: dict, second: dict) -> Callable[[], None]:
    """Create `factory(**first)` and then `factory(**second)`."""

    def write():
        factory(**first)
        factory(**second)

    return write
