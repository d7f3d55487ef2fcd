from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "khizmat.notifications"
    label = "notifications"
    verbose_name = _("SMS notifications")

    def ready(self):
        from django.db.models import Q

        from khizmat.notifications import navigation  # noqa: F401 - registers permissions and menu entries
        from khizmat.notifications.models import SmsMessage, SmsStatus
        from khizmat.tenancy.privacy import register_personal_fields, register_retention

        register_personal_fields(SmsMessage, {"phone": "phone"})

        # An SMS names the citizen's phone and may name the person in its text.
        register_retention(
            SmsMessage,
            age_field="created_at",
            closed=Q(status__in=[SmsStatus.SENT, SmsStatus.FAILED]),
            scrub={"phone": "", "text": ""},
        )
