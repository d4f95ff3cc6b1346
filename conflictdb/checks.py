"""`manage.py check --deploy`: what production needs beyond Django's own checks."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def shared_counters(app_configs, **kwargs):
    """Rate-limit counts live in the cache: without Redis, each worker counts on its own, and N workers
    allow N times the rate."""
    if settings.REDIS_URL:
        return []
    return [
        Warning(
            "REDIS_URL is not set: each worker keeps its own rate-limit counts, so the limits allow as many "
            "times the rate as there are workers.",
            hint="Set REDIS_URL to a Redis server shared by every worker and server.",
            id="conflictdb.W001",
        )
    ]


@register(Tags.security, deploy=True)
def separate_owner(app_configs, **kwargs):
    """With one database URL the servers connect as the tables' owner, which can disable the history's
    triggers and rewrite it (docs/security.md)."""
    if settings.DATABASE_APP_ROLE:
        return []
    return [
        Warning(
            "DATABASE_OWNER_URL is not set: the servers connect as the owner of the tables (DATABASE_URL), "
            "which can disable the history's triggers and rewrite or delete versions.",
            hint="Create a role that owns nothing (manage.py create_app_role <name>), set DATABASE_URL to "
            "it and DATABASE_OWNER_URL to the owner's URL, and migrate.",
            id="conflictdb.W002",
        )
    ]


@register(Tags.security, deploy=True)
def shared_pins(app_configs, **kwargs):
    """A token client that wrote reads from the primary while its pin lasts: the pin of its credentials is
    in the cache, which without Redis only the worker that took the write knows (conflictdb/routing.py)."""
    if not settings.DATABASE_REPLICAS or settings.REDIS_URL:
        return []
    return [
        Warning(
            "DATABASE_REPLICA_URLS is set but REDIS_URL is not: a client that keeps no cookies (a token "
            "client) reads its own writes at once only from the worker that took them; the other workers "
            "may serve it a replica that has not replayed them yet.",
            hint="Set REDIS_URL to a Redis server shared by every worker and server.",
            id="conflictdb.W003",
        )
    ]
