from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueConfig(AppConfig):
    name = "khizmat.queue"
    label = "queue"
    verbose_name = _("Counter queue")

    def ready(self):
        from khizmat.queue import (
            kpis,  # noqa: F401 - registers its monitoring measures and KPIs
            navigation,  # noqa: F401 - registers permissions and menu entries
        )
