"""Rate limits per client, counted in the shared cache (Redis when REDIS_URL is set).

The rates are read from settings.API_RATES on every request (DRF's own classes read them once, at
import), so that they follow the environment and tests can change them.
"""

from django.conf import settings
from rest_framework import throttling


class RateFromSettings:
    def get_rate(self):
        return settings.API_RATES.get(self.scope)


class AnonRateThrottle(RateFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, counted by address (X-Forwarded-For only through TRUSTED_PROXIES proxies)."""


class UserRateThrottle(RateFromSettings, throttling.UserRateThrottle):
    """Authenticated clients, counted by user."""
