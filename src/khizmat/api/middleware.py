"""API clients authenticate with ``Authorization: Token <key>``; this happens before the tenant scope is chosen.

DRF authenticates inside the view, after all middleware has run; the tenant scope must be known earlier, so the
token is resolved here too (DRF's TokenAuthentication then finds the same user). ``X-Khizmat-Organization: <code>``
chooses among a user's memberships.
"""

from django.utils.functional import SimpleLazyObject
from rest_framework.authtoken.models import Token


def _user_for_token(key: str):
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return None
    return token.user


class ApiTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Token ") and not request.user.is_authenticated:
            user = _user_for_token(header[6:].strip())
            if user is not None:
                request.user = SimpleLazyObject(lambda: user)
                request._dont_enforce_csrf_checks = True
        return self.get_response(request)
