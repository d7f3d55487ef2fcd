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
        from khizmat.billing.models import Subscriber
        from khizmat.tenancy.privacy import register_personal_fields

        # Subscribers' personal data is kept while their account and money records exist (no retention rule).
        register_personal_fields(Subscriber, {"holder_id_number": "id_number", "phone": "phone"})
