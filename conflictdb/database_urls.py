"""The database connections that settings build from URLs, apart from the settings module's other work."""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def replica_databases(urls: list[str], primary: dict) -> dict[str, dict]:
    """An alias "replica<n>" for each streaming replica's URL, with the primary's connection settings."""
    replicas = {}
    for number, url in enumerate(urls, start=1):
        replica = dj_database_url.parse(url, conn_max_age=primary["CONN_MAX_AGE"])
        if replica["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured(
                "DATABASE_REPLICA_URLS must point at PostgreSQL servers (postgres://...)."
            )
        replica["OPTIONS"] = {**primary["OPTIONS"], **replica.get("OPTIONS", {})}
        replica["CONN_HEALTH_CHECKS"] = True
        replica["TEST"] = {"MIRROR": "default"}  # a test run reads its own test database through it
        replicas[f"replica{number}"] = replica
    return replicas
