from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "khizmat.documents"
    label = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from khizmat.tenancy.roles import ALL_ROLES, register_permissions

        # Asking for documents and reading them: every role; each kind then needs its own permission.
        register_permissions({"documents.use": ALL_ROLES})
