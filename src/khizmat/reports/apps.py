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
