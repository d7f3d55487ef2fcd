"""Where a view may send the browser when the address comes from the request (``next``, ``back``, a referrer).

Every redirect built from request data goes through :func:`safe_redirect_url`, so no parameter sends a user to
another site (OWASP ASVS 5.1.5): only a path on this site, or a full URL of this host (HTTPS when the request is),
passes; anything else (``https://evil.example``, ``//evil.example``, ``/\\evil.example``, ``javascript:``) falls back.
"""

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_redirect_url(request, candidate: str | None, fallback: str) -> str:
    """``candidate`` if it stays on this site, else ``fallback`` (a path, or a URL name like ``"core:home"``)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate.strip(), allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate.strip()
    return resolve_url(fallback)
