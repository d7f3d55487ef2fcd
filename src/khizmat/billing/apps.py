from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "khizmat.billing"
    label = "billing"
    verbose_name = _("Utility billing")

    def ready(self):
        # permissions, menu, SQLite money function, documents made in the background
        from khizmat.billing import (  # noqa: F401
            documents,
            kpis,
            navigation,
            sqlite,
        )
