from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "khizmat.reports"
    label = "reports"
    verbose_name = _("Citizen reports")

    def ready(self):
        from django.db.models import Q

        from khizmat.reports import kpis  # noqa: F401 - registers its monitoring measures and KPIs
        from khizmat.reports.choices import OPEN311_OPEN
        from khizmat.reports.models import Report
        from khizmat.tenancy.privacy import register_personal_fields, register_retention

        register_personal_fields(Report, {"citizen_phone": "phone", "citizen_email": "email"})

        # The reporter's contact data; the report itself (place, description, photo without metadata) stays.
        register_retention(
            Report,
            age_field="updated_at",
            closed=~Q(status__in=OPEN311_OPEN),
            scrub={
                "citizen_first_name": "",
                "citizen_last_name": "",
                "citizen_phone": "",
                "citizen_email": "",
                "device_id": "",
                "account_id": "",
            },
        )
        from khizmat.tenancy.roles import Role, register_permissions

        register_permissions(
            {
                "reports.view": frozenset(
                    {Role.DISPATCHER, Role.OPERATOR, Role.MANAGER, Role.AUDITOR, Role.ADMIN}
                ),
                "reports.handle": frozenset({Role.DISPATCHER, Role.MANAGER, Role.ADMIN}),
                "reports.configure": frozenset({Role.MANAGER, Role.ADMIN}),
            }
        )
        from django.utils.translation import gettext_lazy as _

        from khizmat.core.navigation import NavEntry, register

        register(
            NavEntry(
                "reports:inbox",
                _("Citizen reports"),
                "reports.view",
                _(
                    "See citizens' reports on the map, assign them and resolve them with a note the citizen reads."
                ),
                order=1,
            )
        )
        from khizmat.core.navigation import WaitingSource, register_waiting

        register_waiting(WaitingSource("reports.handle", _overdue_reports, order=2))


def _overdue_reports(membership):
    """Open citizen reports past the date the citizen was promised, for the home page."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import ngettext

    from khizmat.core.navigation import Waiting
    from khizmat.reports.selectors import report_list

    count = report_list(organization=membership.organization, overdue_at=timezone.now()).count()
    if not count:
        return []
    label = ngettext(
        "%(count)s citizen report is past the date promised to the citizen.",
        "%(count)s citizen reports are past the date promised to the citizen.",
        count,
    ) % {"count": count}
    return [Waiting(label, reverse("reports:inbox") + "?status=open&overdue=1")]
