"""Background tasks of the notifications app: thin shells over services, taking ids only."""

from django_tasks import task

from khizmat.notifications import services
from khizmat.notifications.models import SmsMessage
from khizmat.tenancy.localtime import organization_context
from khizmat.tenancy.scoping import scopes_disabled


@task()
def send_sms(message_id: int) -> str:
    # A worker serves every organization; the message row names its own, and sms_send touches only that row.
    with scopes_disabled():
        organization_id = SmsMessage.objects.values_list("organization_id", flat=True).get(pk=message_id)
    with organization_context(organization_id):
        return services.sms_send(message_id=message_id).status
