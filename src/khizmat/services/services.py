"""State changes of the service catalog and of applications. Atomic, permission-checked, audited."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import check_amount, field_rule, normalize_phone, validate_personal_id
from khizmat.core.search import search_keys
from khizmat.core.uploads import removes_files_on_failure, stored_files_cleanup
from khizmat.monitoring.services import kpi_touch
from khizmat.notifications.services import sms_queue
from khizmat.notifications.texts import application_text
from khizmat.services.choices import ApplicationStatus, FeeStatus
from khizmat.services.documents import validate_upload
from khizmat.services.kpis import SOURCE as KPI_SOURCE
from khizmat.services.models import Application, ApplicationDocument, ApplicationTransition, Service
from khizmat.services.workflow import TRANSITIONS
from khizmat.tenancy.calendar import add_working_days
from khizmat.tenancy.localtime import local_date
from khizmat.tenancy.models import Organization, User
from khizmat.tenancy.permissions import membership_of, require_permission
from khizmat.tenancy.sequences import next_number


def application_number_prefix(organization: Organization) -> str:
    """``JZ-BAX`` from the region and district codes, else the organization's code."""
    parts = [
        p for p in (getattr(organization.region, "code", ""), getattr(organization.district, "code", "")) if p
    ]
    return "-".join(parts).upper() if parts else organization.code.upper()


def application_due_date(
    *, organization: Organization, service: Service, received_on: datetime.date
) -> datetime.date:
    return add_working_days(organization.country, received_on, service.deadline_working_days)


@removes_files_on_failure
@transaction.atomic
def application_register(
    *,
    actor: User,
    organization: Organization,
    service: Service,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str = "",
    applicant_address: str = "",
    applicant_language: str = "",
    fee_status: str = FeeStatus.DUE,
    received_at: datetime.datetime | None = None,
    documents=(),
) -> Application:
    """Register a citizen's application: validated ID and phone, a new number, the legal due date.

    Raises DomainError (translated) on bad input; nothing is written then.
    """
    require_permission(actor, organization, "applications.register")
    checked = [validate_upload(upload) for upload in documents]  # every file before anything is written
    if service.organization_id != organization.pk or not service.is_active:
        raise DomainError(_("This service is not offered by your organization."), code="unknown_service")
    country_code = organization.country.code
    with field_rule("applicant_id_number"):
        id_number = validate_personal_id(applicant_id_number, country_code=country_code)
    with field_rule("applicant_phone"):
        phone = normalize_phone(applicant_phone, country_code=country_code)
    name = " ".join(applicant_name.split())
    if len(name) < 3:
        raise DomainError(_("Enter the applicant's full name."), code="applicant_name")
    if service.fee == 0:
        fee_status = FeeStatus.FREE
    elif fee_status not in (FeeStatus.DUE, FeeStatus.PAID, FeeStatus.EXEMPT):
        raise DomainError(_("Choose whether the fee is paid, to be paid or exempt."), code="fee_status")
    received_at = received_at or timezone.now()
    received_on = local_date(received_at, organization)
    year = received_on.year
    sequence = next_number(organization=organization, key=f"application:{year}")
    application = Application(
        organization=organization,
        number=f"{application_number_prefix(organization)}-{year}-{sequence:06d}",
        service=service,
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        applicant_address=applicant_address.strip(),
        applicant_language=applicant_language,
        fee_amount=service.fee if fee_status != FeeStatus.FREE else Decimal("0"),
        currency=service.currency,
        fee_status=fee_status,
        received_at=received_at,
        due_date=application_due_date(organization=organization, service=service, received_on=received_on),
        registered_by=actor,
        assigned_to=actor,
        search_key=search_keys(name, id_number),
    )
    application._history_user = actor
    application.save()
    ApplicationTransition.objects.create(
        organization=organization,
        application=application,
        from_status="",
        to_status=ApplicationStatus.RECEIVED,
        actor=actor,
        at=received_at,
    )
    _documents_store(actor=actor, application=application, documents=checked)
    kpi_touch(organization_id=organization.pk, source=KPI_SOURCE, days=[received_on])
    _notify(application, "application_received")
    return application


