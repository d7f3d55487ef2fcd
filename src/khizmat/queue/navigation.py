from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register
from khizmat.queue.permissions import PERMISSIONS
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.roles import register_permissions

register_permissions(PERMISSIONS, kinds={OrganizationKind.SERVICE_CENTER})

register(
    NavEntry(
        "queue:counter_choose",
        _("Counter"),
        "queue.operate",
        _(
            "Open your window: call the next ticket, serve the citizen, register an application from the ticket."
        ),
        order=0,
    )
)
register(
    NavEntry(
        "queue:overview",
        _("Queue"),
        "queue.view",
        _(
            "Watch today's queue: who waits, how long, and the kiosk and display-board links for the center's screens."
        ),
        order=5,
    )
)
