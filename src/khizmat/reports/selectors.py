import datetime
import math
from decimal import Decimal

from django.utils import timezone

from khizmat.core.translated import first_filled, name_columns
from khizmat.reports.choices import OPEN311_OPEN
from khizmat.reports.models import Report, ReportType, ReportUpdate
from khizmat.tenancy.models import Organization
from khizmat.tenancy.scoping import scopes_disabled

DUPLICATE_RADIUS_METERS = 50
DUPLICATE_DAYS = 14


def report_type_list_active(*, organization):
    return ReportType.objects.filter(organization=organization, is_active=True).order_by("code")


def report_list(*, organization, status: str = "", report_type=None, overdue_at=None):
    reports = Report.objects.filter(organization=organization).select_related("report_type", "assigned_to")
    if status == "open":
        reports = reports.filter(status__in=OPEN311_OPEN)
    elif status:
        reports = reports.filter(status=status)
    if report_type is not None:
        reports = reports.filter(report_type=report_type)
    if overdue_at is not None:
        reports = reports.filter(status__in=OPEN311_OPEN, expected_at__lt=overdue_at)
    return reports.order_by("-requested_at", "-pk")


def map_points(reports, *, limit: int = 500) -> list[dict]:
    """Markers for the map: position, number, status and type — nothing personal."""
    rows = reports.filter(latitude__isnull=False).values(
        "pk", "number", "status", "latitude", "longitude", "report_type__name"
    )[:limit]
    return [
        {
            "id": row["pk"],
            "number": row["number"],
            "status": row["status"],
            "lat": float(row["latitude"]),
            "lng": float(row["longitude"]),
            "type": row["report_type__name"],
        }
        for row in rows
    ]


def report_duplicates_suggested(*, report: Report) -> list[Report]:
    """Open reports of the same type within about 50 m and two weeks: candidates for merging."""
    if report.latitude is None:
        return []
    # A bounding box narrows the query on the (organization, latitude, longitude) index; distance refines it.
    dlat = Decimal(DUPLICATE_RADIUS_METERS / 111_320)
    dlng = Decimal(
        DUPLICATE_RADIUS_METERS / (111_320 * max(math.cos(math.radians(float(report.latitude))), 0.01))
    )
    since = report.requested_at - datetime.timedelta(days=DUPLICATE_DAYS)
    candidates = Report.objects.filter(
        organization=report.organization_id,
        report_type=report.report_type_id,
        status__in=OPEN311_OPEN,
        latitude__range=(report.latitude - dlat, report.latitude + dlat),
        longitude__range=(report.longitude - dlng, report.longitude + dlng),
        requested_at__gte=since,
    ).exclude(pk=report.pk)
    return [
        c for c in candidates.order_by("requested_at")[:20] if _meters(report, c) <= DUPLICATE_RADIUS_METERS
    ]


def _meters(a: Report, b: Report) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude)))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def report_public_updates(*, report: Report):
    return ReportUpdate.objects.filter(organization=report.organization_id, report=report).order_by(
        "at", "pk"
    )


def recent_public(*, organization, days: int = 30, limit: int = 200):
    since = timezone.now() - datetime.timedelta(days=days)
    return report_list(organization=organization).filter(requested_at__gte=since)[:limit]


def portal_directory() -> list[dict]:
    """The national portal's directory: every active organization that takes reports, as ``{"code", "name",
    "region"}`` in the reader's language, by name. Plain rows: a country's hundreds of organizations as model
    instances (five languages of names each, and their regions) took longer than everything else on the page."""
    names, regions = name_columns(), name_columns("name", "region__")
    with scopes_disabled():
        ids = set(ReportType.objects.filter(is_active=True).values_list("organization_id", flat=True))
        rows = Organization.objects.filter(pk__in=ids, is_active=True).values("pk", "code", *names, *regions)
        directory = [
            {
                "pk": row["pk"],
                "code": row["code"],
                "name": first_filled(row, names),
                "region": first_filled(row, regions),
            }
            for row in rows
        ]
    return sorted(directory, key=lambda row: row["name"])
