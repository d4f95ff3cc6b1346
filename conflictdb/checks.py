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
