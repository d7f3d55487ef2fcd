from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The shell on top of every domain app: home page per role, search, monitoring, the audit-trail reader,
    language and organization switching, and the ``demo`` and ``generate`` commands. URL names keep the ``core:``
    namespace and templates the ``core/`` folder they had before the shell left ``khizmat.core``."""

    name = "khizmat.web"
    verbose_name = _("Khizmat")

    def ready(self):
        from khizmat.tenancy.roles import Role, register_permissions
        from khizmat.web import navigation  # noqa: F401 - registers menu entries
        from khizmat.web.views import TOKENS_REVOKE_PERMISSION

        # Managers revoke the API tokens of their organization's staff (e.g. when someone leaves).
        register_permissions({TOKENS_REVOKE_PERMISSION: frozenset({Role.MANAGER, Role.ADMIN})})
