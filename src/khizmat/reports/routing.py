"""Which organization handles a report at a place: the service area (polygon or settlement radius) that contains
the point and covers the report type; otherwise the triage organization (``REPORTS_TRIAGE_ORGANIZATION``)."""

import math

from django.conf import settings
from django.db.models import Max

from khizmat.core.search import search_key
from khizmat.core.translated import first_filled, name_columns
from khizmat.reports.models import ReportType, ServiceArea
from khizmat.tenancy.models import Organization, Settlement
from khizmat.tenancy.scoping import scopes_disabled

TRIAGE_CODE = "unrouted"


def _inside(polygon: list, lat: float, lng: float) -> bool:
    """Ray casting over ``[[lat, lng], ...]``."""
    inside = False
    points = [(float(p[0]), float(p[1])) for p in polygon]
    for (lat1, lng1), (lat2, lng2) in zip(points, points[1:] + points[:1], strict=False):
        if (lng1 > lng) != (lng2 > lng):
            crossing = lat1 + (lng - lng1) * (lat2 - lat1) / (lng2 - lng1)
            if lat < crossing:
                inside = not inside
    return inside


def _km(lat1, lng1, lat2, lng2) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (lat1, lng1, lat2, lng2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _match(area: ServiceArea, code: str, lat: float, lng: float) -> tuple[int, float] | None:
    """``(rank, distance)`` when the area covers ``code`` at the point (polygons rank before radii), else None."""
    if not area.handles(code):
        return None
    if area.polygon and _inside(area.polygon, lat, lng):
        return (0, 0.0)
    if area.settlement_id and area.settlement.latitude is not None:
        distance = _km(lat, lng, float(area.settlement.latitude), float(area.settlement.longitude))
        if distance <= float(area.radius_km):
            return (1, distance)
    return None


def find_handler(*, code: str, lat: float, lng: float) -> tuple[Organization, ReportType] | None:
    """The organization (and its report type) responsible for ``code`` at the point, polygons before radii.

    Reads service areas of every organization: routing happens before a tenant is known (a deliberate
    ``scopes_disabled`` place).
    """
    with scopes_disabled():
        areas = ServiceArea.objects.filter(is_active=True, organization__is_active=True).select_related(
            "settlement"
        )
        matches = [(match, area) for area in areas if (match := _match(area, code, lat, lng)) is not None]
        for _match_rank, area in sorted(matches, key=lambda m: m[0]):
            report_type = ReportType.objects.filter(
                organization=area.organization_id, code=code, is_active=True
            ).first()
            if report_type is not None:
                return area.organization, report_type
    return None


def routable_settlements():
    """Settlements that some active service area is drawn around: the places a report can be routed to by name
    when the citizen gives an address instead of a point on the map."""
    with scopes_disabled():
        ids = ServiceArea.objects.filter(
            is_active=True, organization__is_active=True, settlement__isnull=False
        ).values_list("settlement_id", flat=True)
        return Settlement.objects.filter(pk__in=list(ids)).select_related("district").order_by("name")


def settlement_in_address(address: str) -> Settlement | None:
    """The routable settlement whose name (in any language or script, or a known alias) is written in the
    address; the longest name wins ("Kara-Suu" before "Kara")."""
    words = f" {search_key(address)} "
    best, best_length = None, 0
    for settlement in routable_settlements():
        for key in filter(None, settlement.search_key.split("|")):
            if len(key) > best_length and f" {key} " in words:
                best, best_length = settlement, len(key)
    return best


def find_handler_by_settlement(
    *, code: str, settlement: Settlement
) -> tuple[Organization, ReportType] | None:
    """The organization responsible for ``code`` in a settlement: a service area drawn around it, else the area
    (polygon or radius) that contains its centre."""
    with scopes_disabled():
        for area in ServiceArea.objects.filter(
            is_active=True, organization__is_active=True, settlement=settlement
        ).order_by("pk"):
            if not area.handles(code):
                continue
            report_type = ReportType.objects.filter(
                organization=area.organization_id, code=code, is_active=True
            ).first()
            if report_type is not None:
                return area.organization, report_type
    if settlement.latitude is None or settlement.longitude is None:
        return None
    return find_handler(code=code, lat=float(settlement.latitude), lng=float(settlement.longitude))


def triage_target() -> tuple[Organization, ReportType] | None:
    """The triage organization and its "not yet routed" type, created on first use."""
    code = getattr(settings, "REPORTS_TRIAGE_ORGANIZATION", "")
    organization = Organization.objects.filter(code=code, is_active=True).first() if code else None
    if organization is None:
        return None
    with scopes_disabled():
        report_type, _created = ReportType.objects.get_or_create(
            organization=organization,
            code=TRIAGE_CODE,
            defaults={
                "name": "Not yet routed",
                "name_ru": "Не распределено",
                "name_ky": "Бөлүштүрүлө элек",
                "name_uz": "Taqsimlanmagan",
                "name_uz_cyrl": "Тақсимланмаган",
                "resolution_working_days": 2,
            },
        )
    return organization, report_type


def known_problem_codes() -> list[tuple[str, str]]:
    """Report type codes offered on the national portal, with a name in the reader's language: one row per code
    (the organizations of a country share a few codes), each language's name the greatest any organization gave."""
    columns = name_columns()
    with scopes_disabled():
        rows = (
            ReportType.objects.filter(is_active=True)
            .exclude(code=TRIAGE_CODE)
            .values("code")
            .annotate(**{f"name_{index}": Max(column) for index, column in enumerate(columns)})
            .order_by()
        )
        names = {row["code"]: first_filled(row, [f"name_{i}" for i in range(len(columns))]) for row in rows}
    return sorted(names.items(), key=lambda item: item[1])


# --- Forwarding: which reports may leave their organization, and where to -------------------------------------------


def is_triage_organization(organization) -> bool:
    code = getattr(settings, "REPORTS_TRIAGE_ORGANIZATION", "")
    return bool(code) and organization.code == code


def _point(report) -> tuple[float, float] | None:
    if report.latitude is None or report.longitude is None:
        return None
    return float(report.latitude), float(report.longitude)


def report_is_misrouted(report) -> bool:
    """The report sits at an organization that is not the right one: none of its service areas covers the type, or
    the place lies outside its areas for that type and inside another organization's."""
    code = report.report_type.code
    point = _point(report)
    with scopes_disabled():
        own = list(
            ServiceArea.objects.filter(organization=report.organization_id, is_active=True).select_related(
                "settlement"
            )
        )
        if own and not any(area.handles(code) for area in own):
            return True
        if point is None:
            return False
        if any(_match(area, code, *point) for area in own):
            return False
    handler = find_handler(code=code, lat=point[0], lng=point[1])
    return handler is not None and handler[0].pk != report.organization_id


def report_may_be_forwarded(report) -> bool:
    """An open report may be forwarded from the triage organization (any report it holds), when it is ``unrouted``,
    or when it is misrouted (:func:`report_is_misrouted`)."""
    if not report.is_open:
        return False
    if is_triage_organization(report.organization) or report.report_type.code == TRIAGE_CODE:
        return True
    return report_is_misrouted(report)


def forward_targets(report) -> list[tuple[Organization, ReportType]]:
    """Where the report may go: another active organization with an active service area covering the type and an
    active report type of that code. Per type: when some organization's area covers the report's place, only those;
    otherwise organizations of the report's country. A misrouted report keeps its type; a triage report may take
    any type."""
    if not report.is_open:
        return []
    triage = is_triage_organization(report.organization) or report.report_type.code == TRIAGE_CODE
    point = _point(report)
    with scopes_disabled():
        areas = (
            ServiceArea.objects.filter(is_active=True, organization__is_active=True)
            .exclude(organization=report.organization_id)
            .select_related("settlement", "organization")
        )
        types = (
            ReportType.objects.filter(is_active=True, organization__is_active=True)
            .exclude(organization=report.organization_id)
            .exclude(code=TRIAGE_CODE)
        )
        if not triage:
            types = types.filter(code=report.report_type.code)
        types = list(types.select_related("organization").order_by("organization__name", "name"))
        areas = list(areas)
    by_place: dict[str, list] = {}
    by_country: dict[str, list] = {}
    for report_type in types:
        own_areas = [a for a in areas if a.organization_id == report_type.organization_id]
        if not any(a.handles(report_type.code) for a in own_areas):
            continue
        target = (report_type.organization, report_type)
        if point is not None and any(_match(a, report_type.code, *point) for a in own_areas):
            by_place.setdefault(report_type.code, []).append(target)
        elif report_type.organization.country_id == report.organization.country_id:
            by_country.setdefault(report_type.code, []).append(target)
    targets = []
    for code in sorted(set(by_place) | set(by_country)):
        targets.extend(by_place.get(code) or by_country[code])
    return targets
