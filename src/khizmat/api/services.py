"""Making, using and revoking API tokens (khizmat.api.models.ApiToken)."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError

from .models import ApiToken, key_hash, password_fingerprint

# last_used_at is written at most this often per token, so a busy client does not write on every request.
LAST_USED_STEP = datetime.timedelta(hours=1)


def api_token_create(*, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its key, which is not stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the token a name, e.g. the program that will use it."), code="token_name")
    days = days or settings.API_TOKEN_DAYS
    key = secrets.token_urlsafe(30)
    now = timezone.now()
    token = ApiToken(
        user=user,
        name=name[:100],
        prefix=key[:8],
        key_hash=key_hash(key),
        password_fingerprint=password_fingerprint(user),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
    )
    token._history_user = user
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke ``token`` (the caller checked that ``actor`` may); revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token._history_user = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def api_token_authenticate(key: str):
    """The active user a key belongs to, or None (unknown, revoked, expired, password changed, user inactive)."""
    if not key:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key)).first()
    now = timezone.now()
    if token is None or not token.is_active(at=now) or not token.user.is_active:
        return None
    if not constant_time_compare(token.password_fingerprint, password_fingerprint(token.user)):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
        # A plain UPDATE: no history row for a use, no race with a revocation.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
