"""The client address behind TRUSTED_PROXY_COUNT proxies: the right-most untrusted hop, never a client-written one."""

import pytest
from django.test import RequestFactory

from khizmat.core.clientip import client_ip


def _request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_peer_address_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.5", "198.51.100.7")) == "203.0.113.5"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # The client wrote a fake first hop; one proxy appended the real peer: the right-most entry counts.
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # Fewer hops than proxies (a request that bypassed one): the left-most we have.
        (2, "198.51.100.7", "198.51.100.7"),
    ],
)
def test_behind_proxies_the_nth_hop_from_the_right_counts(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request("10.0.0.1", forwarded)) == expected


def test_garbage_in_the_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("10.0.0.1", "not-an-address")) == "10.0.0.1"
    assert client_ip(_request("10.0.0.1", "")) == "10.0.0.1"
