"""Per-request tenancy reads (a user's memberships, an organization by code) kept in Django's cache.

Loading a user's memberships with their organizations is the largest fixed cost of an authenticated request (a
four-table join whose SQL compilation alone takes about 1 ms); the public Open311 API looks its jurisdiction up by
code on every call. Both are cached for ``TENANCY_CACHE_SECONDS`` (0 turns the cache off). Each entry carries the
generation it was read under; saving or deleting any organization starts a new generation (its name, state or
country may change what every member sees), and saving or deleting a membership drops that user's entry. An entry
and the generation are read in one round trip.

With Redis (``REDIS_URL``, every production set-up with more than one app server) the invalidation reaches every
worker at once. With the local-memory cache each worker holds its own copy: a change made through another worker
is seen within ``TENANCY_CACHE_SECONDS`` at most.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "tenancy:generation"


def _seconds() -> int:
    return int(getattr(settings, "TENANCY_CACHE_SECONDS", 0))


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add(): two workers starting at once must not each think their own generation is current.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def current(key: str, load: Callable[[], Any]) -> Any:
    """The value cached under ``key`` in the current generation, else ``load()`` (kept unless empty)."""
    if not _seconds():
        return load()
    found = cache.get_many([key, GENERATION_KEY])
    entry = found.get(key)
    if entry is not None and entry[0] == found.get(GENERATION_KEY):
        return entry[1]
    value = load()
    # An empty answer is not kept: a membership or organization added in bulk, without save(), shows at once.
    if value:
        cache.set(key, (_generation(), value), _seconds())
    return value


def memberships_key(user_id: int) -> str:
    return f"tenancy:memberships:{user_id}"


def organization_key(code: str) -> str:
    return f"tenancy:organization:{code}"


def forget_memberships(user_id: int) -> None:
    """A membership of the user changed: the next request reads the memberships again."""
    cache.delete(memberships_key(user_id))


def forget_all() -> None:
    """An organization changed: every cached entry is stale."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
