"""DRF's side of API tokens: ``Authorization: Token <key>`` checked against khizmat.api.models.ApiToken."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from khizmat.api.services import api_token_authenticate


class ApiTokenAuthentication(TokenAuthentication):
    """The ``Token`` scheme of DRF (same header, same 401 with ``WWW-Authenticate: Token``), our token model."""

    def authenticate(self, request):
        # ApiTokenMiddleware checked this very key before the view (the tenant scope needs the user): no second lookup.
        checked = getattr(request._request, "api_token_user", None)
        parts = get_authorization_header(request).split()
        token = len(parts) == 2 and parts[0].lower() == b"token"
        if checked is not None and token and parts[1].decode("latin-1") == checked[0]:
            return (checked[1], None)
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        user = api_token_authenticate(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return (user, None)
