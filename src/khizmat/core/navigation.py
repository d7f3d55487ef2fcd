"""Navigation and the home page's "what to do next" cards, by permission.

Apps add their entries with :func:`register` from ``AppConfig.ready()``; the menu and the home page show each
entry to the roles whose permission allows it (see :mod:`khizmat.tenancy.roles`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    permission: str
    next_step: str | Promise  # what a user with this entry on the home page should do next
    order: int = 100


_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry.url_name not in {e.url_name for e in _ENTRIES}:
        _ENTRIES.append(entry)
        _ENTRIES.sort(key=lambda e: e.order)


def entries_for(membership) -> list[NavEntry]:
    if membership is None:
        return []
    return [entry for entry in _ENTRIES if membership.has_permission(entry.permission)]


register(
    NavEntry(
        "core:monitoring",
        _("Monitoring"),
        "monitoring.view",
        _("Compare the organizations you oversee: how many there are, of which kind, and who works there."),
        order=10,
    )
)
register(
    NavEntry(
        "tenancy:membership_list",
        _("Staff"),
        "staff.view",
        _("Check who works in your organization and in which role; add new staff members."),
        order=20,
    )
)
register(
    NavEntry(
        "core:audit_log",
        _("Audit trail"),
        "audit.view",
        _("Review who changed what and when in your organization."),
        order=30,
    )
)
register(
    NavEntry(
        "tenancy:organization_detail",
        _("Organization"),
        "organization.view",
        _("See your organization's details and who oversees it."),
        order=40,
    )
)
register(
    NavEntry(
        "tenancy:calendar",
        _("Working days"),
        "calendar.view",
        _("Check public holidays and working days: legal deadlines count working days only."),
        order=50,
    )
)
register(
    NavEntry(
        "core:search",
        _("Search"),
        "search.use",
        _("Find places, organizations and colleagues by name, in Cyrillic or Latin letters."),
        order=60,
    )
)
