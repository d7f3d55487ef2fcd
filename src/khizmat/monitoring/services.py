"""Keeping the stored measures equal to the raw data: touch, refresh, rebuild.

- A service that changes raw rows calls :func:`kpi_touch` with the local days it changed (an application received
  and the day it was finished, a payment and its reversal…). The marks are rows (:class:`KpiTouch`), written in the
  service's transaction, so a rollback forgets them and a crash keeps them; after the commit a background task
  (:func:`khizmat.monitoring.tasks.refresh_touched`) recomputes those days and their months.
- :func:`kpi_rebuild` recomputes everything from the raw data (``khizmat kpi_rebuild``), source by source, in
  windows of :data:`REBUILD_WINDOW_DAYS` days, with set-based queries and batched inserts.

Both end in :func:`refresh_window`, so an incremental refresh and a rebuild cannot compute differently; the
property test (monitoring/tests/test_incremental_equals_rebuild.py) checks that services touch the right days.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import check_date, field_rule
from khizmat.monitoring import registry
from khizmat.monitoring.models import (
    Granularity,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    KpiTouch,
    MeasureValue,
    OpenDataPublication,
)
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.models import Organization, Oversight
from khizmat.tenancy.scoping import scopes_disabled

log = logging.getLogger(__name__)

REBUILD_WINDOW_DAYS = 92
BATCH = 5000


def kpi_touch(*, organization_id: int, source: str, days: Iterable[datetime.date | None]) -> None:
    """Mark local days whose raw rows of ``source`` changed; they are recomputed after the commit."""
    if source not in registry.sources():
        raise ValueError(f"unknown KPI source {source}")
    marks = sorted({day for day in days if day is not None})
    if not marks:
        return
    KpiTouch.objects.bulk_create(
        [KpiTouch(organization_id=organization_id, source=source, day=day) for day in marks],
        ignore_conflicts=True,
    )
    # One refresh per organization and transaction, however many rows it touched (the demo and a billing run are
    # one transaction touching thousands of days: one task, not thousands).
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(callback, "kpi_organization_id", None) == organization_id
        for _savepoints, callback, *_robust in connection.run_on_commit
    ):
        return
    from khizmat.monitoring.tasks import refresh_touched

    def refresh() -> None:
        refresh_touched.enqueue(organization_id=organization_id)

    refresh.kpi_organization_id = organization_id
    transaction.on_commit(refresh)


def _zones(organization_ids: Sequence[int] | None) -> dict[str, list[int]]:
    """Organizations grouped by their time zone (a day is cut in each organization's own zone)."""
    organizations = Organization.objects.all()
    if organization_ids is not None:
        organizations = organizations.filter(pk__in=list(organization_ids))
    zones: dict[str, list[int]] = defaultdict(list)
    for pk, zone in organizations.values_list("pk", "country__time_zone").order_by("pk"):
        zones[zone].append(pk)
    return zones


def _today(zone: ZoneInfo) -> datetime.date:
    return timezone.localtime(timezone.now(), zone).date()


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _insert(rows: Iterable[MeasureValue]) -> int:
    batch: list[MeasureValue] = []
    written = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            MeasureValue.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    if batch:
        MeasureValue.objects.bulk_create(batch)
        written += len(batch)
    return written


def _day_rows(measure: registry.Measure, window: registry.Window) -> Iterable[MeasureValue]:
    allowed = set(window.organization_ids)
    for row in measure.compute(window):
        if measure.kind == registry.HISTOGRAM:
            organization_id, day, bucket, count = row
            total = Decimal(0)
        else:
            organization_id, day, total, count = row
            bucket = registry.NO_BUCKET
        if organization_id not in allowed or not (window.date_from <= day <= window.date_to):
            raise ValueError(f"measure {measure.code} returned a row outside its window: {row}")
        if not count and not total:
            continue
        yield MeasureValue(
            organization_id=organization_id,
            measure=measure.code,
            granularity=Granularity.DAY,
            start=day,
            bucket=bucket,
            total=total or 0,
            count=count or 0,
        )


def _roll_up_months(
    codes: list[str], organization_ids: Sequence[int], first: datetime.date, last: datetime.date
):
    """Month rows of flows and histograms = the sum of their day rows, for every month from ``first`` to ``last``."""
    month = _month_start(first)
    while month <= last:
        following = _next_month(month)
        MeasureValue.objects.filter(
            organization_id__in=organization_ids,
            measure__in=codes,
            granularity=Granularity.MONTH,
            start=month,
        ).delete()
        sums = (
            MeasureValue.objects.filter(
                organization_id__in=organization_ids,
                measure__in=codes,
                granularity=Granularity.DAY,
                start__gte=month,
                start__lt=following,
            )
            .values("organization_id", "measure", "bucket")
            .annotate(total_sum=Sum("total"), count_sum=Sum("count"))
            .order_by()
        )
        _insert(
            MeasureValue(
                organization_id=row["organization_id"],
                measure=row["measure"],
                granularity=Granularity.MONTH,
                start=month,
                bucket=row["bucket"],
                total=row["total_sum"] or 0,
                count=row["count_sum"] or 0,
            )
            for row in sums.iterator()
        )
        month = following


def refresh_window(
    *,
    source: str,
    organization_ids: Sequence[int],
    date_from: datetime.date,
    date_to: datetime.date,
    zone: str,
    daily: bool = True,
    stocks: bool = True,
) -> None:
    """Recompute ``source``'s measures of these organizations (one time zone) for these local days and months.

    Flows and histograms: their day rows in the window, then the month rows of every month the window touches.
    Stocks: every month from ``date_from``'s to the current one (a change on a day moves every later month end).
    """
    tz = ZoneInfo(zone)
    today = _today(tz)
    date_to = min(date_to, today)
    if date_from > date_to or not organization_ids:
        return
    organization_ids = tuple(sorted(organization_ids))
    window = registry.Window(organization_ids, date_from, date_to, tz)
    daily_measures = [m for m in registry.measures(source) if daily and m.kind != registry.STOCK]
    stock_measures = [m for m in registry.measures(source) if stocks and m.kind == registry.STOCK]
    with transaction.atomic():
        if daily_measures:
            codes = [m.code for m in daily_measures]
            MeasureValue.objects.filter(
                organization_id__in=organization_ids,
                measure__in=codes,
                granularity=Granularity.DAY,
                start__gte=date_from,
                start__lte=date_to,
            ).delete()
            for measure in daily_measures:
                _insert(_day_rows(measure, window))
            _roll_up_months(codes, organization_ids, date_from, date_to)
        if stock_measures:
            stock_window = registry.Window(organization_ids, _month_start(date_from), today, tz)
            MeasureValue.objects.filter(
                organization_id__in=organization_ids,
                measure__in=[m.code for m in stock_measures],
                granularity=Granularity.MONTH,
                start__gte=stock_window.date_from,
            ).delete()
            for measure in stock_measures:
                _insert(_stock_rows(measure, stock_window, today))


def _stock_rows(measure: registry.Measure, window: registry.Window, today: datetime.date):
    allowed = set(window.organization_ids)
    months = {month for month, _as_of in window.month_ends(today)}
    for organization_id, month, total, count in measure.compute(window, today=today):
        if organization_id not in allowed or month not in months:
            raise ValueError(f"stock {measure.code} returned a row outside its window: {month}")
        if not count and not total:
            continue
        yield MeasureValue(
            organization_id=organization_id,
            measure=measure.code,
            granularity=Granularity.MONTH,
            start=month,
            total=total or 0,
            count=count or 0,
        )


def kpi_refresh_stocks(*, organization_ids: Sequence[int] | None = None) -> int:
    """Recompute the stocks of yesterday's and today's months (run after every local midnight).

    A stock changes without any service touching it: an application becomes overdue when its due date passes, and
    the month that just ended keeps its value as of its last day. Returns how many organizations were refreshed.
    """
    refreshed = 0
    with scopes_disabled():
        for zone, ids in sorted(_zones(organization_ids).items()):
            today = _today(ZoneInfo(zone))
            for code in registry.sources():
                refresh_window(
                    source=code,
                    organization_ids=ids,
                    date_from=today - datetime.timedelta(days=1),
                    date_to=today,
                    zone=zone,
                    daily=False,
                )
            refreshed += len(ids)
    return refreshed


def _runs(days: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive days as (first, last) runs: touches of 1 and 3 March and 2 June give three small windows."""
    runs: list[list[datetime.date]] = []
    for day in sorted(set(days)):
        if runs and day - runs[-1][1] <= datetime.timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


def kpi_refresh_touched(*, organization_id: int | None = None) -> int:
    """Recompute the days marked by :func:`kpi_touch` (of one organization, or all); returns how many marks.

    One organization at a time, each in its own transaction: its marks are locked with a query on its organization
    alone, which Citus runs on the one shard that holds them (it refuses ``FOR UPDATE`` across shards)."""
    if organization_id is not None:
        return _refresh_touched_of(organization_id)
    with scopes_disabled():
        organization_ids = sorted(set(KpiTouch.objects.order_by().values_list("organization_id", flat=True)))
    return sum(_refresh_touched_of(org_id) for org_id in organization_ids)


def _refresh_touched_of(organization_id: int) -> int:
    with scopes_disabled(), transaction.atomic():
        marks = list(
            KpiTouch.objects.filter(organization_id=organization_id)
            .select_for_update(skip_locked=True)
            .values_list("pk", "organization_id", "source", "day")
        )
        if not marks:
            return 0
        zones = {org_id: zone for zone, ids in _zones({m[1] for m in marks}).items() for org_id in ids}
        todays = {zone: _today(ZoneInfo(zone)) for zone in set(zones.values())}
        # A day still ahead (a route planned for tomorrow) keeps its mark until it comes: a window ends today.
        marks = [mark for mark in marks if mark[3] <= todays[zones[mark[1]]]]
        if not marks:
            return 0
        KpiTouch.objects.filter(organization_id=organization_id, pk__in=[pk for pk, *_rest in marks]).delete()
        by_key: dict[tuple[int, str], list[datetime.date]] = defaultdict(list)
        for _pk, org_id, source, day in marks:
            by_key[(org_id, source)].append(day)
        for (org_id, source), days in sorted(by_key.items()):
            if source not in registry.sources():
                continue
            for first, last in _runs(days):
                refresh_window(
                    source=source,
                    organization_ids=[org_id],
                    date_from=first,
                    date_to=last,
                    zone=zones[org_id],
                )
        return len(marks)


def kpi_rebuild(
    *,
    organization_ids: Sequence[int] | None = None,
    sources: Sequence[str] | None = None,
    progress=None,
) -> dict[str, int]:
    """Recompute every stored measure from the raw data; returns the rows written per source."""
    chosen = [code for code in registry.sources() if sources is None or code in sources]
    written: dict[str, int] = {}
    with scopes_disabled():
        for zone, ids in sorted(_zones(organization_ids).items()):
            tz = ZoneInfo(zone)
            today = _today(tz)
            for code in chosen:
                source = registry.sources()[code]
                codes = [m.code for m in registry.measures(code)]
                with transaction.atomic():
                    MeasureValue.objects.filter(organization_id__in=ids, measure__in=codes).delete()
                    # Marks of days still ahead stay (a rebuild stops at today).
                    KpiTouch.objects.filter(organization_id__in=ids, source=code, day__lte=today).delete()
                first = source.first_day(ids)
                if first is None:
                    continue
                start = first
                while start <= today:
                    end = min(start + datetime.timedelta(days=REBUILD_WINDOW_DAYS - 1), today)
                    # Whole months per window, so that a month's roll-up sees all its days.
                    end = min(_next_month(_month_start(end)) - datetime.timedelta(days=1), today)
                    refresh_window(
                        source=code,
                        organization_ids=ids,
                        date_from=start,
                        date_to=end,
                        zone=zone,
                        stocks=False,
                    )
                    if progress:
                        progress(code, zone, end)
                    start = end + datetime.timedelta(days=1)
                refresh_window(
                    source=code, organization_ids=ids, date_from=first, date_to=today, zone=zone, daily=False
                )
                written[code] = (
                    written.get(code, 0)
                    + MeasureValue.objects.filter(organization_id__in=ids, measure__in=codes).count()
                )
    _analyze(MeasureValue)
    return written


def _analyze(model) -> None:
    """Fresh planner statistics after rewriting a table wholesale: until autovacuum comes round, PostgreSQL would
    plan the dashboards' reads for the table as it was (measured: 178 ms against 69 ms for the same read)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def stored_summary(organization_ids: Sequence[int] | None = None) -> dict:
    """Counts and span of the stored values (for the rebuild command's report and the tests)."""
    with scopes_disabled():
        values = MeasureValue.objects.all()
        if organization_ids is not None:
            values = values.filter(organization_id__in=organization_ids)
        return values.aggregate(rows=Count("pk"), first=Min("start"), last=Max("start"))


@transaction.atomic
def open_data_set(*, actor, organization, published: bool) -> OpenDataPublication:
    """Publish (or withdraw) the organization's open-data page; idempotent, audited."""
    publication, _created = OpenDataPublication.objects.select_for_update().get_or_create(
        organization=organization
    )
    if publication.is_published != published or _created:
        publication.is_published = published
        publication._history_user = actor
        publication.save(update_fields=["is_published", "changed_at"])
    return publication


# --- Funder projects' indicators ------------------------------------------------------------------------------------

MAX_INDICATOR_VALUE = Decimal("999999999999")


def _indicator_number(value, field: str) -> Decimal | None:
    """An indicator value: any number (a share, a count, an amount) with at most four decimals, or None."""
    if value in (None, ""):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise DomainError(_("Write a number, e.g. 75 or 12.5."), code="number_format", field=field)
    if abs(number) > MAX_INDICATOR_VALUE:
        raise DomainError(_("This number is too large."), code="number_too_large", field=field)
    if number != number.quantize(Decimal("0.0001")):
        raise DomainError(_("At most four decimal places."), code="number_places", field=field)
    return number


def _indicator_date(value, field: str):
    with field_rule(field):
        return check_date(value)


def _require_project(organization) -> None:
    if organization.kind != OrganizationKind.FUNDER_PROJECT:
        raise DomainError(_("Only a funder project keeps indicators."), code="not_a_project")


def _require_site(project, site) -> None:
    funded = Oversight.objects.filter(overseer=project, overseen=site, kind=OversightKind.FUNDING).exists()
    if site is None or not funded:
        raise DomainError(
            _("Choose one of the project's pilot sites."), code="not_a_pilot_site", field="site"
        )


@transaction.atomic
def indicator_save(
    *,
    actor,
    organization,
    indicator: Indicator | None = None,
    code: str,
    name: str,
    kpi: str = "",
    unit: str = "",
    description: str = "",
) -> Indicator:
    """Add an indicator to a funder project, or change one; the code is unique within the project."""
    _require_project(organization)
    code, name, kpi = (code or "").strip(), (name or "").strip(), (kpi or "").strip()
    if not code:
        raise DomainError(
            _("Give the indicator its code from the project document."), code="required", field="code"
        )
    if not name:
        raise DomainError(_("Name the indicator."), code="required", field="name")
    if kpi and registry.kpi(kpi) is None:
        raise DomainError(_("Choose a figure from the list."), code="unknown_kpi", field="kpi")
    clash = Indicator.objects.filter(organization=organization, code=code)
    if indicator is not None:
        clash = clash.exclude(pk=indicator.pk)
    if clash.exists():
        raise DomainError(
            _("The project already has an indicator %(code)s.") % {"code": code},
            code="duplicate",
            field="code",
        )
    if indicator is None:
        indicator = Indicator(organization=organization)
    elif indicator.organization_id != organization.pk:
        raise DomainError(_("This indicator belongs to another project."), code="other_organization")
    indicator.code, indicator.name, indicator.kpi = code, name[:300], kpi
    indicator.unit, indicator.description = (unit or "").strip()[:30], (description or "").strip()[:2000]
    indicator._history_user = actor
    if indicator.pk:
        indicator.save(update_fields=["code", "name", "kpi", "unit", "description"])
    else:
        indicator.save()
    return indicator


@transaction.atomic
def indicator_target_set(
    *, actor, indicator: Indicator, site, baseline=None, baseline_date=None, target=None, target_date=None
) -> IndicatorTarget:
    """Set (or change) an indicator's baseline and target at one pilot site of the project."""
    project = indicator.organization
    _require_site(project, site)
    values = {
        "baseline": _indicator_number(baseline, "baseline"),
        "baseline_date": _indicator_date(baseline_date, "baseline_date"),
        "target": _indicator_number(target, "target"),
        "target_date": _indicator_date(target_date, "target_date"),
    }
    if values["baseline_date"] and values["target_date"] and values["target_date"] < values["baseline_date"]:
        raise DomainError(
            _("The target date cannot come before the baseline date."),
            code="dates_order",
            field="target_date",
        )
    target_row = (
        IndicatorTarget.objects.select_for_update()
        .filter(organization=project, indicator=indicator, site=site)
        .first()
    )
    if target_row is None:
        target_row = IndicatorTarget(organization=project, indicator=indicator, site=site, **values)
        target_row._history_user = actor
        target_row.save()
        return target_row
    for name, value in values.items():
        setattr(target_row, name, value)
    target_row._history_user = actor
    target_row.save(update_fields=list(values))
    return target_row


@transaction.atomic
def indicator_result_record(
    *, actor, indicator: Indicator, site, as_of, value, source: str = ""
) -> IndicatorResult:
    """Record an actual value of an indicator that no KPI measures, at a pilot site, as of a day (again: replaced)."""
    project = indicator.organization
    if indicator.kpi:
        raise DomainError(
            _("Khizmat computes this indicator from its figures; its actual values cannot be typed in."),
            code="computed_indicator",
        )
    _require_site(project, site)
    number = _indicator_number(value, "value")
    if number is None:
        raise DomainError(_("Write the value."), code="required", field="value")
    with field_rule("as_of"):
        day = check_date(as_of, latest=local_today(project))
    if day is None:
        raise DomainError(_("Give the date of the value."), code="required", field="as_of")
    result = (
        IndicatorResult.objects.select_for_update()
        .filter(organization=project, indicator=indicator, site=site, as_of=day)
        .first()
    )
    if result is None:
        result = IndicatorResult(organization=project, indicator=indicator, site=site, as_of=day)
    result.value, result.source = number, (source or "").strip()[:200]
    result._history_user = actor
    if result.pk:
        result.save(update_fields=["value", "source"])
    else:
        result.save()
    return result
