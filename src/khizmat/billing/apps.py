from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "khizmat.billing"
    label = "billing"
    verbose_name = _("Utility billing")

    def ready(self):
        from khizmat.billing import navigation, sqlite  # noqa: F401 - permissions, menu, SQLite money function
