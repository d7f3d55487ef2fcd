"""The service center's applications as monitoring measures and KPIs (khizmat.monitoring.registry).

Completed means *decided* (approved or rejected): the legal deadline is the decision's. Days are the organization's
local days; working days follow its country's calendar (khizmat.tenancy.calendar).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from khizmat.monitoring.registry import (
    HISTOGRAM,
    SERVICE_CENTER,
    STOCK,
    Kpi,
    Measure,
    Median,
    Percent,
    Records,
    Source,
    StandardsTable,
    Window,
    daily_rows,
    first_local_day,
    register_kpi,
    register_measure,
    register_source,
    register_standards,
)
from khizmat.monitoring.registry import (
    Count as CountOf,
)
from khizmat.services.choices import ApplicationStatus
from khizmat.services.models import Application
from khizmat.tenancy.calendar import working_days_between
from khizmat.tenancy.localtime import local_today, organization_zone
from khizmat.tenancy.models import Organization

SOURCE = "applications"
DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)
WORKING_DAYS_CAP = 120  # a histogram bucket for "120 working days or more"


def _first_day(organization_ids) -> datetime.date | None:
    return first_local_day(Application.objects.filter(organization_id__in=organization_ids), "received_at")


def _received(window: Window):
    return daily_rows(Application.objects.all(), "received_at", window)


def _decided(window: Window):
    return daily_rows(Application.objects.all(), "decided_at", window)


def _decided_on_time(window: Window):
    rows = (
        Application.objects.filter(
            organization_id__in=window.organization_ids,
            decided_at__gte=window.start,
            decided_at__lt=window.end,
        )
        .annotate(local_day=TruncDate("decided_at", tzinfo=window.zone))
        .filter(local_day__lte=F("due_date"))
        .values("organization_id", "local_day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        yield row["organization_id"], row["local_day"], Decimal(0), row["n"]


def _working_days(window: Window):
    """Histogram of working days from receipt to decision, by the day of the decision.

    Grouped in SQL by (received day, decided day) first, so the calendar is consulted once per pair of days.
    """
    rows = (
        Application.objects.filter(
            organization_id__in=window.organization_ids,
            decided_at__gte=window.start,
            decided_at__lt=window.end,
        )
        .annotate(
            received_day=TruncDate("received_at", tzinfo=window.zone),
            decided_day=TruncDate("decided_at", tzinfo=window.zone),
        )
        .values("organization_id", "received_day", "decided_day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    countries = {
        org.pk: org.country
        for org in Organization.objects.filter(pk__in=window.organization_ids).select_related("country")
    }
    cache: dict[tuple[int, datetime.date, datetime.date], int] = {}
    histogram: dict[tuple[int, datetime.date, int], int] = defaultdict(int)
    for row in rows:
        org = row["organization_id"]
        country = countries[org]
        key = (country.pk, row["received_day"], row["decided_day"])
        if key not in cache:
            cache[key] = min(
                working_days_between(country, row["received_day"], row["decided_day"]), WORKING_DAYS_CAP
            )
        histogram[(org, row["decided_day"], cache[key])] += row["n"]
    for (org, day, bucket), count in histogram.items():
        yield org, day, bucket, count


def _overdue_as_of(organization_ids, as_of: datetime.date, zone, today: datetime.date | None = None):
    """Applications received by the end of ``as_of``, undecided and unfinished then, whose due date had passed."""
    end = datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    applications = Application.objects.filter(
        organization_id__in=list(organization_ids), received_at__lt=end, due_date__lt=as_of
    )
    if today is not None and as_of >= today:
        # Today (or later): nothing is decided or finished after the day's end yet, so "undecided then" is
        # "undecided now" — the form the partial index application_org_undecided_due serves.
        return applications.filter(decided_at__isnull=True, finished_at__isnull=True)
    return applications.filter(Q(decided_at__isnull=True) | Q(decided_at__gte=end)).filter(
        Q(finished_at__isnull=True) | Q(finished_at__gte=end)
    )


def _overdue(window: Window, *, today: datetime.date):
    """Applications overdue at the end of each month (or now, for the current month)."""
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
    organizations = Organization.objects.filter(pk__in=list(organization_ids)).select_related("country")
    first = organizations.first()
    zone = organization_zone(first)
    as_of = min(date_to, local_today(first)) if first else date_to
    return (
        _overdue_as_of(organization_ids, as_of, zone, local_today(first) if first else None)
        .select_related("service", "organization")
        .order_by("due_date", "pk")
    )


def _application_url(application) -> str:
    return reverse("services:application_detail", args=[application.pk])


APPLICATION_COLUMNS = (
    (_("Number"), "number"),
    (_("Organization"), "organization.name"),
    (_("Service"), "service.name"),
    (_("Received"), "received_at"),
    (_("Due date"), "due_date"),
    (_("Status"), "get_status_display"),
)

register_source(Source(SOURCE, _("Applications"), _first_day))
register_measure(Measure("applications.received", SOURCE, _("Applications received"), _received))
register_measure(Measure("applications.decided", SOURCE, _("Applications decided"), _decided))
register_measure(
    Measure(
        "applications.decided_on_time", SOURCE, _("Applications decided by the due date"), _decided_on_time
    )
)
register_measure(
    Measure(
        "applications.working_days",
        SOURCE,
        _("Working days from receipt to decision"),
        _working_days,
        kind=HISTOGRAM,
    )
)
register_measure(Measure("applications.overdue", SOURCE, _("Overdue applications"), _overdue, kind=STOCK))

register_kpi(
    Kpi(
        "applications.received",
        SERVICE_CENTER,
        _("Applications received"),
        _("applications registered in the period"),
        "count",
        CountOf("applications.received"),
        better="",
        public=True,
    )
)
register_kpi(
    Kpi(
        "applications.completed",
        SERVICE_CENTER,
        _("Applications completed"),
        _("applications decided (approved or rejected) in the period"),
        "count",
        CountOf("applications.decided"),
        public=True,
    )
)
register_kpi(
    Kpi(
        "applications.on_time",
        SERVICE_CENTER,
        _("Completed on time"),
        _("decided by the due date ÷ decided × 100"),
        "percent",
        Percent("applications.decided_on_time", "applications.decided"),
        public=True,
    )
)
register_kpi(
    Kpi(
        "applications.median_working_days",
        SERVICE_CENTER,
        _("Median processing time"),
        _("median of working days from receipt to decision, over the applications decided in the period"),
        "days",
        Median("applications.working_days"),
        better="lower",
        public=True,
    )
)
register_kpi(
    Kpi(
        "applications.overdue",
        SERVICE_CENTER,
        _("Overdue applications"),
        _("undecided applications past their due date at the end of the period"),
        "count",
        CountOf("applications.overdue"),
        better="lower",
        records=Records(_overdue_records, APPLICATION_COLUMNS, _application_url),
    )
)


def _service_standards(organization):
    """The published standard of each active service: its legal deadline in working days and its fee."""
    from khizmat.services.models import Service

    services = Service.objects.filter(organization=organization, is_active=True).order_by("category", "code")
    return StandardsTable(
        str(_("Services and their standards")),
        (str(_("Service")), str(_("Deadline, working days")), str(_("Fee"))),
        [
            (
                service.name,
                service.deadline_working_days,
                f"{service.fee:,.0f} {service.currency}".replace(",", " "),
            )
            for service in services
        ],
    )


register_standards(_service_standards)
