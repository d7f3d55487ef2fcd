"""Background tasks of the notifications app: thin shells over services, taking ids only."""

from django_tasks import task

from khizmat.notifications import services
from khizmat.tenancy.scoping import scopes_disabled


@task()
def send_sms(message_id: int) -> str:
    # A worker serves every organization; the message row names its own, and sms_send touches only that row.
    with scopes_disabled():
        return services.sms_send(message_id=message_id).status
