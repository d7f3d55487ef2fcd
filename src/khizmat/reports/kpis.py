"""Citizen reports as monitoring measures and KPIs (khizmat.monitoring.registry).

A report is **resolved** when it moves to "resolved", or when staff close it straight from an open status (not by
forwarding it to another organization: that report is resolved there). It is **reopened** when it goes back to an
open status after being resolved or closed (the citizen answers "not solved", or staff reopen it). Both are events
of the report's status log (:class:`~khizmat.reports.models.ReportUpdate`), counted on the local day they happened:
a report resolved, reopened and resolved again counts two resolutions and one reopening, so that

    reopened % = reopenings in the period ÷ resolutions in the period × 100.

Resolution time is the whole hours from the report to each resolution, by the resolution's day. A report is
**overdue** when it is still open past the day it was to be resolved by (``expected_at``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from khizmat.monitoring.registry import (
    HISTOGRAM,
    REPORTS,
    STOCK,
    Kpi,
    Measure,
    Median,
    Percent,
    Records,
    Source,
    Window,
    daily_rows,
    first_local_day,
    register_kpi,
    register_measure,
    register_source,
)
from khizmat.monitoring.registry import (
    Count as CountOf,
)
from khizmat.reports import notes
from khizmat.reports.choices import OPEN311_OPEN, ReportSource, ReportStatus
from khizmat.reports.models import Report, ReportUpdate
from khizmat.tenancy.localtime import local_today, organization_zone
from khizmat.tenancy.models import Organization

SOURCE = "reports"
RESOLUTION_HOURS_CAP = 24 * 90  # a histogram bucket for "90 days or more"
OPEN = tuple(OPEN311_OPEN)
DONE = (ReportStatus.RESOLVED, ReportStatus.CLOSED)
MISSED_PICKUP = (
    "missed-pickup"  # the report type a skipped point of a route files (khizmat.fieldwork.services)
)


class WholeHours(Func):
    """Whole hours from the second datetime to the first, computed by the database (PostgreSQL or SQLite)."""

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600) AS INTEGER)",
            arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        # julianday() counts days as a float: a millionth of an hour keeps 5:00:00 from reading as 4.
        return super().as_sql(
            compiler,
            connection,
            template="CAST((julianday(%(expressions)s)) * 24 + 0.000001 AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _previous_status():
    """The status a report had before this update (its previous update's), in SQL."""
    earlier = (
        ReportUpdate.objects.filter(organization_id=OuterRef("organization_id"), report=OuterRef("report"))
        .filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lt=OuterRef("pk")))
        .order_by("-at", "-pk")
        .values("status")[:1]
    )
    return Subquery(earlier)


def _updates(window: Window):
    return (
        ReportUpdate.objects.filter(
            organization_id__in=window.organization_ids, at__gte=window.start, at__lt=window.end
        )
        .annotate(previous=_previous_status(), local_day=TruncDate("at", tzinfo=window.zone))
        .order_by()
    )


def _resolutions(window: Window):
    """Updates that resolve a report: to "resolved", or to "closed" straight from an open status (not forwarded)."""
    return _updates(window).filter(
        Q(status=ReportStatus.RESOLVED)
        | (Q(status=ReportStatus.CLOSED, previous__in=OPEN) & ~Q(note_code=notes.FORWARDED))
    )


def _first_day(organization_ids) -> datetime.date | None:
    return first_local_day(Report.objects.filter(organization_id__in=organization_ids), "requested_at")


def _received(window: Window):
    return daily_rows(Report.objects.all(), "requested_at", window)


def _grouped(queryset):
    for row in queryset.values("organization_id", "local_day").annotate(n=Count("pk")):
        yield row["organization_id"], row["local_day"], Decimal(0), row["n"]


def _resolved(window: Window):
    return _grouped(_resolutions(window))


def _reopened(window: Window):
    return _grouped(_updates(window).filter(status__in=OPEN, previous__in=DONE))


def _resolution_hours(window: Window):
    """Histogram of whole hours from the report to its resolution, by the resolution's day (one grouped query)."""
    rows = (
        _resolutions(window)
        .annotate(hours=WholeHours("at", "report__requested_at"))
        .values("organization_id", "local_day", "hours")
        .annotate(n=Count("pk"))
    )
    histogram: dict[tuple[int, datetime.date, int], int] = defaultdict(int)
    for row in rows:
        bucket = max(0, min(int(row["hours"] or 0), RESOLUTION_HOURS_CAP))
        histogram[(row["organization_id"], row["local_day"], bucket)] += row["n"]
    for (organization_id, day, bucket), count in histogram.items():
        yield organization_id, day, bucket, count


def _missed_pickups_reported(window: Window):
    """Reports of the missed-pickup type that citizens filed (the crews' own skips are counted on the routes)."""
    reports = Report.objects.filter(report_type__code=MISSED_PICKUP).exclude(source=ReportSource.CREW)
    return daily_rows(reports, "requested_at", window)


