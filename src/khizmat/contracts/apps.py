from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "khizmat.contracts"
    label = "contracts"
    verbose_name = _("Municipal orders")

    def ready(self):
        from khizmat.contracts import kpis  # noqa: F401 - registers its monitoring measures and KPIs
        from khizmat.contracts.services import trip_log_month_closed
        from khizmat.core.navigation import NavEntry, register
        from khizmat.fieldwork.services import register_load_date_guard
        from khizmat.tenancy.roles import Role, register_permissions
        from khizmat.tenancy.scoping import register_counterparty_models

        register_permissions(
            {
                # Reading the municipal orders of one's own enterprise, their records and acts.
                "contracts.view": frozenset({Role.DISPATCHER, Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
                # A local government reading the orders it placed with an enterprise it oversees.
                "contracts.oversee": frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
                # The enterprise: contracts, work records, building and submitting acts, answering disputes.
                "contracts.manage": frozenset({Role.MANAGER, Role.ADMIN}),
                # The local government: disputing a line of an act and accepting the act.
                "contracts.sign": frozenset({Role.MANAGER, Role.ADMIN}),
            }
        )
        # The ordering local government reads these rows of the enterprise it oversees (selectors.py).
        register_counterparty_models(
            {
                "contracts.Contract": "customer",
                "contracts.WorkItem": "contract__customer",
                "contracts.WorkRecord": "work_item__contract__customer",
                "contracts.Act": "contract__customer",
                "contracts.ActLine": "act__contract__customer",
            }
        )
        # A load of the trip log dated into a month whose act is submitted or accepted is refused.
        register_load_date_guard(trip_log_month_closed)
        register(
            NavEntry(
                "contracts:contract_list",
                _("Municipal orders"),
                "contracts.view",
                _(
                    "Municipal orders and the monthly acts of completed work: record the work, submit or accept acts."
                ),
                order=30,
            )
        )
        from khizmat.contracts.waiting import register_waiting_work

        register_waiting_work()
