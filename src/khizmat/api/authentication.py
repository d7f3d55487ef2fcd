"""DRF's side of API tokens: ``Authorization: Token <key>`` checked against khizmat.api.models.ApiToken."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from khizmat.api.services import api_token_authenticate


class ApiTokenAuthentication(TokenAuthentication):
    """The ``Token`` scheme of DRF (same header, same 401 with ``WWW-Authenticate: Token``), our token model."""

    def authenticate_credentials(self, key):
        user = api_token_authenticate(key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return (user, None)
