"""API clients authenticate with ``Authorization: Token <key>``; this happens before the tenant scope is chosen.

DRF authenticates inside the view, after all middleware has run; the tenant scope must be known earlier, so the
token is resolved here too (``khizmat.api.authentication.ApiTokenAuthentication`` then finds the same user).
``X-Khizmat-Organization: <code>`` chooses among a user's memberships.

Tokens count under ``/api/`` only: anywhere else the header is ignored, so a token opens no web page and a web form
still needs its CSRF token (a stolen or leaked API key is not a browser session).
"""

from django.utils.functional import SimpleLazyObject

from khizmat.api.services import api_token_authenticate

API_PREFIX = "/api/"


class ApiTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if (
            request.path_info.startswith(API_PREFIX)
            and header.startswith("Token ")
            and not request.user.is_authenticated
        ):
            key = header[6:].strip()
            user = api_token_authenticate(key)
            if user is not None:
                request.user = SimpleLazyObject(lambda: user)
                request.api_token_user = (
                    key,
                    user,
                )  # DRF's authentication reads it instead of a second lookup
                # DRF's views are CSRF-exempt already; this covers the JSON 404 catch-all too.
                request._dont_enforce_csrf_checks = True
        return self.get_response(request)
