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


def test_replicas_without_redis_are_warned_of_per_worker_pins(settings):
    settings.DATABASE_REPLICAS, settings.REDIS_URL = ["replica1"], ""
    assert "conflictdb.W003" in warnings(settings)
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    assert "conflictdb.W003" not in warnings(settings)
    settings.DATABASE_REPLICAS, settings.REDIS_URL = [], ""
    assert "conflictdb.W003" not in warnings(settings)
