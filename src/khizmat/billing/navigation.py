from django.utils.translation import gettext_lazy as _

from khizmat.core.navigation import NavEntry, register
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.roles import Role, register_permissions

register_permissions(
    {
        # Subscriber cards, balances, invoices and payments.
        "billing.view": frozenset({Role.OPERATOR, Role.CASHIER, Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
        # Registering and editing subscribers, importing lists.
        "billing.subscribers": frozenset({Role.OPERATOR, Role.MANAGER, Role.ADMIN}),
        # Tariffs, categories and exemptions (as the council decided them).
        "billing.tariffs": frozenset({Role.MANAGER, Role.ADMIN}),
        # Running, approving and closing billing periods; balance adjustments.
        "billing.run": frozenset({Role.MANAGER, Role.ADMIN}),
        # Taking payments at a cash desk and closing the day.
        "billing.cash": frozenset({Role.CASHIER, Role.ADMIN}),
        # Reversing a posted payment.
        "billing.reverse": frozenset({Role.MANAGER, Role.ADMIN}),
        # Importing bank and terminal statements and matching their lines.
        "billing.statements": frozenset({Role.CASHIER, Role.MANAGER, Role.ADMIN}),
        # Debtors, arrears, collection rate and exports.
        "billing.reports": frozenset({Role.CASHIER, Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
    },
    kinds={OrganizationKind.MUNICIPAL_ENTERPRISE},
)

register(
    NavEntry(
        "billing:cashier",
        _("Cash desk"),
        "billing.cash",
        _("Find an account by number, name or address, take a payment and print the receipt."),
        order=20,
    )
)
register(
    NavEntry(
        "billing:subscriber_list",
        _("Subscribers"),
        "billing.view",
        _("Accounts of households, businesses and institutions, with their balance and history."),
        order=21,
    )
)
register(
    NavEntry(
        "billing:period_list",
        _("Billing"),
        "billing.run",
        _("Run the monthly billing, watch its progress and approve it."),
        order=22,
    )
)
register(
    NavEntry(
        "billing:statement_list",
        _("Bank statements"),
        "billing.statements",
        _("Import bank and terminal statements and match their lines to accounts."),
        order=23,
    )
)
register(
    NavEntry(
        "billing:debtors",
        _("Arrears"),
        "billing.reports",
        _("Debtors by age of debt, printable notices and the collection rate by street."),
        order=24,
    )
)
register(
    NavEntry(
        "billing:tariff_list",
        _("Tariffs"),
        "billing.tariffs",
        _("Tariffs approved by the council, categories and exemptions."),
        order=25,
    )
)
