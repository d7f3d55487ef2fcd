"""Open311 GeoReport v2 at ``/open311/v2/``: public reads, writes with a client API key, ``jurisdiction_id`` =
organization code. Every refusal is the standard error body with a 4xx status.
"""

import datetime
import functools
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.core import is_ratelimited

from khizmat.core.errors import DomainError
from khizmat.reports import services
from khizmat.reports.choices import OPEN311_OPEN, ReportSource, open311_status
from khizmat.reports.models import Open311Client, Report, ReportType
from khizmat.reports.notes import render_note
from khizmat.reports.open311.render import error, respond
from khizmat.tenancy.localtime import activate_for
from khizmat.tenancy.scoping import scope
from khizmat.tenancy.selectors import active_organization_by_code

WINDOW = datetime.timedelta(days=90)
MAX_RESULTS = 1000
FORMATS = ("json", "xml")
ATTRIBUTE_PARAM = re.compile(r"attribute\[([^\]]+)\](?:\[\])?")


def _jurisdiction(request):
    code = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    return active_organization_by_code(code)


def open311_view(handler):
    """Common frame: format check, jurisdiction, scope, rate limit, and 4xx error bodies for domain errors."""

    @csrf_exempt
    def view(request, fmt: str, **kwargs):
        if fmt not in FORMATS:
            return error(404, _("Unknown format: use .json or .xml."), fmt="json")
        if is_ratelimited(request, group="open311", key="ip", rate=settings.OPEN311_RATE, increment=True):
            return error(429, _("Too many requests. Try again in a minute."), fmt=fmt)
        if handler.__name__ == "discovery":
            return handler(request, None, fmt, **kwargs)
        organization = _jurisdiction(request)
        if organization is None:
            if not (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip():
                return error(400, _("jurisdiction_id is required."), fmt=fmt)
            return error(404, _("Unknown jurisdiction_id."), fmt=fmt)
        activate_for(organization)
        with scope(organization=[organization.pk]):
            try:
                return handler(request, organization, fmt, **kwargs)
            except DomainError as exc:
                status = 404 if exc.code == "unknown_service" else 400
                return error(status, exc.message, fmt=fmt)

    view.__name__ = handler.__name__
    return view


def _service(report_type: ReportType) -> dict:
    return {
        "service_code": report_type.code,
        "service_name": report_type.name,
        "description": report_type.description,
        "metadata": bool(report_type.attributes),
        "type": "realtime",
        "keywords": report_type.keywords,
        "group": report_type.group,
    }


@open311_view
def discovery(request, organization, fmt):
    base = request.build_absolute_uri(reverse("open311:services", kwargs={"fmt": "json"})).rsplit("/", 1)[0]
    return respond(
        {
            "changeset": "2026-11-01T00:00:00Z",
            "contact": settings.OPEN311_CONTACT,
            "key_service": settings.OPEN311_KEY_SERVICE,
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2026-11-01T00:00:00Z",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        root="discovery",
        fmt=fmt,
    )


@open311_view
def services_list(request, organization, fmt):
    types = ReportType.objects.filter(organization=organization, is_active=True).order_by("code")
    return respond([_service(t) for t in types], root="services", fmt=fmt)


@open311_view
def service_definition(request, organization, fmt, code: str):
    report_type = ReportType.objects.filter(organization=organization, code=code, is_active=True).first()
    if report_type is None:
        return error(404, _("Unknown service_code."), fmt=fmt)
    attributes = [
        {
            "variable": True,
            "code": item.get("code"),
            "datatype": item.get("datatype", "string"),
            "required": bool(item.get("required")),
            "datatype_description": item.get("datatype_description", ""),
            "order": item.get("order", index + 1),
            "description": item.get("description", ""),
            "values": [{"key": v.get("key"), "name": v.get("name")} for v in item.get("values", [])],
        }
        for index, item in enumerate(report_type.attributes or [])
    ]
    return respond(
        {"service_code": report_type.code, "attributes": attributes}, root="service_definition", fmt=fmt
    )


def _request_row(row: dict, types: dict[int, tuple[str, str]], agency: str, names: dict) -> dict:
    code, name = types.get(row["report_type_id"], (None, None))
    note = render_note(row["note_code"], row["note_params"], row["public_note"], names=names)
    return {
        "service_request_id": row["number"],
        "status": open311_status(row["status"]),
        "status_notes": note or None,
        "service_name": name,
        "service_code": code,
        "description": row["description"] or None,
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _w3c(row["requested_at"]),
        "updated_datetime": _w3c(row["updated_at"]),
        "expected_datetime": _w3c(row["expected_at"]),
        "address": row["address"] or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(row["latitude"]) if row["latitude"] is not None else None,
        "long": float(row["longitude"]) if row["longitude"] is not None else None,
        "media_url": None,
    }


def _w3c(value) -> str | None:
    if not value:
        return None
    if value.utcoffset():  # rows come back in UTC from the database; convert only when they do not
        value = value.astimezone(datetime.UTC)
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


ROW_FIELDS = (
    "number",
    "status",
    "public_note",
    "note_code",
    "note_params",
    "report_type_id",
    "description",
    "requested_at",
    "updated_at",
    "expected_at",
    "address",
    "latitude",
    "longitude",
)


# (organization, language) → (expires, {type id: (code, name)}): a process's copy of the few report types of each
# jurisdiction, kept as long as list answers are (OPEN311_LIST_CACHE_SECONDS; a renamed type shows within that).
_TYPE_NAMES: dict[tuple[int, str], tuple[float, dict[int, tuple[str, str]]]] = {}


def _type_names(organization) -> dict[int, tuple[str, str]]:
    """Code and translated name of every report type of the organization (names resolved once, not per row)."""
    key = (organization.pk, get_language())
    now = time.monotonic()
    cached = _TYPE_NAMES.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    names = {t.pk: (t.code, t.name) for t in ReportType.objects.filter(organization=organization)}
    seconds = settings.OPEN311_LIST_CACHE_SECONDS
    if seconds > 0:
        _TYPE_NAMES[key] = (now + seconds, names)
    return names


def _rows(organization, queryset) -> list[dict]:
    """Lean serialization: one query for the rows (``.values``), one for the types."""
    rows = list(queryset.values(*ROW_FIELDS))
    names = _type_names(organization) if rows else {}
    agency = str(organization)
    organization_names: dict = {}
    return [_request_row(row, names, agency, organization_names) for row in rows]


def _parse_date(value: str, name: str):
    """A W3C date-time in UTC, or None when absent. Impossible dates (month 13, hour 25, offset +25:00) and
    instants outside the representable range once converted to UTC (year 1 with a positive offset) are a
    DomainError, never a crash."""
    if not value:
        return None
    try:
        parsed = parse_datetime(value.strip().replace(" ", "+"))  # a "+" in a query string arrives as a space
        if parsed is not None:
            if timezone.is_naive(parsed):
                parsed = parsed.replace(tzinfo=datetime.UTC)
            parsed = parsed.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise DomainError(_("%(name)s must be a W3C date-time, e.g. 2026-01-01T00:00:00Z.") % {"name": name})
    return parsed


def _window(start_value: str, end_value: str):
    """The (start, end) of a list request: both given; one given and the other 90 days away from it (so
    ``start_date`` alone, even in the future, lists what exists from then on); or the last 90 days."""
    start = _parse_date(start_value, "start_date")
    end = _parse_date(end_value, "end_date")
    try:
        if start is None and end is None:
            end = timezone.now()
        if start is None:
            start = end - WINDOW
        elif end is None:
            end = start + WINDOW
    except OverflowError:  # 90 days before year 1 or after year 9999
        raise DomainError(_("The dates are out of range.")) from None
    if start > end:
        raise DomainError(_("start_date must be before end_date."))
    if end - start > WINDOW:
        raise DomainError(_("The date range may not span more than 90 days."))
    return start, end


@open311_view
def requests_view(request, organization, fmt):
    return _requests(request, organization, fmt)


def _requests(request, organization, fmt):
    if request.method == "POST":
        return _create(request, organization, fmt)
    if request.method != "GET":
        return error(405, _("Use GET or POST."), fmt=fmt)
    reports = Report.objects.filter(organization=organization)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        reports = reports.filter(number__in=ids[:MAX_RESULTS])
    else:
        try:
            start, end = _window(request.GET.get("start_date", ""), request.GET.get("end_date", ""))
        except DomainError as exc:
            return error(400, exc.message, fmt=fmt)
        reports = reports.filter(requested_at__gte=start, requested_at__lte=end)
        codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
        if codes:
            reports = reports.filter(report_type__code__in=codes, report_type__organization=organization)
        statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            return error(400, _("status is open or closed."), fmt=fmt)
        if statuses == {"open"}:
            reports = reports.filter(status__in=OPEN311_OPEN)
        elif statuses == {"closed"}:
            reports = reports.exclude(status__in=OPEN311_OPEN)
    reports = reports.order_by("-requested_at", "-pk")[:MAX_RESULTS]
    return respond(_rows(organization, reports), root="service_requests", fmt=fmt)


def _cached_list(view):
    """Lists are cached for ``OPEN311_LIST_CACHE_SECONDS`` (15 s): clients poll the same default window, and a
    status change shows up at most that much later. Single requests and POSTs are never cached."""

    @functools.wraps(view)  # keeps csrf_exempt: Open311 clients POST without a CSRF token
    def wrapper(request, fmt: str, **kwargs):
        seconds = settings.OPEN311_LIST_CACHE_SECONDS
        if request.method != "GET" or not seconds:
            return view(request, fmt, **kwargs)
        key = "open311:list:" + hashlib.sha256(f"{fmt}?{request.GET.urlencode()}".encode()).hexdigest()
        cached = cache.get(key)
        if cached is not None:
            return HttpResponse(cached[0], content_type=cached[1])
        response = view(request, fmt, **kwargs)
        if response.status_code == 200:
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapper


def _create(request, organization, fmt):
    key = request.POST.get("api_key", "")
    client = (
        Open311Client.objects.filter(organization=organization, api_key=key, is_active=True).first()
        if key
        else None
    )
    if client is None:
        return error(403, _("A valid api_key is required to submit reports."), fmt=fmt)
    code = request.POST.get("service_code", "").strip()
    if not code:
        return error(400, _("service_code is required."), fmt=fmt)
    report_type = ReportType.objects.filter(organization=organization, code=code, is_active=True).first()
    if report_type is None:
        return error(404, _("Unknown service_code."), fmt=fmt)
    answers: dict[str, list[str]] = {}
    for name in request.POST:
        match = ATTRIBUTE_PARAM.fullmatch(name)  # attribute[code] or attribute[code][] (several values)
        if match:
            answers[match.group(1)] = request.POST.getlist(name)
    report = services.report_create(
        organization=organization,
        report_type=report_type,
        source=ReportSource.OPEN311,
        latitude=request.POST.get("lat"),
        longitude=request.POST.get("long"),
        address=request.POST.get("address_string", ""),
        description=request.POST.get("description", ""),
        attributes=answers,
        first_name=request.POST.get("first_name", ""),
        last_name=request.POST.get("last_name", ""),
        phone=request.POST.get("phone", ""),
        email=request.POST.get("email", ""),
        device_id=request.POST.get("device_id", ""),
        account_id=request.POST.get("account_id", ""),
        language=request.LANGUAGE_CODE,
    )
    body = [
        {"service_request_id": report.number, "service_notice": "", "account_id": report.account_id or None}
    ]
    return respond(body, root="service_requests", fmt=fmt, status=201)


@open311_view
def request_detail(request, organization, fmt, request_id: str):
    reports = Report.objects.filter(organization=organization, number=request_id)
    rows = _rows(organization, reports)
    if not rows:
        return error(404, _("Unknown service_request_id."), fmt=fmt)
    return respond(rows, root="service_requests", fmt=fmt)


@open311_view
def token_detail(request, organization, fmt, token: str):
    row = Report.objects.filter(organization=organization, token=token).values("number").first()
    if row is None:
        return error(404, _("Unknown token."), fmt=fmt)
    return respond([{"service_request_id": row["number"], "token": token}], root="service_requests", fmt=fmt)
