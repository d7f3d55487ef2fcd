from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "khizmat.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from khizmat.tenancy.roles import ALL_ROLES, Role, register_permissions

        # Asking for documents and reading them: the organization's own staff and auditors; each kind then needs its
        # own permission. Monitors read aggregates only and have no document kind.
        register_permissions({"documents.use": frozenset(ALL_ROLES - {Role.MONITOR})})
