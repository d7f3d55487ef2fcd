from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "khizmat.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        from khizmat.monitoring import documents, navigation  # noqa: F401 - registers the workbook and the menu
        from khizmat.tenancy.choices import OrganizationKind
        from khizmat.tenancy.roles import Role, register_permissions

        # A funder project's staff: its results framework and its progress reports.
        register_permissions(
            {
                "monitoring.indicators.view": frozenset(
                    {Role.MANAGER, Role.AUDITOR, Role.MONITOR, Role.ADMIN}
                ),
                "monitoring.indicators.manage": frozenset({Role.MANAGER, Role.ADMIN}),
                "monitoring.funder_report": frozenset({Role.MANAGER, Role.AUDITOR, Role.MONITOR, Role.ADMIN}),
            },
            kinds=frozenset({OrganizationKind.FUNDER_PROJECT}),
        )

        register_permissions(
            {
                # The KPI dashboards: a director's own organization, an aiyl okmotu head's enterprises, a
                # monitor's region or country, a funder officer's project. Figures only; the records behind a
                # number open for members of the organization (monitors see them without personal data).
                "monitoring.dashboard": frozenset({Role.MANAGER, Role.AUDITOR, Role.MONITOR, Role.ADMIN}),
                # Publishing the organization's service standards and a few figures on a public page.
                "monitoring.publish": frozenset({Role.MANAGER, Role.ADMIN}),
            }
        )
