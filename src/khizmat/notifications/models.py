"""SMS messages to citizens: queued in the database, sent by a background task, retried, never silently lost."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.tenancy.scoping import TenantModel


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    RETRYING = "retrying", _("Failed, will retry")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class SmsMessage(TenantModel):
    """One SMS to one phone, in the recipient's language, about one thing (``reference``, e.g. an application)."""

    phone = models.CharField(_("phone"), max_length=20)
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("text"), max_length=1000)
    event = models.CharField(_("event"), max_length=40)
    reference = models.CharField(_("about"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("gateway's message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "status", "created_at"], name="sms_org_status_created"),
            models.Index(fields=["status", "next_attempt_at"], name="sms_status_next_attempt"),
        ]

    def __str__(self) -> str:
        return f"{self.phone}: {self.text[:30]}"
