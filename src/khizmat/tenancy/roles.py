"""Roles of a membership and what each may do.

One table answers "may this membership do X?" for views, API and templates. Later apps add their permissions to
``PERMISSIONS``; a permission not listed here is refused (fail closed).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    CASHIER = "cashier", _("Cashier")
    DISPATCHER = "dispatcher", _("Dispatcher")
    DRIVER = "driver", _("Driver")
    MANAGER = "manager", _("Manager")
    AUDITOR = "auditor", _("Auditor")
    MONITOR = "monitor", _("Monitor")
    ADMIN = "admin", _("Administrator")


ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.OPERATOR, Role.CASHIER, Role.DISPATCHER, Role.DRIVER, Role.MANAGER, Role.ADMIN})
READ_ONLY_ROLES = frozenset({Role.AUDITOR, Role.MONITOR})

PERMISSIONS: dict[str, frozenset[str]] = {
    # Seeing one's own organization and its working calendar.
    "organization.view": frozenset(ALL_ROLES - {Role.MONITOR}),
    "calendar.view": ALL_ROLES,
    # People of the organization.
    "staff.view": frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
    "staff.manage": frozenset({Role.ADMIN}),
    # Audit trail: managers and auditors read it.
    "audit.view": frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
    # Full personal ID numbers and phones of citizens and subscribers on a record's detail page and API detail: the
    # roles serving the person (desk operators, cashiers, dispatchers) and managers. Everyone else, and every list
    # and export, sees them masked (khizmat.core.masking); each full view is logged (khizmat.tenancy.privacy).
    "personal_data.full": frozenset({Role.OPERATOR, Role.CASHIER, Role.DISPATCHER, Role.MANAGER}),
    # Reading that access log.
    "personal_data.access_log": frozenset({Role.MANAGER, Role.AUDITOR, Role.ADMIN}),
    # Read-only aggregates over a region or a country.
    "monitoring.view": frozenset({Role.MONITOR}),
    # Search for places, organizations and staff.
    "search.use": ALL_ROLES,
}


# The kinds of organization a permission belongs to; a permission not listed here belongs to every kind. A
# service center's manager sees no billing, routes or vehicles in the menu and on the home page; an enterprise's
# manager no queue or applications (khizmat.core.navigation). The pages themselves check the role only.
PERMISSION_KINDS: dict[str, frozenset[str]] = {}


def register_permissions(
    permissions: dict[str, frozenset[str]], *, kinds: frozenset[str] | None = None
) -> None:
    """Add an app's permissions (from its ``AppConfig.ready``); a name may be declared once.

    ``kinds``, when given, limits these permissions to organizations of those kinds.
    """
    clash = {name for name in set(permissions) & set(PERMISSIONS) if permissions[name] != PERMISSIONS[name]}
    if clash:
        raise ValueError(f"permissions declared twice: {sorted(clash)}")
    PERMISSIONS.update(permissions)
    if kinds is not None:
        PERMISSION_KINDS.update(dict.fromkeys(permissions, frozenset(kinds)))


def role_has_permission(role: str, permission: str) -> bool:
    return role in PERMISSIONS.get(permission, frozenset())


def kind_has_permission(kind: str, permission: str) -> bool:
    """Whether an organization of this kind uses the permission at all (whatever the role)."""
    kinds = PERMISSION_KINDS.get(permission)
    return kinds is None or kind in kinds


def role_is_read_only(role: str) -> bool:
    return role in READ_ONLY_ROLES
