"""The servers of tests/clusters.py, shared by every module of this folder that asks for them."""

from tests.clusters import cluster, empty_redis, pgbouncer, redis_url, server_folder  # noqa: F401
