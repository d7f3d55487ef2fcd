"""Equipment inventory: every unit an organization holds (computers, network and video equipment, feedback devices,
vehicles…), its cost, the funder project that paid for it, where it stands and its status with the history of changes;
the handover acts that gave it to the organization; the supplier spreadsheets it was imported from.

An equipment row belongs to the organization that holds and uses it, from its creation on: the organization column
is never updated (Citus distributes rows by it), so equipment never moves between tenants; a transfer is a write-off
here and a new row there.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.inventory.choices import (
    EquipmentCurrency,
    EquipmentStatus,
    EquipmentType,
    ImportStatus,
    ImportTask,
)
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.scoping import TenantModel

FUNDER_PROJECTS = {"kind": OrganizationKind.FUNDER_PROJECT}


class HandoverAct(TenantModel):
    """An act by which a funder project (or anyone) handed equipment over to the organization (the receiver).

    The items are the equipment rows pointing at the act (``Equipment.handover_act``), all of the same organization.
    """

    number = models.CharField(_("number"), max_length=40)
    date = models.DateField(_("date"))
    funder_project = models.ForeignKey(
        "tenancy.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=FUNDER_PROJECTS,
        verbose_name=_("funder project"),
    )
    handed_over_by_name = models.CharField(_("handed over by"), max_length=150)
    handed_over_by_position = models.CharField(
        _("position of the one handing over"), max_length=150, blank=True
    )
    received_by_name = models.CharField(_("received by"), max_length=150)
    received_by_position = models.CharField(_("position of the receiver"), max_length=150, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover act")
        verbose_name_plural = _("handover acts")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="handoveract_unique_number")
        ]

    def __str__(self) -> str:
        return f"№ {self.number} · {self.date:%d.%m.%Y}"


class Equipment(TenantModel):
    """One unit of equipment held and used by the organization, with its cost, funder project, place and status.

    A vehicle of field work is an equipment row too (``fieldwork.Vehicle.equipment``, one vehicle per row): its make and model, funder
    project and status live here. The status changes through ``services.equipment_status_change`` only, which keeps
    an :class:`EquipmentStatusChange` (who, when, why); a written-off unit stays written off.
    """

    inventory_number = models.CharField(_("inventory number"), max_length=40)
    type = models.CharField(_("type"), max_length=12, choices=EquipmentType.choices)
    model = models.CharField(_("make and model"), max_length=200)
    serial_number = models.CharField(_("serial number"), max_length=100, blank=True)
    cost = models.DecimalField(
        _("cost"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=EquipmentCurrency.choices, blank=True)
    funder_project = models.ForeignKey(
        "tenancy.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=FUNDER_PROJECTS,
        verbose_name=_("funder project"),
        help_text=_("The project that paid for it, if donated."),
    )
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Where it stands: a room, a counter, a garage.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EquipmentStatus.choices, default=EquipmentStatus.IN_USE
    )
    handover_act = models.ForeignKey(
        HandoverAct,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("handover act"),
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["inventory_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "inventory_number"], name="equipment_unique_inventory_number"
            ),
            models.UniqueConstraint(
                fields=["organization", "serial_number"],
                condition=~Q(serial_number=""),
                name="equipment_unique_serial",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "type", "status"], name="equipment_org_type_status"),
            models.Index(fields=["funder_project", "delivery_date"], name="equipment_funder_delivery"),
        ]

    def __str__(self) -> str:
        return f"{self.inventory_number} · {self.model}"

    @property
    def is_written_off(self) -> bool:
        return self.status == EquipmentStatus.WRITTEN_OFF


class EquipmentStatusChange(TenantModel):
    """One change of a unit's status: from what to what, why, who changed it and when."""

    equipment = models.ForeignKey(
        Equipment, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("equipment")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=EquipmentStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=EquipmentStatus.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("equipment status change")
        verbose_name_plural = _("equipment status changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["organization", "equipment"], name="equipmentstatus_org_equipment")]

    def __str__(self) -> str:
        return f"{self.equipment_id}: {self.from_status} → {self.to_status}"


class EquipmentImport(TenantModel):
    """A supplier's spreadsheet of equipment: uploaded, every row checked (dry run), then imported all at once."""

    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    headers = models.JSONField(_("columns"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    imported_count = models.PositiveIntegerField(_("imported"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    # The check or the import running in the background (inventory.tasks.run_equipment_import), its progress in
    # percent, and why the last one stopped (a refusal of the whole file, shown on the page).
    task = models.CharField(_("running"), max_length=10, choices=ImportTask.choices, blank=True)
    task_started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    history = HistoricalRecords(excluded_fields=["content", "progress"])

    class Meta:
        verbose_name = _("equipment import")
        verbose_name_plural = _("equipment imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name
