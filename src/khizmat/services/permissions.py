"""Who may do what with the service catalog and applications."""

from khizmat.tenancy.roles import Role

_DESK = frozenset({Role.OPERATOR, Role.MANAGER, Role.ADMIN})
_LEADS = frozenset({Role.MANAGER, Role.ADMIN})

PERMISSIONS = {
    "catalog.view": frozenset({Role.OPERATOR, Role.CASHIER, Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
    "catalog.manage": _LEADS,
    "applications.view": frozenset({Role.OPERATOR, Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
    "applications.register": _DESK,
    "applications.process": _DESK,
    "applications.decide": _LEADS,
    "applications.assign": _LEADS,
    "applications.load": frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
}
