"""Problems citizens report on a map (missed pickup, illegal dump, broken light) and who handles them."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.reports.choices import OPEN311_OPEN, ReportSource, ReportStatus
from khizmat.reports.notes import render_note
from khizmat.tenancy.scoping import TenantModel


def _token() -> str:
    return secrets.token_hex(16)


class ReportType(TenantModel):
    """A kind of problem an organization handles; its ``code`` is the Open311 ``service_code``.

    ``attributes`` holds Open311 attribute definitions: a list of ``{"code", "datatype", "required", "description",
    "order", "values": [{"key", "name"}]}``.
    """

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=255, blank=True)
    attributes = models.JSONField(_("extra questions"), default=list, blank=True)
    resolution_working_days = models.PositiveSmallIntegerField(
        _("resolution deadline (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("report type")
        verbose_name_plural = _("report types")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="reporttype_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class Report(TenantModel):
    """One citizen report at a place, with its status, public notes and deadline."""

    number = models.CharField(_("number"), max_length=30)
    token = models.CharField(_("token"), max_length=32, default=_token, editable=False)
    report_type = models.ForeignKey(
        ReportType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    status = models.CharField(
        _("status"), max_length=15, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    description = models.TextField(_("description"), blank=True, max_length=4000)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    attributes = models.JSONField(_("answers"), default=dict, blank=True)
    photo = models.ImageField(_("photo"), upload_to="reports/%Y/%m/", blank=True, max_length=255)
    citizen_first_name = models.CharField(_("first name"), max_length=100, blank=True)
    citizen_last_name = models.CharField(_("last name"), max_length=100, blank=True)
    citizen_phone = models.CharField(_("phone"), max_length=20, blank=True)
    citizen_email = models.EmailField(_("email"), blank=True)
    citizen_language = models.CharField(_("language"), max_length=10, blank=True)
    device_id = models.CharField(_("device"), max_length=100, blank=True)
    account_id = models.CharField(_("account"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=ReportSource.choices)
    requested_at = models.DateTimeField(_("reported"))
    updated_at = models.DateTimeField(_("updated"))
    expected_at = models.DateTimeField(_("resolve by"))
    public_note = models.TextField(_("public note"), blank=True, max_length=2000)
    # A note the system wrote (merged, forwarded...): a code of khizmat.reports.notes and its parameters, shown
    # in the reader's language; ``public_note`` keeps only the free text typed with it.
    note_code = models.CharField(_("note code"), max_length=30, blank=True, default="", db_default="")
    note_params = models.JSONField(_("note parameters"), null=True, blank=True, default=None)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("duplicate of"),
    )
    application = models.ForeignKey(
        "services.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked application"),
    )
    history = HistoricalRecords(excluded_fields=["token"])

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="report_unique_number"),
            models.UniqueConstraint(fields=["organization", "token"], name="report_unique_token"),
        ]
        indexes = [
            models.Index(fields=["organization", "requested_at"], name="report_org_requested"),
            models.Index(
                fields=["organization", "status", "requested_at"], name="report_org_status_requested"
            ),
            models.Index(
                fields=["organization", "report_type", "requested_at"], name="report_org_type_requested"
            ),
            models.Index(fields=["organization", "latitude", "longitude"], name="report_org_position"),
            # A citizen's reports on their account card (the account's phone).
            models.Index(fields=["organization", "citizen_phone"], name="report_org_citizen_phone"),
            # The dispatcher's inbox and map: the newest open reports of an organization, read in index order (a
            # large enterprise has thousands open among tens of thousands).
            models.Index(
                fields=["organization", "-requested_at", "-id"],
                condition=models.Q(status__in=sorted(OPEN311_OPEN)),
                name="report_org_open_newest",
            ),
            # Open reports by resolve-by day, then organization: the overdue records of today, oldest first, read in index
            # order for any set of organizations (a monitor pages through all of them).
            models.Index(
                fields=["expected_at", "organization"],
                condition=models.Q(status__in=sorted(OPEN311_OPEN)),
                name="report_org_open_expected",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN311_OPEN

    @property
    def note(self) -> str:
        """The public note in the active language."""
        return render_note(self.note_code, self.note_params, self.public_note)


class ReportUpdate(TenantModel):
    """A status change of a report with the note the citizen reads."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="updates", verbose_name=_("report")
    )
    status = models.CharField(_("status"), max_length=15, choices=ReportStatus.choices)
    public_note = models.TextField(_("public note"), blank=True, max_length=2000)
    # A note the system wrote (merged, forwarded...): a code of khizmat.reports.notes and its parameters, shown
    # in the reader's language; ``public_note`` keeps only the free text typed with it.
    note_code = models.CharField(_("note code"), max_length=30, blank=True, default="", db_default="")
    note_params = models.JSONField(_("note parameters"), null=True, blank=True, default=None)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("report update")
        verbose_name_plural = _("report updates")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["organization", "report", "at"], name="reportupdate_org_report_at")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.status}"

    @property
    def note(self) -> str:
        """The public note in the active language."""
        return render_note(self.note_code, self.note_params, self.public_note)


class Open311Client(TenantModel):
    """A client application allowed to POST reports to one jurisdiction (organization) with its API key."""

    name = models.CharField(_("name"), max_length=150)
    api_key = models.CharField(_("API key"), max_length=64, default=_token)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["api_key"])

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        constraints = [
            models.UniqueConstraint(fields=["organization", "api_key"], name="open311client_unique_key")
        ]

    def __str__(self) -> str:
        return self.name


class ServiceArea(TenantModel):
    """The territory where the organization handles reports: a settlement (within ``radius_km`` of its centre) or a
    drawn polygon (``polygon``: a list of ``[lat, lng]`` points). ``report_type_codes`` limits it to some types."""

    name = models.CharField(_("name"), max_length=150)
    settlement = models.ForeignKey(
        "tenancy.Settlement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("settlement"),
    )
    radius_km = models.DecimalField(_("radius (km)"), max_digits=5, decimal_places=2, default=3)
    polygon = models.JSONField(_("polygon"), null=True, blank=True)
    report_type_codes = models.CharField(
        _("report types"),
        max_length=255,
        blank=True,
        help_text=_("Codes separated by commas; empty means all."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name

    def handles(self, code: str) -> bool:
        codes = {c.strip() for c in self.report_type_codes.split(",") if c.strip()}
        return not codes or code in codes
