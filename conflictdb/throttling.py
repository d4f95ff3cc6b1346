"""Rate limits per client, counted in the shared cache (Redis when REDIS_URL is set).

The rates are read from settings.API_RATES on every request (DRF's own classes read them once, at
import), so that they follow the environment and tests can change them. A rate of None is no limit.
"""

from django.conf import settings
from rest_framework import throttling


class RateFromSettings:
    def get_rate(self):
        return settings.API_RATES.get(self.scope)


class AnonRateThrottle(RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, counted by address (X-Forwarded-For only through TRUSTED_PROXIES proxies)."""


class UserRateThrottle(RateFromSettings, throttling.UserRateThrottle):
    """Authenticated clients, counted by user. Anonymous clients have the anonymous rate only (DRF's class
    would also hold them to the user rate, counted by address)."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