def _notify(application: Application, event: str, *, reason: str = "") -> None:
    """SMS to the citizen in their language; sent after commit by a background task."""
    sms_queue(
        organization=application.organization,
        phone=application.applicant_phone,
        language=application.applicant_language or "uz",
        text=application_text(application, event, reason=reason),
        event=event,
        reference=application.number,
    )


@transaction.atomic
def application_transition(
    *, actor: User, application: Application, name: str, comment: str = ""
) -> Application:
    """Move an application one step along the workflow. Illegal steps, missing reasons and roles are refused."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise DomainError(_("Unknown step."), code="unknown_transition")
    require_permission(actor, application.organization, transition.permission)
    locked = Application.objects.select_for_update().get(
        pk=application.pk, organization=application.organization
    )
    if locked.status not in transition.sources:
        raise DomainError(
            _("An application that is “%(status)s” cannot go to “%(target)s”.")
            % {"status": locked.get_status_display(), "target": ApplicationStatus(transition.target).label},
            code="illegal_transition",
        )
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise DomainError(_("Write the reason: the citizen will read it."), code="comment_required")
    now = timezone.now()
    previous = locked.status
    # The day of this step, and the days of a decision or an end it overwrites.
    touched = [now, locked.decided_at, locked.finished_at]
    locked.status = transition.target
    fields = ["status"]
    if transition.target in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        locked.decided_at = now
        fields.append("decided_at")
    if (
        transition.target in (ApplicationStatus.ISSUED, ApplicationStatus.CLOSED)
        and locked.finished_at is None
    ):
        locked.finished_at = now
        fields.append("finished_at")
    if transition.target == ApplicationStatus.REJECTED:
        locked.finished_at = now
        fields.append("finished_at")
    locked._history_user = actor
    locked.save(update_fields=fields)
    kpi_touch(
        organization_id=locked.organization_id,
        source=KPI_SOURCE,
        days=[local_date(moment, locked.organization) for moment in touched if moment is not None],
    )
    ApplicationTransition.objects.create(
        organization=locked.organization,
        application=locked,
        from_status=previous,
        to_status=transition.target,
        actor=actor,
        at=now,
        comment=comment,
    )
    if transition.target == ApplicationStatus.APPROVED:
        _notify(locked, "application_ready")
    elif transition.target == ApplicationStatus.REJECTED:
        _notify(locked, "application_rejected", reason=comment)
    elif (
        transition.target == ApplicationStatus.NEEDS_INFO
    ):  # the reason the citizen must read, this step's own
        _notify(locked, "application_needs_info", reason=comment)
    return locked


@transaction.atomic
def application_reassign(*, actor: User, application: Application, assignee: User) -> Application:
    """Hand an open application to another operator of the same organization."""
    require_permission(actor, application.organization, "applications.assign")
    target = membership_of(assignee, application.organization)
    if target is None or not target.has_permission("applications.process"):
        raise DomainError(_("This person cannot process applications here."), code="bad_assignee")
    locked = Application.objects.select_for_update().get(
        pk=application.pk, organization=application.organization
    )
    if locked.is_finished:
        raise DomainError(_("A finished application cannot be reassigned."), code="finished")
    locked.assigned_to = assignee
    locked._history_user = actor
    locked.save(update_fields=["assigned_to"])
    return locked


def application_document_add(*, actor: User, application: Application, upload) -> ApplicationDocument:
    """Attach a scanned document after checking its real type and size."""
    return application_documents_add(actor=actor, application=application, uploads=[upload])[0]


@removes_files_on_failure
@transaction.atomic
def application_documents_add(*, actor: User, application: Application, uploads) -> list[ApplicationDocument]:
    """Attach several documents at once: all are checked first, then all are stored, or none (a refused file
    or a failed write leaves no file behind)."""
    require_permission(actor, application.organization, "applications.process")
    checked = [validate_upload(upload) for upload in uploads]
    return _documents_store(actor=actor, application=application, documents=checked)


def _documents_store(*, actor: User, application: Application, documents) -> list[ApplicationDocument]:
    """Store checked documents inside the caller's transaction (and its ``removes_files_on_failure``)."""
    stored = []
    with stored_files_cleanup() as saved:
        for checked in documents:
            document = ApplicationDocument(
                organization=application.organization,
                application=application,
                original_name=checked.name[:255],
                content_type=checked.content_type,
                size=len(checked.content),
                uploaded_by=actor,
            )
            document.file.save(checked.name, ContentFile(checked.content), save=False)
            saved.append(document.file)
            document._history_user = actor
            document.save()
            stored.append(document)
    return stored


