"""Measures and KPIs: each defined once, in the app that owns the data, with its formula written next to it.

A **measure** is a number the database can add up: applications received on a day, seconds citizens waited,
invoices billed. Each app registers its measures (``<app>/kpis.py``, imported from its ``AppConfig.ready``) with a
set-based ``compute`` that returns one row per organization and local day. :mod:`khizmat.monitoring.services`
stores them in :class:`~khizmat.monitoring.models.MeasureValue` (per day, and per month as the sum of the days)
and keeps them up to date when the services that change the raw rows call :func:`~khizmat.monitoring.services.
kpi_touch`. Three kinds:

- ``FLOW``: a total and a count per day (received, billed, seconds waited over tickets served); a month is the sum
  of its days, a territory the sum of its organizations.
- ``HISTOGRAM``: a count per integer bucket per day (working days taken, hours to resolve), so that medians of any
  territory and period are exact to the bucket.
- ``STOCK``: a state at the end of a month (or now, for the current month): overdue applications, arrears. A
  period's value is its last month's; a territory's, the sum of its organizations.

A **KPI** is what people read: a formula over measures (:class:`Percent`, :class:`Mean`, :class:`Median`…), a
unit, and optionally the records behind it (:class:`Records`) for the drill-down. Dashboards, the XLSX downloads,
the funder reports, the open-data page and the API all read KPIs through :mod:`khizmat.monitoring.selectors`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count as CountRows
from django.db.models import Min, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

FLOW = "flow"
HISTOGRAM = "histogram"
STOCK = "stock"
NO_BUCKET = -1

# Units: how a value is shown and whether it can be added across organizations of different countries.
COUNT = "count"
PERCENT = "percent"
MONEY = "money"
DAYS = "days"
HOURS = "hours"
MINUTES = "minutes"
SCORE = "score"
KM = "km"
M3 = "m3"

UNIT_LABELS = {
    COUNT: "",
    PERCENT: "%",
    MONEY: "",
    DAYS: _("days"),
    HOURS: _("h"),
    MINUTES: _("min"),
    SCORE: _("of 5"),
    KM: _("km"),
    M3: _("m³"),
}

# Sections of the dashboards, in their order, and the organization kinds each one concerns.
SERVICE_CENTER = "service_center"
BILLING = "billing"
REPORTS = "reports"
FIELDWORK = "fieldwork"
SECTIONS = {
    SERVICE_CENTER: _("Service center"),
    BILLING: _("Utility billing"),
    REPORTS: _("Citizen reports"),
    FIELDWORK: _("Field work and municipal orders"),
}

# The organization kinds whose figures each section shows (an aiyl okmotu has no queue, a center no trucks).
SECTION_KINDS = {
    SERVICE_CENTER: {"service_center"},
    BILLING: {"municipal_enterprise"},
    REPORTS: {"municipal_enterprise", "aiyl_okmotu", "town_government", "hokimiyat"},
    FIELDWORK: {"municipal_enterprise"},
}


@dataclasses.dataclass(frozen=True)
class Window:
    """What one call of a measure's ``compute`` covers: organizations of one time zone, local days inclusive."""

    organization_ids: tuple[int, ...]
    date_from: datetime.date
    date_to: datetime.date
    zone: ZoneInfo

    @property
    def start(self) -> datetime.datetime:
        """Local midnight beginning ``date_from`` (aware)."""
        return datetime.datetime.combine(self.date_from, datetime.time.min, tzinfo=self.zone)

    @property
    def end(self) -> datetime.datetime:
        """Local midnight after ``date_to`` (aware): the window is ``[start, end)``."""
        return datetime.datetime.combine(
            self.date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=self.zone
        )

    def month_ends(self, today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
        """(month start, as-of day) of every month in the window: its last day, or ``today`` for the current one."""
        months = []
        month = self.date_from.replace(day=1)
        while month <= self.date_to:
            following = (month + datetime.timedelta(days=32)).replace(day=1)
            months.append((month, min(following - datetime.timedelta(days=1), today)))
            month = following
        return months


# compute(window) → rows. FLOW and STOCK: (organization_id, day, total, count); HISTOGRAM: (organization_id, day,
# bucket, count). A STOCK's day is the month's first day. ``today`` is given to STOCKs (the current month's as-of).
Row = tuple


@dataclasses.dataclass(frozen=True)
class Measure:
    code: str
    source: str
    label: str
    compute: Callable[..., Iterable[Row]]
    kind: str = FLOW
    unit: str = COUNT

    @property
    def is_money(self) -> bool:
        return self.unit == MONEY


@dataclasses.dataclass(frozen=True)
class Source:
    """A group of measures read from the same raw rows, refreshed together when a service touches them."""

    code: str
    label: str
    # The earliest local day with data for these organizations (None when there is none): where a rebuild starts.
    first_day: Callable[[Sequence[int]], datetime.date | None]


class Totals:
    """The stored values of one group (an organization, a district, a month…), added up, for a KPI's formula."""

    def __init__(self) -> None:
        self.totals: dict[str, Decimal] = {}
        self.counts: dict[str, int] = {}
        self.buckets: dict[str, dict[int, int]] = {}
        self.currencies: set[str] = set()

    def add(self, measure: str, bucket: int, total, count) -> None:
        if bucket == NO_BUCKET:
            self.totals[measure] = self.totals.get(measure, Decimal(0)) + Decimal(total or 0)
            self.counts[measure] = self.counts.get(measure, 0) + int(count or 0)
        else:
            histogram = self.buckets.setdefault(measure, {})
            histogram[bucket] = histogram.get(bucket, 0) + int(count or 0)

    def total(self, measure: str) -> Decimal:
        return self.totals.get(measure, Decimal(0))

    def count(self, measure: str) -> int:
        return self.counts.get(measure, 0)

    def median(self, measure: str) -> int | None:
        """The lower median of a histogram (None when it is empty)."""
        histogram = self.buckets.get(measure) or {}
        size = sum(histogram.values())
        if not size:
            return None
        middle = (size + 1) // 2
        seen = 0
        for bucket in sorted(histogram):
            seen += histogram[bucket]
            if seen >= middle:
                return bucket
        return None  # pragma: no cover - unreachable

    @property
    def mixed_currencies(self) -> bool:
        return len(self.currencies) > 1


# --- Formulas -------------------------------------------------------------------------------------------------
# Each is a small callable object naming the measures it reads, so the selectors fetch exactly those.


@dataclasses.dataclass(frozen=True)
class Total:
    """The sum of a flow's totals (money billed, km driven), or of a stock."""

    measure: str
    money: bool = False

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.measure,)

    def __call__(self, totals: Totals) -> Decimal | None:
        if self.money and totals.mixed_currencies:
            return None
        return totals.total(self.measure)


