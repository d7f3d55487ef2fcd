"""The service catalog of an organization, citizens' applications, their transitions and documents."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.services.choices import (
    FINISHED_STATUSES,
    ApplicationStatus,
    FeeStatus,
    ServiceCategory,
    ServiceChannel,
)
from khizmat.tenancy.choices import Currency
from khizmat.tenancy.scoping import TenantModel

# Decisions still pending: past the due date these are overdue.
PENDING_DECISION = frozenset(
    {ApplicationStatus.RECEIVED, ApplicationStatus.IN_REVIEW, ApplicationStatus.NEEDS_INFO}
)


class Service(TenantModel):
    """A public service an organization delivers: what to bring, what it costs, how many working days it takes.

    Services copied from an agency's national template keep its code in ``template_code``.
    """

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=30, choices=ServiceCategory.choices)
    required_documents = models.TextField(
        _("required documents"), blank=True, help_text=_("One document per line.")
    )
    fee = models.DecimalField(
        _("fee"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("legal deadline (working days)"), validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    responsible_agency = models.CharField(_("responsible agency"), max_length=255, blank=True)
    channel = models.CharField(
        _("available"), max_length=10, choices=ServiceChannel.choices, default=ServiceChannel.BOTH
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_template = models.BooleanField(
        _("national template"), default=False, help_text=_("An agency's template that its centers copy.")
    )
    template_code = models.CharField(_("template code"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["category", "code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="service_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class Application(TenantModel):
    """A citizen's application for a service, with its legal due date on the country's working-day calendar."""

    number = models.CharField(_("number"), max_length=40)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="applications", verbose_name=_("service")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    applicant_name = models.CharField(_("applicant's full name"), max_length=255)
    applicant_id_number = models.CharField(_("personal ID number"), max_length=20)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_address = models.CharField(_("address"), max_length=255, blank=True)
    applicant_language = models.CharField(_("citizen's language"), max_length=10, blank=True)
    fee_amount = models.DecimalField(_("fee"), max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    fee_status = models.CharField(_("fee"), max_length=10, choices=FeeStatus.choices, default=FeeStatus.DUE)
    received_at = models.DateTimeField(_("received"))
    due_date = models.DateField(_("due date"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    search_key = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="application_unique_number")
        ]
        indexes = [
            models.Index(fields=["organization", "status", "due_date"], name="application_org_status_due"),
            models.Index(fields=["organization", "assigned_to", "status"], name="application_org_assignee"),
            models.Index(fields=["organization", "received_at"], name="application_org_received"),
            # Undecided, unfinished applications by due date (the overdue figure's records, today).
            models.Index(
                fields=["due_date", "organization"],
                condition=models.Q(decided_at__isnull=True, finished_at__isnull=True),
                name="application_org_undecided_due",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def is_overdue(self, *, on: datetime.date) -> bool:
        return self.status in PENDING_DECISION and self.due_date < on

    @property
    def is_pending_decision(self) -> bool:
        return self.status in PENDING_DECISION

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES


class ApplicationTransition(TenantModel):
    """One step of an application's workflow: who moved it, when, from which status to which, and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("application")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"))
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application step")
        verbose_name_plural = _("application steps")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["organization", "application", "at"], name="transition_org_app_at")]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status or '—'} → {self.to_status}"


def _document_path(document: "ApplicationDocument", filename: str) -> str:
    return f"applications/{document.organization_id}/{document.application_id}/{filename}"


class ApplicationDocument(TenantModel):
    """A scanned document attached to an application (PDF, JPEG or PNG, size-limited)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    file = models.FileField(_("file"), upload_to=_document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
