"""Navigation and the home page's "what to do next" cards and "waiting for you" list, by permission and kind.

Apps add their entries with :func:`register` from ``AppConfig.ready()`` (``<app>/navigation.py``); the menu and the
home page show each entry to the memberships that may use its permission: the role allows it, and the permission
belongs to the organization's kind (``Membership.may_use``, see :mod:`khizmat.tenancy.roles`) — a service center's
manager sees no billing, routes or vehicles. Apps add the work waiting on the home page with
:func:`register_waiting` (e.g. the disputed acts an enterprise must answer).
"""

from collections.abc import Callable
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
    return [entry for entry in _ENTRIES if membership.may_use(entry.permission)]


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
    """The work waiting for this membership, from every source its role and kind of organization may use."""
    if membership is None:
        return []
    return [
        item
        for source in _WAITING
        if membership.may_use(source.permission)
        for item in source.items(membership)
    ]