@dataclasses.dataclass(frozen=True)
class Count:
    """The number of events (applications received, tickets served)."""

    measure: str

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.measure,)

    def __call__(self, totals: Totals) -> Decimal | None:
        return Decimal(totals.count(self.measure))


@dataclasses.dataclass(frozen=True)
class Percent:
    """100 × numerator ÷ denominator, each the total (``use_total``) or the count of a measure; None on zero."""

    numerator: str
    denominator: str
    use_total: bool = False
    money: bool = False

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator)

    def __call__(self, totals: Totals) -> Decimal | None:
        if self.money and totals.mixed_currencies:
            return None
        part = totals.total if self.use_total else totals.count
        whole = part(self.denominator)
        if not whole:
            return None
        return Decimal(100) * Decimal(part(self.numerator)) / Decimal(whole)


@dataclasses.dataclass(frozen=True)
class Ratio:
    """numerator total ÷ denominator total (km per trip, litres per 100 km); None on zero."""

    numerator: str
    denominator: str
    scale: Decimal = Decimal(1)
    denominator_count: bool = False

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator)

    def __call__(self, totals: Totals) -> Decimal | None:
        whole = totals.count(self.denominator) if self.denominator_count else totals.total(self.denominator)
        if not whole:
            return None
        return self.scale * totals.total(self.numerator) / Decimal(whole)


@dataclasses.dataclass(frozen=True)
class Mean:
    """A flow's total ÷ its count, times ``scale`` (seconds waited ÷ tickets ÷ 60 = minutes); None when empty."""

    measure: str
    scale: Decimal = Decimal(1)

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.measure,)

    def __call__(self, totals: Totals) -> Decimal | None:
        count = totals.count(self.measure)
        if not count:
            return None
        return self.scale * totals.total(self.measure) / Decimal(count)


@dataclasses.dataclass(frozen=True)
class Median:
    """The median bucket of a histogram (working days, hours)."""

    measure: str

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.measure,)

    def __call__(self, totals: Totals) -> Decimal | None:
        value = totals.median(self.measure)
        return None if value is None else Decimal(value)


@dataclasses.dataclass(frozen=True)
class Records:
    """The records behind a KPI, for the drill-down.

    ``queryset(organization_ids, date_from, date_to)`` returns the rows (already limited to those organizations);
    ``columns`` are (label, attribute or callable) pairs **without personal data**, shown to everyone who may read
    the KPI (monitors included); ``url(row)`` links a member of the row's organization to its own page.
    """

    queryset: Callable[[Sequence[int], datetime.date, datetime.date], QuerySet]
    columns: tuple[tuple[str, str | Callable], ...]
    url: Callable[[object], str] | None = None


