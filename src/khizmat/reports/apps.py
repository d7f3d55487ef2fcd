from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "khizmat.reports"
    label = "reports"
    verbose_name = _("Citizen reports")

    def ready(self):
        from khizmat.tenancy.roles import Role, register_permissions

        register_permissions(
            {
                "reports.view": frozenset(
                    {Role.DISPATCHER, Role.OPERATOR, Role.MANAGER, Role.AUDITOR, Role.ADMIN}
                ),
                "reports.handle": frozenset({Role.DISPATCHER, Role.MANAGER, Role.ADMIN}),
                "reports.configure": frozenset({Role.MANAGER, Role.ADMIN}),
            }
        )
        from django.utils.translation import gettext_lazy as _

        from khizmat.core.navigation import NavEntry, register

        register(
            NavEntry(
                "reports:inbox",
                _("Citizen reports"),
                "reports.view",
                _(
                    "See citizens' reports on the map, assign them and resolve them with a note the citizen reads."
                ),
                order=1,
            )
        )
