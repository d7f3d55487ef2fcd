from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "khizmat.services"
    label = "services"
    verbose_name = _("Service catalog and applications")

    def ready(self):
        from django.db.models import Q

        from khizmat.services import (
            kpis,  # noqa: F401 - registers its monitoring measures and KPIs
            navigation,  # noqa: F401 - registers menu entries
        )
        from khizmat.services.choices import FINISHED_STATUSES
        from khizmat.services.models import Application
        from khizmat.tenancy.privacy import register_personal_fields, register_retention

        register_personal_fields(
            Application, {"applicant_id_number": "id_number", "applicant_phone": "phone"}
        )

        # The applicant's personal data in finished applications is anonymized after the retention period.
        register_retention(
            Application,
            age_field="finished_at",
            closed=Q(status__in=FINISHED_STATUSES),
            scrub={
                "applicant_name": "",
                "applicant_id_number": "",
                "applicant_phone": "",
                "applicant_address": "",
                "search_key": "",
            },
        )
