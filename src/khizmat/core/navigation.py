"""Navigation and the home page's "what to do next" cards, by permission.

Apps add their entries with :func:`register` from ``AppConfig.ready()`` (``<app>/navigation.py``); the menu and the home page show each
entry to the roles whose permission allows it (see :mod:`khizmat.tenancy.roles`).
"""

from dataclasses import dataclass

from django.utils.functional import Promise


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
