"""`check --deploy` warns of what a production server needs."""

from django.core.checks import run_checks


def warnings(settings) -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True)}


def test_production_without_redis_is_warned_of_per_worker_rate_limits(settings):
    settings.REDIS_URL = ""
    assert "conflictdb.W001" in warnings(settings)


def test_with_redis_the_counts_are_shared(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert "conflictdb.W001" not in warnings(settings)
