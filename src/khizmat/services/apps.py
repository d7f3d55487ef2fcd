from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "khizmat.services"
    label = "services"
    verbose_name = _("Service catalog and applications")

    def ready(self):
        from khizmat.services import (
            kpis,  # noqa: F401 - registers its monitoring measures and KPIs
            navigation,  # noqa: F401 - registers menu entries
        )
