"""API rate limits that cost the same at any rate.

DRF's throttles keep, per client, the list of the timestamps of its requests in the last period: every request reads
that list from the cache, trims it and writes it back. At the default 600 a minute that is up to 600 floats pickled
twice per request; at the rates an integration client may be given (tens of thousands a minute) it is hundreds of
kilobytes, more than the request itself. These count requests per fixed window instead: one atomic increment (one
Redis round trip with the expiry set in the same pipeline). A client can send up to twice the rate across the
boundary of two windows; the limit is there against runaway clients and scraping, which it still stops.
"""

from __future__ import annotations

from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling


class _WindowCounter:
    """Mixed into a DRF ``SimpleRateThrottle``: its rate, scope and cache key, counted per window."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        if self._count(f"{self.key}:{window}") > self.num_requests:
            return self.throttle_failure()
        return True

    def _count(self, key: str) -> int:
        """Add this request to the window's count and return the count."""
        ttl = self.duration + 1
        cache = (
            caches["default"] if self.cache is default_cache else self.cache
        )  # the backend behind the proxy
        if isinstance(cache, RedisCache):
            redis_key = cache.make_and_validate_key(key)
            client = cache._cache.get_client(redis_key, write=True)
            pipeline = client.pipeline()
            pipeline.incr(redis_key)
            pipeline.expire(redis_key, ttl, nx=True)
            count, _expiry_set = pipeline.execute()
            return count
        if self.cache.add(key, 1, ttl):
            return 1
        try:
            return self.cache.incr(key)
        except ValueError:  # the window's entry expired between the two calls
            self.cache.add(key, 1, ttl)
            return 1

    def wait(self):
        return max(self.window_end - self.now, 0)


class UserRateThrottle(_WindowCounter, throttling.UserRateThrottle):
    """Per signed-in user (token or session): ``DEFAULT_THROTTLE_RATES["user"]``."""


class AnonRateThrottle(_WindowCounter, throttling.AnonRateThrottle):
    """Per client address without credentials: ``DEFAULT_THROTTLE_RATES["anon"]``."""
