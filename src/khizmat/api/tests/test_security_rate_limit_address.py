"""Rate limits count the real client behind TRUSTED_PROXY_COUNT proxies: two clients behind the proxy apart, and a
client cannot move to another count by writing its own X-Forwarded-For (Open311's limit and DRF's anonymous throttle).
"""

import os
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import path, reverse
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from khizmat import urls as project_urls

PROXY = "10.0.0.1"  # the reverse proxy: every request reaches the app from it
ALICE, BOB = "198.51.100.1", "198.51.100.2"


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


def _via_proxy(url, client_address, forged=""):
    """A request as the one trusted proxy passes it on: it appends the address it got the request from."""
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return Client().get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


# --- Open311 (django-ratelimit, key "ip" → khizmat.core.clientip) ----------------------------------------------------


def test_open311_counts_each_client_behind_the_proxy(settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.OPEN311_RATE = "2/d"  # a day: no window boundary inside the test
    url = reverse("open311:discovery", kwargs={"fmt": "json"})
    assert [_via_proxy(url, ALICE).status_code for _ in range(3)] == [200, 200, 429]
    assert _via_proxy(url, BOB).status_code == 200


def test_open311_limit_cannot_be_escaped_by_a_forged_header(settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.OPEN311_RATE = "2/d"
    url = reverse("open311:discovery", kwargs={"fmt": "json"})
    _via_proxy(url, ALICE)
    _via_proxy(url, ALICE)
    for forged in ("203.0.113.9", BOB, "203.0.113.9, 203.0.113.10"):
        assert _via_proxy(url, ALICE, forged=forged).status_code == 429
    assert _via_proxy(url, BOB).status_code == 200


def test_without_proxies_the_header_is_not_read(settings, db):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.OPEN311_RATE = "2/d"
    url = reverse("open311:discovery", kwargs={"fmt": "json"})
    # Straight from the Internet: the peer is the client, whatever it writes in X-Forwarded-For.
    statuses = [_via_proxy(url, address).status_code for address in (ALICE, BOB, "203.0.113.9")]
    assert statuses == [200, 200, 429]


# --- DRF's anonymous throttle (the project's DEFAULT_THROTTLE_CLASSES, NUM_PROXIES) ---------------------------------


class Anonymous(APIView):
    """An API view open to anonymous callers, with the project's default throttles (the real API needs a token)."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("api/anonymous/", Anonymous.as_view()), *project_urls.urlpatterns]


@pytest.fixture
def throttled(settings, monkeypatch):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # DRF reads the rates once, into the class; its sliding window has no boundary to cross.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/day", "user": "1000/day"})
    assert any(isinstance(throttle, AnonRateThrottle) for throttle in Anonymous().get_throttles())


@pytest.mark.urls(__name__)
def test_drf_anonymous_throttle_counts_each_client_and_ignores_forged_hops(throttled, db):
    assert [_via_proxy("/api/anonymous/", ALICE).status_code for _ in range(3)] == [200, 200, 429]
    assert _via_proxy("/api/anonymous/", ALICE, forged=BOB).status_code == 429
    assert _via_proxy("/api/anonymous/", ALICE, forged="203.0.113.9").status_code == 429
    assert _via_proxy("/api/anonymous/", BOB).status_code == 200


def test_one_setting_sets_every_count():
    """TRUSTED_PROXY_COUNT from the environment reaches DRF's NUM_PROXIES too (django-ratelimit and axes read the
    same function, khizmat.core.clientip.client_ip)."""
    code = (
        "from khizmat import settings as s; "
        "print(s.TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK['NUM_PROXIES'], s.RATELIMIT_IP_META_KEY, "
        "s.AXES_CLIENT_IP_CALLABLE)"
    )
    env = {**os.environ, "TRUSTED_PROXY_COUNT": "2", "SECRET_KEY": "x", "DEBUG": "0"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["2", "2", "khizmat.core.clientip.client_ip", "khizmat.core.clientip.client_ip"]
