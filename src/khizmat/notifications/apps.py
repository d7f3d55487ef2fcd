from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "khizmat.notifications"
    label = "notifications"
    verbose_name = _("SMS notifications")

    def ready(self):
        from khizmat.notifications import navigation  # noqa: F401 - registers permissions and menu entries
