"""The client's address behind a known number of reverse proxies.

Rate limits and login throttling key on the caller's address. Behind N trusted proxies (``TRUSTED_PROXY_COUNT``,
0 by default: the app is reached directly), each proxy appends the address it received the request from to
``X-Forwarded-For``; the client is the N-th entry from the right. Anything further left was written by the client
itself and is not trusted, so a caller cannot pick the address it is counted under. With too few entries (a request
that bypassed the proxies) the nearest address we have is used.
"""

from ipaddress import ip_address

from django.conf import settings


def _valid(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if not hops:
        return remote
    # The last proxy's own peer is REMOTE_ADDR; the header holds the earlier hops, the client at -proxies.
    candidate = hops[-proxies] if len(hops) >= proxies else hops[0]
    return _valid(candidate) or remote
