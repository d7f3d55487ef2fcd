"""Field work of a municipal enterprise: its vehicles and their upkeep, its depot and landfills, the collection points
its trucks serve and the weekly pickup schedule citizens read.

Routes, trips, route plans and municipal orders build on these (issue "Field work and municipal orders").
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.fieldwork.choices import (
    FacilityKind,
    PointKind,
    ServiceKind,
    Shift,
    VehicleKind,
    VehicleStatus,
    Weekday,
)
from khizmat.tenancy.choices import Currency
from khizmat.tenancy.scoping import TenantModel

LATITUDE = {
    "max_digits": 9,
    "decimal_places": 6,
    "validators": [MinValueValidator(-90), MaxValueValidator(90)],
}
LONGITUDE = {
    "max_digits": 9,
    "decimal_places": 6,
    "validators": [MinValueValidator(-180), MaxValueValidator(180)],
}
VOLUME = {"max_digits": 7, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Vehicle(TenantModel):
    """A truck, tractor or other machine of the enterprise, with what it carries and burns, and who donated it."""

    plate = models.CharField(_("registration plate"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=VehicleKind.choices)
    make_model = models.CharField(_("make and model"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year built"), null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    capacity_m3 = models.DecimalField(
        _("capacity, m³"), **VOLUME, help_text=_("Volume of waste it carries in one load.")
    )
    capacity_kg = models.PositiveIntegerField(_("payload, kg"))
    fuel_norm = models.DecimalField(
        _("fuel norm, l/100 km"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The consumption it is allowed; trips that burn more are flagged."),
    )
    donor = models.CharField(
        _("donated by"),
        max_length=200,
        blank=True,
        help_text=_("The funder or project that gave the vehicle."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=VehicleStatus.choices, default=VehicleStatus.ACTIVE
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["plate"]
        constraints = [models.UniqueConstraint(fields=["organization", "plate"], name="vehicle_unique_plate")]

    def __str__(self) -> str:
        return f"{self.plate} · {self.get_kind_display()}"


class VehicleService(TenantModel):
    """One entry of a vehicle's maintenance log: a service, a repair, an inspection, with its cost."""

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="services", verbose_name=_("vehicle")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=ServiceKind.choices)
    odometer_km = models.PositiveIntegerField(_("odometer, km"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    description = models.TextField(_("what was done"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vehicle service")
        verbose_name_plural = _("vehicle services")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["organization", "vehicle", "date"], name="vehicleservice_org_vehicle")
        ]

    def __str__(self) -> str:
        return f"{self.vehicle.plate} · {self.get_kind_display()} · {self.date}"


class Facility(TenantModel):
    """A place trucks start from or unload at: the depot, a landfill, a transfer station."""

    kind = models.CharField(_("kind"), max_length=10, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=150)
    latitude = models.DecimalField(_("latitude"), **LATITUDE)
    longitude = models.DecimalField(_("longitude"), **LONGITUDE)
    unload_minutes = models.PositiveSmallIntegerField(
        _("unloading time, minutes"),
        default=0,
        help_text=_("For landfills: how long a truck takes to unload."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="facility_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class CollectionPoint(TenantModel):
    """A container site or a street served door to door, with what a truck expects to load there."""

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(
        _("name"), max_length=150, help_text=_("What the crew calls it, e.g. a landmark.")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=PointKind.choices, default=PointKind.CONTAINER_SITE
    )
    settlement = models.ForeignKey(
        "tenancy.Settlement", on_delete=models.PROTECT, related_name="+", verbose_name=_("settlement")
    )
    street = models.CharField(_("street"), max_length=150, blank=True)
    latitude = models.DecimalField(_("latitude"), **LATITUDE)
    longitude = models.DecimalField(_("longitude"), **LONGITUDE)
    containers = models.PositiveSmallIntegerField(_("containers"), default=1)
    container_m3 = models.DecimalField(_("container volume, m³"), **VOLUME, default=Decimal("0.75"))
    fill_percent = models.PositiveSmallIntegerField(
        _("expected fill, %"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "How full the containers usually are at pickup; for streets, the share of one container."
        ),
    )
    service_minutes = models.PositiveSmallIntegerField(
        _("time at the point, minutes"), default=3, help_text=_("Stopping, loading and moving on.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collection point")
        verbose_name_plural = _("collection points")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="collectionpoint_unique_code"),
            models.CheckConstraint(condition=Q(containers__gte=1), name="collectionpoint_has_containers"),
        ]
        indexes = [
            models.Index(fields=["organization", "settlement", "street"], name="collectionpoint_org_street")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def expected_m3(self) -> Decimal:
        """Waste a truck loads here on a normal pickup."""
        return (self.containers * self.container_m3 * self.fill_percent / 100).quantize(Decimal("0.01"))


class PickupDay(TenantModel):
    """When the truck comes: a settlement (or one of its streets) on a weekday and shift, as citizens read it."""

    settlement = models.ForeignKey(
        "tenancy.Settlement", on_delete=models.PROTECT, related_name="+", verbose_name=_("settlement")
    )
    street = models.CharField(
        _("street"), max_length=150, blank=True, help_text=_("Empty: the whole settlement.")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    shift = models.CharField(_("shift"), max_length=10, choices=Shift.choices, default=Shift.MORNING)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pickup day")
        verbose_name_plural = _("pickup schedule")
        ordering = ["settlement", "street", "weekday", "shift"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "settlement", "street", "weekday", "shift"], name="pickupday_unique"
            ),
        ]

    def __str__(self) -> str:
        where = self.street or str(self.settlement)
        return f"{where} · {self.get_weekday_display()} · {self.get_shift_display()}"
