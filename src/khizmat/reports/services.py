"""State changes of citizen reports: filing (portal, Open311, staff) and handling. Atomic and audited."""

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import field_rule, normalize_phone
from khizmat.core.uploads import removes_files_on_failure, stored_files_cleanup
from khizmat.monitoring.services import kpi_touch
from khizmat.notifications.services import sms_queue
from khizmat.reports import notes
from khizmat.reports.choices import AttributeType, ReportSource, ReportStatus
from khizmat.reports.kpis import SOURCE as KPI_SOURCE
from khizmat.reports.models import Report, ReportType, ReportUpdate
from khizmat.tenancy.calendar import add_working_days
from khizmat.tenancy.localtime import local_date, organization_zone
from khizmat.tenancy.models import Organization, User
from khizmat.tenancy.permissions import require_permission
from khizmat.tenancy.sequences import next_number

MAX_DESCRIPTION = 4000


def parse_coordinate(value, *, low: int, high: int, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as error:
        raise DomainError(_("%(name)s must be a number.") % {"name": name}, code=f"bad_{name}") from error
    if not number.is_finite() or not low <= number <= high:
        raise DomainError(
            _("%(name)s must be between %(low)s and %(high)s.") % {"name": name, "low": low, "high": high},
            code=f"bad_{name}",
        )
    return number.quantize(Decimal("0.000001"))


def clean_attributes(report_type: ReportType, answers: dict[str, list[str]]) -> dict:
    """Check answers against the type's Open311 attribute definitions; returns ``{code: value or [values]}``."""
    cleaned: dict = {}
    for definition in report_type.attributes or []:
        code = definition.get("code")
        values = [v for v in answers.get(code, []) if str(v).strip() != ""]
        if not values:
            if definition.get("required"):
                raise DomainError(
                    _("Answer the question “%(question)s”.")
                    % {"question": definition.get("description", code)},
                    code="attribute_required",
                )
            continue
        allowed = {str(item.get("key")) for item in definition.get("values", [])}
        datatype = definition.get("datatype", AttributeType.STRING)
        if datatype in (AttributeType.SINGLE, AttributeType.MULTI) and any(
            str(v) not in allowed for v in values
        ):
            raise DomainError(
                _("“%(value)s” is not a choice of “%(question)s”.")
                % {"value": values[0], "question": definition.get("description", code)},
                code="attribute_choice",
            )
        if datatype == AttributeType.NUMBER:
            try:
                Decimal(str(values[0]))
            except InvalidOperation as error:
                raise DomainError(
                    _("“%(question)s” needs a number.") % {"question": definition.get("description", code)},
                    code="attribute_number",
                ) from error
        cleaned[code] = values if datatype == AttributeType.MULTI else str(values[0])[:500]
    return cleaned


@removes_files_on_failure
@transaction.atomic
def report_create(
    *,
    organization: Organization,
    report_type: ReportType,
    source: str,
    latitude=None,
    longitude=None,
    address: str = "",
    description: str = "",
    attributes: dict[str, list[str]] | None = None,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    email: str = "",
    language: str = "",
    device_id: str = "",
    account_id: str = "",
    photo=None,
    phone_any_country: bool = False,
) -> Report:
    """File a report. A place is required: coordinates or an address. Raises DomainError on bad input."""
    if report_type.organization_id != organization.pk or not report_type.is_active:
        raise DomainError(_("Unknown report type."), code="unknown_service")
    lat = parse_coordinate(latitude, low=-90, high=90, name="lat")
    lon = parse_coordinate(longitude, low=-180, high=180, name="long")
    if (lat is None) != (lon is None):
        raise DomainError(_("Give both latitude and longitude."), code="bad_position")
    address = " ".join(address.split())[:255]
    if lat is None and not address:
        raise DomainError(
            _("Say where the problem is: a point on the map or an address."), code="no_location"
        )
    if source not in ReportSource.values:
        raise DomainError(_("Unknown source."), code="bad_source")
    answers = clean_attributes(report_type, attributes or {})
    # The citizen chose the organization (its portal, Open311): a phone of its country. The national portal and
    # forwarding pick the organization for them, maybe across the border: a phone of either country then.
    with field_rule("phone"):
        phone = normalize_phone(phone, country_code=None if phone_any_country else organization.country.code)
    now = timezone.now()
    today = local_date(now, organization)
    sequence = next_number(organization=organization, key=f"report:{today.year}")
    due = add_working_days(organization.country, today, report_type.resolution_working_days)
    report = Report(
        organization=organization,
        number=f"R-{today.year}-{sequence:06d}",
        report_type=report_type,
        description=description.strip()[:MAX_DESCRIPTION],
        latitude=lat,
        longitude=lon,
        address=address,
        attributes=answers,
        citizen_first_name=first_name.strip()[:100],
        citizen_last_name=last_name.strip()[:100],
        citizen_phone=phone,
        citizen_email=email.strip()[:254],
        citizen_language=language[:10],
        device_id=device_id[:100],
        account_id=account_id[:100],
        source=source,
        requested_at=now,
        updated_at=now,
        expected_at=datetime.datetime.combine(
            due, datetime.time(18, 0), tzinfo=organization_zone(organization)
        ),
    )
    with stored_files_cleanup() as saved:  # a failure after the photo was stored removes it
        if photo is not None:
            report.photo.save(photo.name, photo, save=False)
            saved.append(report.photo)
        report.save()
        ReportUpdate.objects.create(
            organization=organization, report=report, status=ReportStatus.OPEN, at=now
        )
        kpi_touch(organization_id=organization.pk, source=KPI_SOURCE, days=[today])
    return report


def _record_change(
    *, report: Report, status: str, actor: User | None, note: str = "", code: str = "", params=None
) -> ReportUpdate:
    """Save ``report`` (locked by the caller) at ``status`` with the note of THIS change, and its update row. The
    report's note is always the last change's, empty when that change had none: public pages, Open311's
    ``status_notes`` and the SMS never repeat an older note under a newer status."""
    now = timezone.now()
    report.status = status
    report.updated_at = now
    report.public_note = note.strip()[:2000]
    report.note_code = code
    report.note_params = params
    report._history_user = actor
    report.save(
        update_fields=["status", "duplicate_of", "updated_at", "public_note", "note_code", "note_params"]
    )
    # Resolutions and reopenings are counted on the day of the change; the overdue stock from its month on.
    kpi_touch(
        organization_id=report.organization_id,
        source=KPI_SOURCE,
        days=[local_date(now, report.organization)],
    )
    return ReportUpdate.objects.create(
        organization=report.organization,
        report=report,
        status=status,
        public_note=report.public_note,
        note_code=code,
        note_params=params,
        actor=actor,
        at=now,
    )


@transaction.atomic
def report_set_status(
    *, actor: User, report: Report, status: str, public_note: str = "", note_code: str = "", note_params=None
) -> Report:
    """Move a report to ``status`` with a note the citizen reads (free text, or a system note's code)."""
    require_permission(actor, report.organization, "reports.handle")
    if status not in ReportStatus.values or status == ReportStatus.DUPLICATE:
        raise DomainError(_("Choose a valid status."), code="bad_status")
    locked = Report.objects.select_for_update().get(pk=report.pk, organization=report.organization_id)
    if locked.status == status and not public_note.strip() and not note_code:
        raise DomainError(_("The report already has this status."), code="same_status")
    update = _record_change(
        report=locked, status=status, actor=actor, note=public_note, code=note_code, params=note_params
    )
    _notify(locked, update)
    return locked


def _notify(report: Report, update: ReportUpdate) -> None:
    """SMS to the citizen who left a phone, in their language: the new status and the note of this change."""
    if not report.citizen_phone:
        return
    language = report.citizen_language or ("ky" if report.organization.country.code == "KG" else "uz")
    with translation.override(language):
        note = update.note
        params = {"number": report.number, "status": report.get_status_display(), "note": note}
        if note:
            text = _("Report %(number)s: %(status)s. %(note)s") % params
        else:
            text = _("Report %(number)s: %(status)s.") % params
    sms_queue(
        organization=report.organization,
        phone=report.citizen_phone,
        language=language,
        text=text.strip(),
        event="report_status",
        reference=report.number,
    )


@transaction.atomic
def report_citizen_answer(*, report: Report, token: str, solved: bool, comment: str = "") -> Report:
    """The citizen confirms a resolved report (closed) or says it is not solved (reopened). Needs the report's
    secret token, which only the person who filed it received."""
    locked = Report.objects.select_for_update().get(pk=report.pk, organization=report.organization_id)
    if not token or not secrets.compare_digest(str(token), locked.token):
        raise DomainError(_("This link does not allow answering for this report."), code="bad_token")
    if locked.status != ReportStatus.RESOLVED:
        raise DomainError(_("Only a resolved report can be confirmed or reopened."), code="not_resolved")
    _record_change(
        report=locked,
        status=ReportStatus.CLOSED if solved else ReportStatus.OPEN,
        actor=None,
        note=comment.strip()[:500],
        code=notes.CITIZEN_SOLVED if solved else notes.CITIZEN_NOT_SOLVED,
    )
    return locked


@transaction.atomic
def report_link_application(*, actor: User, report: Report, number: str) -> Report:
    """Link a report to an application of the same organization (e.g. a permit the citizen applied for)."""
    from khizmat.services.models import Application

    require_permission(actor, report.organization, "reports.handle")
    application = Application.objects.filter(
        organization=report.organization_id, number=number.strip().upper()
    ).first()
    if application is None:
        raise DomainError(
            _("No application of this organization has that number."), code="unknown_application"
        )
    locked = Report.objects.select_for_update().get(pk=report.pk, organization=report.organization_id)
    locked.application = application
    locked._history_user = actor
    locked.save(update_fields=["application"])
    return locked


@transaction.atomic
def report_merge(*, actor: User, report: Report, into: Report) -> Report:
    """Mark ``report`` a duplicate of ``into`` (same organization); the citizen sees which report continues."""
    require_permission(actor, report.organization, "reports.handle")
    if into.organization_id != report.organization_id or into.pk == report.pk:
        raise DomainError(_("Choose another report of this organization."), code="bad_duplicate")
    if into.duplicate_of_id:
        raise DomainError(_("That report is itself a duplicate; merge into the original."), code="chain")
    locked = Report.objects.select_for_update().get(pk=report.pk, organization=report.organization_id)
    locked.duplicate_of = into
    _record_change(
        report=locked,
        status=ReportStatus.DUPLICATE,
        actor=actor,
        code=notes.MERGED,
        params={"number": into.number},
    )
    return locked


@transaction.atomic
def report_assign(*, actor: User, report: Report, assignee: User) -> Report:
    require_permission(actor, report.organization, "reports.handle")
    from khizmat.tenancy.permissions import membership_of

    membership = membership_of(assignee, report.organization)
    if membership is None or not membership.has_permission("reports.handle"):
        raise DomainError(_("This person cannot handle reports here."), code="bad_assignee")
    locked = Report.objects.select_for_update().get(pk=report.pk, organization=report.organization_id)
    locked.assigned_to = assignee
    locked._history_user = actor
    locked.save(update_fields=["assigned_to"])
    return locked


def report_file_by_location(*, code: str, latitude, longitude, settlement=None, **fields) -> Report:
    """File a report from the national portal: routed to the organization whose service area contains the point;
    without a point, by the settlement chosen or named in the address; else to the triage organization. Raises
    DomainError when there is neither a point nor an address, or nobody to route to."""
    from khizmat.reports.routing import (
        find_handler,
        find_handler_by_settlement,
        settlement_in_address,
        triage_target,
    )
    from khizmat.tenancy.scoping import scope

    lat = parse_coordinate(latitude, low=-90, high=90, name="lat")
    lng = parse_coordinate(longitude, low=-180, high=180, name="long")
    address = (fields.get("address") or "").strip()
    if lat is None or lng is None:
        lat = lng = None
        if not address:
            raise DomainError(
                _("Say where the problem is: a point on the map or an address."), code="no_location"
            )
        settlement = settlement or settlement_in_address(address)
        target = find_handler_by_settlement(code=code, settlement=settlement) if settlement else None
    else:
        target = find_handler(code=code, lat=float(lat), lng=float(lng))
    if target is None:
        target = triage_target()
        if target is None:
            raise DomainError(
                _("No organization handles this place yet. Choose the organization from the list below."),
                code="no_handler",
            )
        fields["attributes"] = {}
        fields["description"] = f"[{code}] {fields.get('description', '')}".strip()
    organization, report_type = target
    with scope(organization=[organization.pk]):
        report = report_create(
            organization=organization,
            report_type=report_type,
            latitude=lat,
            longitude=lng,
            phone_any_country=True,
            **fields,
        )
    return report


@transaction.atomic
def report_forward(*, actor: User, report: Report, organization: Organization, code: str) -> Report:
    """Send a report to the organization that handles it: a new report there, this one closed with a public note
    naming the new number. A deliberate write into another tenant, inside that tenant's scope.

    Allowed only for a report that may leave its organization (the triage organization's, an ``unrouted`` one, or a
    misrouted one: :func:`khizmat.reports.routing.report_may_be_forwarded`) and only to one of its
    :func:`khizmat.reports.routing.forward_targets` (an organization whose service area covers that type)."""
    from khizmat.reports.routing import forward_targets, report_may_be_forwarded
    from khizmat.tenancy.scoping import scope

    require_permission(actor, report.organization, "reports.handle")
    report = (
        Report.objects.select_for_update()
        .select_related("report_type", "organization")
        .get(pk=report.pk, organization=report.organization_id)
    )
    if organization.pk == report.organization_id:
        raise DomainError(_("Choose another organization."), code="same_organization")
    if not report_may_be_forwarded(report):
        raise DomainError(
            _("Only an open report that is not yet routed or is at the wrong organization can be forwarded."),
            code="not_forwardable",
        )
    report_type = next(
        (t for org, t in forward_targets(report) if org.pk == organization.pk and t.code == code), None
    )
    if report_type is None:
        raise DomainError(
            _("That organization does not handle this kind of problem."), code="unknown_service"
        )
    with scope(organization=[organization.pk]):
        forwarded = report_create(
            organization=organization,
            report_type=report_type,
            source=report.source,
            latitude=report.latitude,
            longitude=report.longitude,
            address=report.address,
            description=report.description,
            phone=report.citizen_phone,
            language=report.citizen_language,
            phone_any_country=True,
        )
    report_set_status(
        actor=actor,
        report=report,
        status=ReportStatus.CLOSED,
        note_code=notes.FORWARDED,
        note_params={
            "organization_id": organization.pk,
            "organization": str(organization),
            "number": forwarded.number,
        },
    )
    return forwarded