@dataclasses.dataclass(frozen=True)
class Kpi:
    code: str
    section: str
    label: str
    formula: str
    unit: str
    value: Callable[[Totals], Decimal | None]
    # Which way is good, for the map's colours and the comparisons: "higher", "lower" or "" (neither).
    better: str = "higher"
    records: Records | None = None
    # Shown on the public open-data page of an organization that publishes its numbers.
    public: bool = False
    # Money KPIs are shown in the organizations' currency and refused across currencies.
    money: bool = False

    @property
    def measures(self) -> tuple[str, ...]:
        return self.value.measures


_SOURCES: dict[str, Source] = {}
_MEASURES: dict[str, Measure] = {}
_KPIS: dict[str, Kpi] = {}


def register_source(source: Source) -> Source:
    if source.code in _SOURCES and _SOURCES[source.code] != source:
        raise ValueError(f"source {source.code} registered twice")
    _SOURCES[source.code] = source
    return source


def register_measure(measure: Measure) -> Measure:
    if measure.source not in _SOURCES:
        raise ValueError(f"measure {measure.code}: unknown source {measure.source}")
    if measure.code in _MEASURES and _MEASURES[measure.code] != measure:
        raise ValueError(f"measure {measure.code} registered twice")
    _MEASURES[measure.code] = measure
    return measure


def register_kpi(kpi: Kpi) -> Kpi:
    missing = [code for code in kpi.measures if code not in _MEASURES]
    if missing:
        raise ValueError(f"KPI {kpi.code} reads unknown measures {missing}")
    if kpi.section not in SECTIONS:
        raise ValueError(f"KPI {kpi.code}: unknown section {kpi.section}")
    if kpi.code in _KPIS and _KPIS[kpi.code] != kpi:
        raise ValueError(f"KPI {kpi.code} registered twice")
    _KPIS[kpi.code] = kpi
    return kpi


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


def measures(source: str | None = None) -> list[Measure]:
    return [m for m in _MEASURES.values() if source is None or m.source == source]


def measure(code: str) -> Measure:
    return _MEASURES[code]


def kpis(section: str | None = None) -> list[Kpi]:
    return [k for k in _KPIS.values() if section is None or k.section == section]


def kpi(code: str) -> Kpi | None:
    return _KPIS.get(code)


# --- Helpers for the apps' compute functions ------------------------------------------------------------------


def daily_rows(queryset: QuerySet, field: str, window: Window, *, total=None) -> Iterable[Row]:
    """(organization, local day, total, count) of the rows whose datetime ``field`` falls in the window: one
    grouped query; ``total`` is an aggregate expression (a Sum of amounts or of durations, read as seconds)."""
    rows = queryset.filter(
        organization_id__in=window.organization_ids,
        **{f"{field}__gte": window.start, f"{field}__lt": window.end},
    ).annotate(local_day=TruncDate(field, tzinfo=window.zone))
    aggregates = {"n": CountRows("pk")}
    if total is not None:
        aggregates["t"] = total
    for row in rows.values("organization_id", "local_day").annotate(**aggregates).order_by():
        yield row["organization_id"], row["local_day"], as_decimal(row.get("t")), row["n"]


def date_rows(queryset: QuerySet, field: str, window: Window, *, total=None) -> Iterable[Row]:
    """Like :func:`daily_rows` for a DateField already holding the local day (a trip's date, a period's day)."""
    rows = queryset.filter(
        organization_id__in=window.organization_ids,
        **{f"{field}__gte": window.date_from, f"{field}__lte": window.date_to},
    )
    aggregates = {"n": CountRows("pk")}
    if total is not None:
        aggregates["t"] = total
    for row in rows.values("organization_id", field).annotate(**aggregates).order_by():
        yield row["organization_id"], row[field], as_decimal(row.get("t")), row["n"]


def as_decimal(value) -> Decimal:
    """A summed value as a Decimal: durations become seconds, None becomes 0."""
    if value is None:
        return Decimal(0)
    if isinstance(value, datetime.timedelta):
        return Decimal(str(value.total_seconds()))
    return Decimal(str(value))


def first_local_day(queryset: QuerySet, field: str) -> datetime.date | None:
    """The earliest day of ``field`` among these rows, a day early (any zone's local day is then covered)."""
    first = queryset.aggregate(first=Min(field))["first"]
    if first is None:
        return None
    if isinstance(first, datetime.datetime):
        return (first - datetime.timedelta(days=1)).date()
    return first


# --- Service standards on the open-data page ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class StandardsTable:
    """A table of an organization's published standards: its services with deadlines and fees, its tariffs…"""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple]


_STANDARDS: list[Callable[[object], StandardsTable | None]] = []


def register_standards(provider: Callable[[object], StandardsTable | None]) -> None:
    """An app adds a table to every open-data page: ``provider(organization)`` returns it, or None."""
    if provider not in _STANDARDS:
        _STANDARDS.append(provider)


def standards(organization) -> list[StandardsTable]:
    tables = (provider(organization) for provider in _STANDARDS)
    return [table for table in tables if table is not None and table.rows]
