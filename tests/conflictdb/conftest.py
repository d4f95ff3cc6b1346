"""The servers of tests/clusters.py, and a migrated database, shared by every module of this folder that
asks for them."""

import pytest

from tests.clusters import cluster, empty_redis, pgbouncer, redis_url, server_folder  # noqa: F401
from tests.throwaway import manage, new_database


@pytest.fixture(scope="session")
def migrated_database():
    """The URL of a new database migrated as `manage.py migrate` migrates one, kept for the session: what a
    test compares other migrations with, and the template of a migrated database of a test's own
    (CREATE DATABASE ... TEMPLATE copies it in a fraction of a migrate's time)."""
    with new_database("conflictdb_migrated") as url:
        manage(url, "migrate", "--no-input", "-v", "0")
        yield url
