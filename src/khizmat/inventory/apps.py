from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "khizmat.inventory"
    label = "inventory"
    verbose_name = _("Equipment inventory")

    def ready(self):
        # permissions, menu, the handover act's PDF made in the background
        from khizmat.inventory import documents, navigation  # noqa: F401
