"""Local time: every time shown and every day cut is in the organization's own time zone (its country's).

A request runs in the zone of its active organization (:class:`~khizmat.tenancy.middleware.TenantScopeMiddleware`)
or of the organization a public page resolves (:func:`activate_for`); a background task runs in the zone of its
object's organization (:func:`organization_context`). Code that cuts a day for an organization asks it directly
(:func:`local_today`, :func:`local_date`, :func:`local_day_start`) instead of relying on the active zone, so it is
right whoever calls it. ``datetime.date.today()``, ``datetime.datetime.now()`` and ``timezone.now().date()`` give the
server's day and are refused by ``tests/test_local_time.py``.
"""

import datetime
import functools
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.utils import timezone

from khizmat.tenancy.scoping import organization_scope


@functools.lru_cache(maxsize=32)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def organization_zone(organization) -> ZoneInfo:
    """The organization's time zone: its country's (Asia/Tashkent, Asia/Bishkek). None gives the server's."""
    if organization is None:
        return timezone.get_default_timezone()
    return _zone(organization.country.time_zone)


def local_now(organization) -> datetime.datetime:
    """Now, as an aware datetime in the organization's zone."""
    return timezone.localtime(timezone.now(), organization_zone(organization))


def local_today(organization) -> datetime.date:
    """Today in the organization's zone: the day its staff see on the wall calendar."""
    return local_now(organization).date()


def local_date(moment: datetime.datetime, organization) -> datetime.date:
    """The organization's calendar day of an aware moment."""
    return timezone.localtime(moment, organization_zone(organization)).date()


def local_day_start(day: datetime.date, organization) -> datetime.datetime:
    """Local midnight that begins ``day`` in the organization's zone (aware); day ``d`` is [start(d), start(d+1))."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=organization_zone(organization))


def local_day_range(day: datetime.date, organization) -> tuple[datetime.datetime, datetime.datetime]:
    """The half-open range of aware moments that belong to ``day`` in the organization's zone."""
    return local_day_start(day, organization), local_day_start(day + datetime.timedelta(days=1), organization)


@contextmanager
def organization_timezone(organization) -> Iterator[None]:
    """Render times (templates, ``localtime``, DRF) in the organization's zone inside the block."""
    with timezone.override(organization_zone(organization)):
        yield


def activate_for(organization) -> None:
    """Activate the organization's zone for the rest of this request (public pages that resolve an organization).

    The tenant middleware deactivates it when the request ends.
    """
    if organization is not None:
        timezone.activate(organization_zone(organization))


@contextmanager
def organization_context(organization_id: int) -> Iterator[None]:
    """What a background task about one organization's object runs in: its tenant scope and its time zone."""
    from khizmat.tenancy.models import Organization
    from khizmat.tenancy.scoping import scopes_disabled

    with scopes_disabled():
        organization = Organization.objects.select_related("country").get(pk=organization_id)
    with organization_scope([organization.pk]), organization_timezone(organization):
        yield
