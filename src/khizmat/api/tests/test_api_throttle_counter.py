"""The API's rate limits count requests per window with one increment, in the local cache and in Redis alike."""

import os
import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from khizmat.api.throttling import UserRateThrottle

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}"})
    try:
        cache.get("probe")
    except Exception as error:  # no Redis on this machine: the local cache case still runs
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    return cache


@pytest.fixture(params=["locmem", "redis"])
def throttle_class(request, monkeypatch):
    cache = LocMemCache(f"throttle-{uuid.uuid4().hex}", {}) if request.param == "locmem" else _redis_or_skip()
    clock = {"now": 60.0 * 16_667}  # the start of a one-minute window

    class Throttle(UserRateThrottle):
        THROTTLE_RATES = {"user": "3/min"}

        def timer(self):
            return clock["now"]

    Throttle.cache = cache
    return Throttle, clock, cache


class _User:
    is_authenticated = True
    pk = 42


def _ask(throttle_class):
    request = APIView().initialize_request(APIRequestFactory().get("/api/v1/x/"))
    request.user = _User()
    throttle = throttle_class()
    return throttle.allow_request(request, None), throttle


def test_the_rate_holds_within_a_window_and_resets_in_the_next(throttle_class):
    throttle, clock, _cache = throttle_class
    answers = [_ask(throttle)[0] for _ in range(4)]
    assert answers == [True, True, True, False]
    clock["now"] += 20
    allowed, refused = _ask(throttle)
    assert not allowed
    assert refused.wait() == 60 - 20  # the client is told when the window ends
    clock["now"] += 60
    assert [_ask(throttle)[0] for _ in range(4)] == [True, True, True, False]


def test_each_window_keeps_one_counter_that_expires(throttle_class):
    throttle, _clock, cache = throttle_class
    _, asked = _ask(throttle)
    window_key = f"{asked.key}:{int(asked.now // asked.duration)}"
    assert cache.get(window_key) == 1  # a number, not a list of timestamps
    _ask(throttle)
    assert cache.get(window_key) == 2
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        assert 0 < client.ttl(cache.make_and_validate_key(window_key)) <= 61


def test_the_project_cache_is_counted_by_its_backend(monkeypatch):
    """DRF hands the throttle ``django.core.cache.cache``, a proxy: the Redis path must see through it."""
    from django.core.cache import cache as default_cache

    from khizmat.api import throttling

    redis = _redis_or_skip()
    monkeypatch.setattr(throttling, "caches", {"default": redis})

    class Throttle(UserRateThrottle):
        THROTTLE_RATES = {"user": "3/min"}

    Throttle.cache = default_cache
    _, asked = _ask(Throttle)
    window_key = f"{asked.key}:{int(asked.now // asked.duration)}"
    client = redis._cache.get_client()
    assert client.get(redis.make_and_validate_key(window_key)) == b"1"  # INCR wrote it, not a pickled add
    assert 0 < client.ttl(redis.make_and_validate_key(window_key)) <= 61
