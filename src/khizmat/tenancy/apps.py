from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "khizmat.tenancy"
    verbose_name = _("Places, organizations and users")

    def ready(self):
        from khizmat.tenancy import (
            navigation,  # noqa: F401 - registers menu entries
            tenant_joins,
        )

        tenant_joins.install()
