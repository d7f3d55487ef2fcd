from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "khizmat.feedback"
    label = "feedback"
    verbose_name = _("Citizen feedback")

    def ready(self):
        from django.db.models import Q

        from khizmat.core import hooks
        from khizmat.feedback import (
            kpis,  # noqa: F401 - registers its monitoring measures and KPIs
            navigation,  # noqa: F401 - registers permissions and menu entries
        )
        from khizmat.feedback.choices import CaseStatus
        from khizmat.feedback.links import application_feedback_path
        from khizmat.feedback.models import FeedbackCase
        from khizmat.tenancy.privacy import register_personal_fields, register_retention

        register_personal_fields(FeedbackCase, {"citizen_phone": "phone"})

        # A complaint's contact data is anonymized once it is answered and older than the retention period (the
        # complaint's text and answer stay for the statistics).
        register_retention(
            FeedbackCase,
            age_field="created_at",
            closed=~Q(status=CaseStatus.OPEN),
            scrub={"citizen_name": "", "citizen_phone": ""},
        )

        # The QR code on an application's receipt and page leads to its rating form.
        hooks.provide("services.application_feedback_path", application_feedback_path)
