from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "khizmat.feedback"
    label = "feedback"
    verbose_name = _("Citizen feedback")

    def ready(self):
        from khizmat.core import hooks
        from khizmat.feedback import (
            kpis,  # noqa: F401 - registers its monitoring measures and KPIs
            navigation,  # noqa: F401 - registers permissions and menu entries
        )
        from khizmat.feedback.links import application_feedback_path

        # The QR code on an application's receipt and page leads to its rating form.
        hooks.provide("services.application_feedback_path", application_feedback_path)
