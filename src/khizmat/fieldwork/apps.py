from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "khizmat.fieldwork"
    label = "fieldwork"
    verbose_name = _("Field work")

    def ready(self):
        from khizmat.tenancy.roles import Role, register_permissions

        register_permissions(
            {
                "fieldwork.view": frozenset({Role.DISPATCHER, Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
                "fieldwork.manage": frozenset({Role.DISPATCHER, Role.MANAGER, Role.ADMIN}),
            }
        )
