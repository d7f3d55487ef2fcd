"""A clock the services read (``timezone.now`` patched) and short ways to read KPIs in the monitoring tests."""

from __future__ import annotations

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from khizmat.monitoring import registry, selectors
from khizmat.monitoring.models import MeasureValue

TASHKENT = ZoneInfo("Asia/Tashkent")
BISHKEK = ZoneInfo("Asia/Bishkek")
MARCH = datetime.date(2031, 3, 1)
FEBRUARY = datetime.date(2031, 2, 1)


def at(day: int, hour: int = 10, minute: int = 0, *, month: int = 3, zone: ZoneInfo = TASHKENT):
    """A moment of 2031, local to ``zone``."""
    return datetime.datetime(2031, month, day, hour, minute, tzinfo=zone)


class Clock:
    """``timezone.now()`` as the test sets it, for every service, default and the KPI refresh."""

    def __init__(self, moment: datetime.datetime):
        self.now = moment
        self._patch = mock.patch("django.utils.timezone.now", side_effect=lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)

    def __enter__(self) -> Clock:
        self._patch.start()
        return self

    def __exit__(self, *exc) -> None:
        self._patch.stop()


def kpi_values(organizations, *, month_from=MARCH, month_to=MARCH, section=None, codes=None, group_by=None):
    """{KPI code: value} of these organizations together over the months (or {group label: {…}} when grouped)."""
    kpis = [k for k in registry.kpis(section) if codes is None or k.code in codes]
    rows = selectors.kpi_table(
        organization_ids=[o.pk for o in organizations],
        kpis=kpis,
        month_from=month_from,
        month_to=month_to,
        group_by=group_by,
    )
    if group_by is None:
        (row,) = rows
        return row.values
    return {row.label: row.values for row in rows}


def stored_values() -> list[tuple]:
    """Every stored measure value, comparable between an incremental refresh and a rebuild."""
    return sorted(
        MeasureValue.objects.values_list(
            "organization_id", "measure", "granularity", "start", "bucket", "total", "count"
        )
    )
