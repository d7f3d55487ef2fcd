"""Queue an SMS inside the caller's transaction; a background task sends it after commit and retries on failure."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError
from khizmat.notifications.backends import SmsError, get_backend
from khizmat.notifications.models import SmsMessage, SmsStatus
from khizmat.tenancy.permissions import require_permission

MAX_ATTEMPTS = 5
RETRY_DELAYS_MINUTES = (1, 5, 15, 60)


def _enqueue(message: SmsMessage, *, run_after: datetime.datetime | None = None) -> None:
    from django_tasks import task_backends

    from khizmat.notifications.tasks import send_sms

    task = send_sms
    if run_after is not None:
        if not task_backends[task.backend].supports_defer:
            return  # ``khizmat send_pending_sms`` picks it up when due
        task = task.using(run_after=run_after)
    task.enqueue(message_id=message.pk)


def sms_queue(
    *, organization, phone: str, language: str, text: str, event: str, reference: str = ""
) -> SmsMessage | None:
    """Store an SMS and send it once the surrounding transaction commits. No phone, no message."""
    if not phone or not getattr(settings, "SMS_ENABLED", True):
        return None
    message = SmsMessage.objects.create(
        organization=organization,
        phone=phone,
        language=language,
        text=text[:1000],
        event=event,
        reference=reference,
    )
    transaction.on_commit(lambda: _enqueue(message))
    return message


def sms_send(*, message_id: int) -> SmsMessage:
    """Send one queued SMS through the configured gateway. Safe to run twice: a sent message is not sent again.

    Claims the message with a conditional UPDATE so two workers never send the same SMS.
    """
    now = timezone.now()
    claimed = SmsMessage.objects.filter(
        pk=message_id, status__in=[SmsStatus.QUEUED, SmsStatus.RETRYING]
    ).update(attempts=F("attempts") + 1, next_attempt_at=None)
    message = SmsMessage.objects.get(pk=message_id)
    if not claimed:
        return message
    try:
        provider_id = get_backend().send(message.phone, message.text)
    except SmsError as error:
        message.last_error = str(error)[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = SmsStatus.FAILED
        else:
            delay = RETRY_DELAYS_MINUTES[min(message.attempts - 1, len(RETRY_DELAYS_MINUTES) - 1)]
            message.status = SmsStatus.RETRYING
            message.next_attempt_at = now + datetime.timedelta(minutes=delay)
        message.save(update_fields=["status", "last_error", "next_attempt_at"])
        if message.status == SmsStatus.RETRYING:
            _enqueue(message, run_after=message.next_attempt_at)
        return message
    message.status = SmsStatus.SENT
    message.provider_id = provider_id
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "provider_id", "sent_at", "last_error"])
    return message


@transaction.atomic
def sms_retry(*, actor, message: SmsMessage) -> SmsMessage:
    """A manager sends a failed SMS again (e.g. after the gateway's balance was topped up)."""
    require_permission(actor, message.organization, "sms.retry")
    message = SmsMessage.objects.select_for_update().get(pk=message.pk, organization=message.organization_id)
    if message.status != SmsStatus.FAILED:
        raise DomainError(_("Only a failed SMS can be sent again."), code="not_failed")
    message.status = SmsStatus.QUEUED
    message.attempts = 0
    message._history_user = actor
    message.save(update_fields=["status", "attempts"])
    transaction.on_commit(lambda: _enqueue(message))
    return message


def sms_enqueue_due(*, now: datetime.datetime | None = None) -> int:
    """Enqueue messages whose retry time has come (for task backends without delayed tasks). Returns how many."""
    now = now or timezone.now()
    due = list(
        SmsMessage.objects.filter(status=SmsStatus.RETRYING, next_attempt_at__lte=now).values_list(
            "pk", flat=True
        )[:1000]
    )
    due += list(
        SmsMessage.objects.filter(
            status=SmsStatus.QUEUED, created_at__lte=now - datetime.timedelta(minutes=5)
        ).values_list("pk", flat=True)[:1000]
    )
    from khizmat.notifications.tasks import send_sms

    for pk in due:
        send_sms.enqueue(message_id=pk)
    return len(due)
