"""Field work of a municipal enterprise: its vehicles and their upkeep, its depot and landfills, the collection points
its trucks serve and the weekly pickup schedule citizens read.

Then the day's work: route plans (the optimizer's answer), routes with their ordered stops, the driver's marks
(sent from the phone, each taken once), and the trip log with the loads taken to the landfill.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.fieldwork.choices import (
    CrewPosition,
    DriverEventKind,
    FacilityKind,
    PlanScope,
    PlanStatus,
    PointKind,
    RouteSource,
    RouteStatus,
    ServiceKind,
    Shift,
    SkipReason,
    StopStatus,
    VehicleKind,
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
    """A truck, tractor or other machine of the enterprise, with what it carries and burns.

    The vehicle is an equipment record of the inventory (``equipment``, same organization): its make and model, the
    funder project that donated it, its cost and its status (in use, broken, in repair, written off) live there,
    once, for the inventory and field work alike. Create vehicles with ``services.vehicle_create``.
    """

    # One vehicle per equipment record: unique with the organization (every tenant unique key includes it).
    equipment = models.ForeignKey(
        "inventory.Equipment",
        on_delete=models.PROTECT,
        related_name="vehicles",
        verbose_name=_("equipment record"),
    )
    plate = models.CharField(_("registration plate"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=VehicleKind.choices)
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
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["plate"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "plate"], name="vehicle_unique_plate"),
            models.UniqueConstraint(fields=["organization", "equipment"], name="vehicle_unique_equipment"),
        ]

    def __str__(self) -> str:
        return f"{self.plate} · {self.get_kind_display()}"


class MaintenanceRule(TenantModel):
    """A service a vehicle needs again and again: every so many days or kilometres, whichever comes first.

    Counted from the last log entry that fulfilled it (``VehicleService.rule``), else from ``start_date`` and
    ``start_km``; :func:`khizmat.fieldwork.selectors.maintenance_due` says when it is next due and flags it."""

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="maintenance_rules", verbose_name=_("vehicle")
    )
    name = models.CharField(_("service"), max_length=100, help_text=_("For example: engine oil and filters."))
    kind = models.CharField(
        _("kind"), max_length=12, choices=ServiceKind.choices, default=ServiceKind.SERVICE
    )
    every_days = models.PositiveSmallIntegerField(
        _("every, days"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3660)]
    )
    every_km = models.PositiveIntegerField(
        _("every, km"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(1_000_000)]
    )
    start_date = models.DateField(_("counted from"))
    start_km = models.PositiveIntegerField(_("odometer then, km"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("maintenance rule")
        verbose_name_plural = _("maintenance plan")
        ordering = ["vehicle", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "vehicle", "name"], name="maintenancerule_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(every_days__isnull=False) | Q(every_km__isnull=False),
                name="maintenancerule_has_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle.plate} · {self.name}"


class VehicleService(TenantModel):
    """One entry of a vehicle's maintenance log: a service, a repair, an inspection, with its cost."""

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="services", verbose_name=_("vehicle")
    )
    rule = models.ForeignKey(
        MaintenanceRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("scheduled service done"),
        help_text=_("The maintenance plan's service this entry fulfils: it is next due counted from here."),
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


class FuelRecord(TenantModel):
    """A refuelling of a vehicle: litres, what they cost, the odometer then."""

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="fuel_records", verbose_name=_("vehicle")
    )
    date = models.DateField(_("date"))
    litres = models.DecimalField(
        _("litres"), max_digits=7, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    cost = models.DecimalField(
        _("cost"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    odometer_km = models.PositiveIntegerField(_("odometer, km"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fuel record")
        verbose_name_plural = _("fuel records")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organization", "vehicle", "date"], name="fuelrecord_org_vehicle")]

    def __str__(self) -> str:
        return f"{self.vehicle.plate} · {self.litres} l · {self.date}"


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
    open_from = models.TimeField(
        _("served from"), null=True, blank=True, help_text=_("Empty: from the start of the shift.")
    )
    open_until = models.TimeField(
        _("served until"),
        null=True,
        blank=True,
        help_text=_("The latest time to start loading here, e.g. before a bazaar opens. Empty: any time."),
    )
    is_public_area = models.BooleanField(
        _("public area"),
        default=False,
        help_text=_(
            "A square, park, bazaar or bus stop: its waste is removed under the local government's order (a "
            "municipal order's work item counts these loads), not billed to subscribers."
        ),
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
            models.CheckConstraint(
                condition=Q(open_from__isnull=True)
                | Q(open_until__isnull=True)
                | Q(open_until__gte=models.F("open_from")),
                name="collectionpoint_window_forward",
            ),
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


class CrewMember(TenantModel):
    """A person of a vehicle's crew: its driver (who may log in with the driver role) or a loader."""

    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, related_name="crew", verbose_name=_("vehicle")
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(
        _("position"), max_length=10, choices=CrewPosition.choices, default=CrewPosition.DRIVER
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login"),
        help_text=_("The driver's login: their phone page shows this vehicle's routes."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("crew member")
        verbose_name_plural = _("crews")
        ordering = ["vehicle", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "vehicle", "name"], name="crewmember_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_position_display()} · {self.vehicle.plate}"


class RoutePlan(TenantModel):
    """One optimization of a day's routes: the points and vehicles it took, its progress, and the plan it found
    compared with the dispatcher's manual routes of that day. Applying it writes the day's routes."""

    date = models.DateField(_("date"))
    scope = models.CharField(
        _("points"), max_length=10, choices=PlanScope.choices, default=PlanScope.SCHEDULED
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.QUEUED
    )
    vehicle_ids = models.JSONField(_("vehicles"), default=list)
    point_count = models.PositiveIntegerField(_("points"), default=0)
    max_seconds = models.PositiveSmallIntegerField(_("search time, seconds"), default=20)
    shift_minutes = models.PositiveSmallIntegerField(_("shift length, minutes"), default=540)
    shift_start = models.TimeField(_("shift starts at"), default=datetime.time(7, 0))
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    planned_distance_m = models.PositiveIntegerField(_("planned distance, m"), null=True, blank=True)
    planned_duration_s = models.PositiveIntegerField(_("planned time, s"), null=True, blank=True)
    manual_distance_m = models.PositiveIntegerField(_("manual routes' distance, m"), null=True, blank=True)
    manual_duration_s = models.PositiveIntegerField(_("manual routes' time, s"), null=True, blank=True)
    solver_seconds = models.FloatField(_("search took, s"), null=True, blank=True)
    feasible = models.BooleanField(_("feasible"), null=True, blank=True)
    result = models.JSONField(_("routes found"), default=dict, blank=True)
    violations = models.JSONField(_("checker findings"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    history = HistoricalRecords(excluded_fields=["progress", "result"])

    IN_PROGRESS = (PlanStatus.QUEUED, PlanStatus.RUNNING)

    class Meta:
        verbose_name = _("route plan")
        verbose_name_plural = _("route plans")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["organization", "date"], name="routeplan_org_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.get_status_display()}"

    @property
    def is_in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def saving_percent(self) -> float | None:
        """How much shorter the plan is than the manual routes, in percent."""
        if not self.manual_distance_m or self.planned_distance_m is None:
            return None
        return round(100 * (1 - self.planned_distance_m / self.manual_distance_m), 1)


class Route(TenantModel):
    """A vehicle's day: the points it serves in order, split into trips between unloads at the landfill."""

    date = models.DateField(_("date"))
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="routes", verbose_name=_("vehicle")
    )
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("driver"),
    )
    source = models.CharField(
        _("made"), max_length=10, choices=RouteSource.choices, default=RouteSource.MANUAL
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RouteStatus.choices, default=RouteStatus.PLANNED
    )
    plan = models.ForeignKey(
        RoutePlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="routes",
        verbose_name=_("plan"),
    )
    planned_distance_m = models.PositiveIntegerField(_("planned distance, m"), null=True, blank=True)
    planned_duration_s = models.PositiveIntegerField(_("planned time, s"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["-date", "vehicle__plate"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "vehicle", "date"], name="route_unique_vehicle_day"
            )
        ]
        indexes = [models.Index(fields=["organization", "date"], name="route_org_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.vehicle.plate}"


class RouteStop(TenantModel):
    """One point of a route, in order, and what the crew did there."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="stops", verbose_name=_("route"))
    point = models.ForeignKey(
        CollectionPoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("collection point")
    )
    sequence = models.PositiveSmallIntegerField(_("order"))
    trip_number = models.PositiveSmallIntegerField(
        _("load"), default=1, help_text=_("Which load of the day.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StopStatus.choices, default=StopStatus.PENDING
    )
    skip_reason = models.CharField(_("reason"), max_length=20, choices=SkipReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.ImageField(_("photo"), upload_to="fieldwork/stops/%Y/%m/", blank=True, max_length=255)
    marked_at = models.DateTimeField(_("marked"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("citizen report"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("route stop")
        verbose_name_plural = _("route stops")
        ordering = ["route", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "route", "sequence"], name="routestop_unique_sequence"
            ),
            models.UniqueConstraint(fields=["organization", "route", "point"], name="routestop_unique_point"),
        ]

    def __str__(self) -> str:
        return f"{self.route} · {self.sequence} · {self.point.code}"


class Trip(TenantModel):
    """The trip log of a vehicle's working day: when it left and came back, the odometer, the fuel it took."""

    route = models.ForeignKey(
        Route, on_delete=models.PROTECT, null=True, blank=True, related_name="trips", verbose_name=_("route")
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, related_name="trips", verbose_name=_("vehicle")
    )
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("driver"),
    )
    date = models.DateField(_("date"))
    started_at = models.DateTimeField(_("left the depot"), null=True, blank=True)
    ended_at = models.DateTimeField(_("back at the depot"), null=True, blank=True)
    odometer_start_km = models.PositiveIntegerField(_("odometer at start, km"), null=True, blank=True)
    odometer_end_km = models.PositiveIntegerField(_("odometer at end, km"), null=True, blank=True)
    distance_km = models.DecimalField(
        _("distance, km"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    fuel_litres = models.DecimalField(
        _("fuel, l"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trip")
        verbose_name_plural = _("trip log")
        ordering = ["-date", "vehicle__plate"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "route"], name="trip_unique_route"),
            models.CheckConstraint(
                condition=Q(odometer_end_km__isnull=True)
                | Q(odometer_start_km__isnull=True)
                | Q(odometer_end_km__gte=models.F("odometer_start_km")),
                name="trip_odometer_forward",
            ),
        ]
        indexes = [models.Index(fields=["organization", "vehicle", "date"], name="trip_org_vehicle_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.vehicle.plate}"


class TripLoad(TenantModel):
    """One load unloaded at a landfill during a trip, with its volume (and weight where there is a scale)."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="loads", verbose_name=_("trip"))
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("unloaded at")
    )
    unloaded_at = models.DateTimeField(_("unloaded"))
    volume_m3 = models.DecimalField(_("volume, m³"), **VOLUME)
    weight_kg = models.PositiveIntegerField(_("weight, kg"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("load")
        verbose_name_plural = _("loads")
        ordering = ["trip", "unloaded_at"]
        indexes = [models.Index(fields=["organization", "unloaded_at"], name="tripload_org_unloaded")]

    def __str__(self) -> str:
        return f"{self.trip} · {self.volume_m3} m³"


class DriverEvent(TenantModel):
    """A mark the driver made on the phone (a point done or skipped, a load, leaving or coming back), received once.

    The phone makes ``client_id`` when the driver taps, so a mark sent twice over a flaky link (or again after the
    app was reopened) is recognised and not applied again.
    """

    client_id = models.UUIDField(_("id on the phone"))
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="events", verbose_name=_("route"))
    kind = models.CharField(_("kind"), max_length=15, choices=DriverEventKind.choices)
    payload = models.JSONField(_("data"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("marked on the phone"))
    received_at = models.DateTimeField(_("received"))
    received_from = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )

    class Meta:
        verbose_name = _("driver's mark")
        verbose_name_plural = _("driver's marks")
        ordering = ["route", "recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "client_id"], name="driverevent_unique_client_id")
        ]

    def __str__(self) -> str:
        return f"{self.route} · {self.get_kind_display()}"
