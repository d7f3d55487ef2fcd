from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register
from khizmat.tenancy.roles import Role, register_permissions

register_permissions(
    {
        "sms.view": frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
        "sms.retry": frozenset({Role.MANAGER, Role.ADMIN}),
    }
)
register(
    NavEntry(
        "notifications:message_list",
        _("SMS"),
        "sms.view",
        _(
            "Check that citizens got their SMS; messages the gateway refused are listed first and can be sent again."
        ),
        order=8,
    )
)