@transaction.atomic
def service_save(
    *, actor: User, organization: Organization, service: Service | None = None, **values
) -> Service:
    """Create or change a service of the organization's catalog."""
    require_permission(actor, organization, "catalog.manage")
    code = values.get("code", service.code if service else "").strip()
    clash = Service.objects.filter(organization=organization, code__iexact=code)
    if service is not None:
        clash = clash.exclude(pk=service.pk)
    if clash.exists():
        raise DomainError(_("Another service already has this code."), code="code_taken")
    if service is None:
        service = Service(organization=organization, currency=organization.country.currency)
    if values.get("fee") is not None:
        with field_rule("fee"):
            values["fee"] = check_amount(values["fee"], allow_zero=True)
    for field, value in values.items():
        setattr(service, field, value)
    service.full_clean(exclude=["organization"])
    service._history_user = actor
    service.save()
    return service


TEMPLATE_FIELDS = (
    "category",
    "fee",
    "currency",
    "deadline_working_days",
    "channel",
    *(
        f"{field}_{suffix}"
        for field in ("name", "description", "required_documents", "responsible_agency")
        for suffix in ("ky", "uz", "uz_cyrl", "ru", "en")
    ),
)


def organizations_under(organization: Organization) -> list[Organization]:
    """Organizations an agency oversees, directly or through its branches (e.g. DXA → regional branch → center)."""
    found: dict[int, Organization] = {}
    frontier = [organization.pk]
    while frontier:
        children = Organization.objects.filter(oversight_received__overseer_id__in=frontier, is_active=True)
        frontier = [child.pk for child in children if child.pk not in found and child.pk != organization.pk]
        found.update({child.pk: child for child in children if child.pk in frontier})
    return list(found.values())


@transaction.atomic
def service_template_publish(*, actor: User, template: Service) -> int:
    """Copy an agency's national template into the catalog of every service center it oversees.

    A center's copy is matched by ``template_code``; it is created or brought up to date (name, documents, fee,
    deadline…), keeping the center's own active flag. Returns the number of centers changed. This is a deliberate
    write across tenants: it runs inside the scope of exactly the overseen centers.
    """
    from khizmat.tenancy.choices import OrganizationKind
    from khizmat.tenancy.scoping import scope

    require_permission(actor, template.organization, "catalog.manage")
    if not template.is_template:
        raise DomainError(_("Only a national template can be published."), code="not_template")
    centers = [
        org
        for org in organizations_under(template.organization)
        if org.kind == OrganizationKind.SERVICE_CENTER
    ]
    if not centers:
        raise DomainError(_("This agency oversees no service center."), code="no_centers")
    changed = 0
    with scope(organization=[center.pk for center in centers]):
        for center in centers:
            copy = Service.objects.filter(organization=center, template_code=template.code).first()
            if copy is None:
                if Service.objects.filter(organization=center, code=template.code).exists():
                    continue  # the center has its own service with this code: leave it alone
                copy = Service(
                    organization=center, code=template.code, template_code=template.code, is_active=True
                )
            values = {field: getattr(template, field) for field in TEMPLATE_FIELDS}
            if copy.pk and all(getattr(copy, field) == value for field, value in values.items()):
                continue
            for field, value in values.items():
                setattr(copy, field, value)
            with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
                copy.name = template.name  # the untranslated column mirrors the default language
            copy._history_user = actor
            copy.save()
            changed += 1
    return changed
