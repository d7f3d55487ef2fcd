"""API tokens: named, hashed, expiring, revocable, and tied to the password they were made under."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def key_hash(key: str) -> str:
    """The stored form of a key: its SHA-256 (keys are 240 random bits, so a slow hash adds nothing)."""
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(user) -> str:
    """Changes whenever the user's password is set (a digest of when it was), and not when the same password is
    re-hashed with newer parameters at a login."""
    changed_at = user.password_changed_at.isoformat() if user.password_changed_at else ""
    return hashlib.sha256(f"{user.pk}:{changed_at}".encode()).hexdigest()


class ApiToken(models.Model):
    """One key a program uses on a user's behalf (``Authorization: Token <key>``, under ``/api/`` only).

    Only the key's hash is stored; the key is shown once, when made. A token stops working when it expires, when it
    is revoked (by its user or a manager of an organization the user works in), or when the user's password changes.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("beginning of the key"), max_length=8)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    password_fingerprint = models.CharField(_("password fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    history = HistoricalRecords(excluded_fields=["key_hash", "password_fingerprint", "last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_active(self, *, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at