def _overdue_as_of(organization_ids, as_of: datetime.date, zone, today: datetime.date | None = None):
    """Reports filed by the end of ``as_of`` that were still open then and whose resolve-by day was before it."""
    start = datetime.datetime.combine(as_of, datetime.time.min, tzinfo=zone)
    end = start + datetime.timedelta(days=1)
    if today is not None and as_of >= today:
        # Today (or later): the status then is the status now, read from the report itself (index
        # report_org_open_expected) instead of from its history, which a national list cannot afford.
        return Report.objects.filter(
            organization_id__in=list(organization_ids),
            requested_at__lt=end,
            expected_at__lt=start,
            status__in=OPEN,
        )
    status_then = (
        ReportUpdate.objects.filter(
            organization_id=OuterRef("organization_id"), report=OuterRef("pk"), at__lt=end
        )
        .order_by("-at", "-pk")
        .values("status")[:1]
    )
    return (
        Report.objects.filter(
            organization_id__in=list(organization_ids), requested_at__lt=end, expected_at__lt=start
        )
        .annotate(status_then=Subquery(status_then))
        .filter(status_then__in=OPEN)
    )


def _overdue(window: Window, *, today: datetime.date):
    """Reports overdue at the end of each month (or now, for the current month)."""
    for month, as_of in window.month_ends(today):
        rows = (
            _overdue_as_of(window.organization_ids, as_of, window.zone, today)
            .values("organization_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            yield row["organization_id"], month, Decimal(0), row["n"]


def _overdue_records(organization_ids, date_from, date_to):
    """The records behind the overdue figure of a period: overdue at its end (or now)."""
    first = Organization.objects.filter(pk__in=list(organization_ids)).select_related("country").first()
    zone = organization_zone(first)
    as_of = min(date_to, local_today(first)) if first else date_to
    return (
        _overdue_as_of(organization_ids, as_of, zone, local_today(first) if first else None)
        .select_related("report_type", "organization", "organization__settlement")
        .order_by("expected_at", "pk")
    )


def _settlement(report) -> str:
    settlement = report.organization.settlement
    return settlement.name if settlement else ""


def _report_url(report) -> str:
    return reverse("reports:report_detail", args=[report.pk])


# No reporter's name, phone, description, address or photo: monitors read these rows too.
REPORT_COLUMNS = (
    (_("Number"), "number"),
    (_("Type"), "report_type.name"),
    (_("Status"), "get_status_display"),
    (_("Reported"), "requested_at"),
    (_("Resolve by"), "expected_at"),
    (_("Organization"), "organization.name"),
    (_("Settlement"), _settlement),
)

register_source(Source(SOURCE, _("Citizen reports"), _first_day))
register_measure(Measure("reports.received", SOURCE, _("Reports received"), _received))
register_measure(Measure("reports.resolved", SOURCE, _("Reports resolved"), _resolved))
register_measure(Measure("reports.reopened", SOURCE, _("Reports reopened"), _reopened))
register_measure(
    Measure(
        "reports.resolution_hours",
        SOURCE,
        _("Hours from a report to its resolution"),
        _resolution_hours,
        kind=HISTOGRAM,
    )
)
register_measure(Measure("reports.overdue", SOURCE, _("Overdue reports"), _overdue, kind=STOCK))
register_measure(
    Measure(
        "reports.missed_pickup_reports",
        SOURCE,
        _("Missed pickups reported by citizens"),
        _missed_pickups_reported,
    )
)

register_kpi(
    Kpi(
        "reports.received",
        REPORTS,
        _("Reports received"),
        _("citizen reports filed in the period"),
        "count",
        CountOf("reports.received"),
        better="",
        public=True,
    )
)
register_kpi(
    Kpi(
        "reports.resolved",
        REPORTS,
        _("Reports resolved"),
        _("reports marked resolved (or closed by staff from an open status) in the period"),
        "count",
        CountOf("reports.resolved"),
        public=True,
    )
)
register_kpi(
    Kpi(
        "reports.median_resolution_hours",
        REPORTS,
        _("Median resolution time"),
        _("median of whole hours from the report to its resolution, over the resolutions in the period"),
        "hours",
        Median("reports.resolution_hours"),
        better="lower",
        public=True,
    )
)
register_kpi(
    Kpi(
        "reports.reopened",
        REPORTS,
        _("Reopened"),
        _("reports reopened after resolution ÷ reports resolved, in the period × 100"),
        "percent",
        Percent("reports.reopened", "reports.resolved"),
        better="lower",
    )
)
register_kpi(
    Kpi(
        "reports.overdue",
        REPORTS,
        _("Overdue reports"),
        _("reports still open after their resolve-by day, at the end of the period"),
        "count",
        CountOf("reports.overdue"),
        better="lower",
        records=Records(_overdue_records, REPORT_COLUMNS, _report_url),
    )
)
