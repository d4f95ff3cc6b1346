"""Rate limits: per address for anonymous clients (X-Forwarded-For only through trusted proxies), per
user for tokens, counted in the shared cache."""

import pytest
import redis
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from rest_framework.test import APIClient

from conflictdb.environment import env_rate
from tests import factories
from tests.api_testing import problem, token_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/places/"


@pytest.fixture(autouse=True)
def rates(settings):
    settings.API_RATES = {"anon": "3/minute", "user": "5/minute"}
    cache.clear()
    yield
    cache.clear()


def statuses(client, count: int, **headers) -> list[int]:
    return [client.get(URL, **headers).status_code for _ in range(count)]


def assert_throttled(response):
    problem(response, 429)
    assert int(response["Retry-After"]) > 0


def test_the_fourth_anonymous_request_a_minute_is_a_429_with_retry_after():
    client = APIClient()

    assert statuses(client, 3) == [200] * 3
    assert_throttled(client.get(URL))


def test_an_anonymous_client_is_held_to_the_anonymous_rate_only(settings):
    settings.API_RATES = {"anon": "4/minute", "user": "2/minute"}
    client = APIClient()

    assert statuses(client, 4) == [200] * 4
    assert_throttled(client.get(URL))


def test_a_rate_that_is_off_is_no_limit(settings):
    settings.API_RATES = {"anon": None, "user": "1/minute"}

    assert statuses(APIClient(), 5) == [200] * 5


def test_rates_come_from_the_environment_and_a_malformed_one_is_refused(monkeypatch):
    monkeypatch.setenv("API_ANON_RATE", " 60/hour ")
    assert env_rate("API_ANON_RATE", "120/minute") == "60/hour"
    monkeypatch.setenv("API_ANON_RATE", "OFF")
    assert env_rate("API_ANON_RATE", "120/minute") is None
    monkeypatch.delenv("API_ANON_RATE")
    assert env_rate("API_ANON_RATE", "120/minute") == "120/minute"
    monkeypatch.setenv("API_ANON_RATE", "120 per minute")
    with pytest.raises(ImproperlyConfigured, match="API_ANON_RATE"):
        env_rate("API_ANON_RATE", "120/minute")


def test_a_token_holder_gets_the_user_rate_counted_per_user():
    owner = factories.user()
    first, second = token_client(factories.token(owner)), token_client(factories.token(owner))

    assert statuses(first, 3) + statuses(second, 2) == [200] * 5
    assert_throttled(first.get(URL))
    assert statuses(token_client(factories.token(factories.user())), 1) == [200]


def test_without_trusted_proxies_a_forged_x_forwarded_for_does_not_reset_the_count(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}  # the default
    client = APIClient()

    forged = [client.get(URL, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(4)]

    assert forged == [200, 200, 200, 429]


def test_behind_one_trusted_proxy_the_last_forwarded_address_is_counted(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()

    # Each client address (as the proxy appends it) has its own count ...
    assert [client.get(URL, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(6)] == [200] * 6
    # ... and what the client itself put before it does not matter.
    spoofed = [client.get(URL, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 10.0.1.1").status_code for n in range(4)]
    assert spoofed == [200, 200, 200, 429]


@pytest.fixture
def redis_cache(settings, empty_redis):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": empty_redis}
    }
    return redis.Redis.from_url(empty_redis)


def test_clients_share_one_count_through_redis(redis_cache):
    first, second = APIClient(REMOTE_ADDR="198.51.100.7"), APIClient(REMOTE_ADDR="198.51.100.7")

    assert statuses(first, 2) + statuses(second, 1) == [200] * 3
    assert_throttled(first.get(URL))
    assert_throttled(second.get(URL))
    assert redis_cache.keys("*throttle_anon_198.51.100.7") != []
