"""Navigation and the home page's "what to do next" cards, by permission and kind of organization.

Apps add their entries with :func:`register` from ``AppConfig.ready()``; the menu and the home page show each
entry to the roles whose permission allows it, in the kinds of organization the permission belongs to (see
:mod:`khizmat.tenancy.roles`): a service center's manager sees no billing, routes or vehicles.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from khizmat.tenancy.roles import kind_has_permission


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
    kind = membership.organization.kind
    return [
        entry
        for entry in _ENTRIES
        if membership.has_permission(entry.permission) and kind_has_permission(kind, entry.permission)
    ]


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


@dataclass(frozen=True)
class Waiting:
    """One piece of work waiting on the home page: what it is and where to do it."""

    label: str
    url: str


@dataclass(frozen=True)
class WaitingSource:
    """An app's query of the work waiting for a membership (e.g. disputed act lines to answer)."""

    permission: str
    items: Callable[[object], list[Waiting]]
    order: int = 100


_WAITING: list[WaitingSource] = []


def register_waiting(source: WaitingSource) -> None:
    if source not in _WAITING:
        _WAITING.append(source)
        _WAITING.sort(key=lambda s: s.order)


def waiting_for(membership) -> list[Waiting]:
    """The work waiting for this membership, from every source its role and kind of organization may read."""
    if membership is None:
        return []
    kind = membership.organization.kind
    return [
        item
        for source in _WAITING
        if membership.has_permission(source.permission) and kind_has_permission(kind, source.permission)
        for item in source.items(membership)
    ]
