from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "khizmat.feedback"
    label = "feedback"
    verbose_name = _("Citizen feedback")

    def ready(self):
        from khizmat.feedback import navigation  # noqa: F401 - registers permissions and menu entries
