from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register
from khizmat.tenancy.roles import Role, register_permissions

register_permissions(
    {
        # Reading the equipment, its history and the handover acts. A monitor (of a region or a funder project)
        # reads the equipment of the organizations it sees: equipment is no personal data.
        "inventory.view": frozenset({Role.MANAGER, Role.AUDITOR, Role.MONITOR, Role.ADMIN}),
        # Adding and editing equipment, changing its status, handover acts and imports.
        "inventory.manage": frozenset({Role.MANAGER, Role.ADMIN}),
    }
)

register(
    NavEntry(
        "inventory:equipment_list",
        _("Equipment"),
        "inventory.view",
        _(
            "The equipment you hold: computers, network and video equipment, vehicles; its status and handover acts."
        ),
        order=60,
    )
)
