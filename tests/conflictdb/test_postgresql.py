"""The database connections: the health check finds a connection the server has closed, and they carry
the planner settings the API is tuned for."""

import time

import pytest
from django.db import connection, connections


@pytest.fixture
def other_connection():
    """A second connection to the test database, as a worker holds one between requests."""
    other = connections.create_connection("default")
    other.ensure_connection()
    yield other
    other.close()


@pytest.mark.django_db
def test_a_connection_at_rest_is_usable(other_connection):
    assert other_connection.is_usable()


@pytest.mark.django_db
def test_a_connection_the_server_closed_is_not_usable(other_connection):
    with connection.cursor() as cursor:  # as a restart does to every connection
        cursor.execute("SELECT pg_terminate_backend(%s)", [other_connection.connection.info.backend_pid])
    deadline = time.monotonic() + 5
    usable = True
    while usable and time.monotonic() < deadline:
        usable = other_connection.is_usable()
        time.sleep(0.01)
    assert not usable


@pytest.mark.django_db
def test_a_closed_connection_is_not_usable(other_connection):
    other_connection.connection.close()
    assert not other_connection.is_usable()


@pytest.mark.django_db
def test_every_connection_plans_for_memory_and_ssd_without_jit(other_connection):
    """Set by the connection's options (conflictdb/settings.py), whatever the server's own settings."""
    with other_connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('random_page_cost'), current_setting('jit')")
        assert cursor.fetchone() == ("1.1", "off")
