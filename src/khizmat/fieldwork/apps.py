from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "khizmat.fieldwork"
    label = "fieldwork"
    verbose_name = _("Field work")

    def ready(self):
        from khizmat.core import hooks
        from khizmat.core.navigation import NavEntry, register
        from khizmat.fieldwork import kpis  # noqa: F401 - registers its monitoring measures and KPIs
        from khizmat.fieldwork.selectors import organization_ids_with_pickup_schedule
        from khizmat.tenancy.choices import OrganizationKind
        from khizmat.tenancy.roles import Role, register_permissions

        # The reports portal's directory links to the pickup schedule of these organizations.
        hooks.provide("reports.organization_ids_with_pickup_schedule", organization_ids_with_pickup_schedule)
        register_permissions(
            {
                "fieldwork.view": frozenset({Role.DISPATCHER, Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
                "fieldwork.manage": frozenset({Role.DISPATCHER, Role.MANAGER, Role.ADMIN}),
                # The phone page of a route: drivers mark their own routes, dispatchers any.
                "fieldwork.drive": frozenset({Role.DRIVER, Role.DISPATCHER, Role.MANAGER, Role.ADMIN}),
            },
            kinds={OrganizationKind.MUNICIPAL_ENTERPRISE},
        )
        register(
            NavEntry(
                "fieldwork:day_routes",
                _("Routes"),
                "fieldwork.view",
                _("Plan tomorrow's collection routes with the optimizer and follow today's on the map."),
                order=40,
            )
        )
        register(
            NavEntry(
                "fieldwork:fleet",
                _("Fleet"),
                "fieldwork.view",
                _(
                    "Keep the trucks, their crews, maintenance plan and log, and fuel; check each truck's "
                    "kilometres, loads and fuel against its norm."
                ),
                order=41,
            )
        )
        register(
            NavEntry(
                "fieldwork:driver_home",
                _("My route"),
                "fieldwork.drive",
                _(
                    "Open today's route on your phone and mark each point as you go, even without a connection."
                ),
                order=5,
            )
        )
