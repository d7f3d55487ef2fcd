"""Read-side queries of field work. Every query filters by organization explicitly."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from khizmat.core.search import search_key
from khizmat.fieldwork.choices import CrewPosition, StopStatus
from khizmat.fieldwork.models import (
    CollectionPoint,
    CrewMember,
    FuelRecord,
    MaintenanceRule,
    PickupDay,
    Route,
    RoutePlan,
    RouteStop,
    Trip,
    TripLoad,
    Vehicle,
    VehicleService,
)
from khizmat.inventory.choices import EquipmentStatus
from khizmat.tenancy.calendar import working_days_between
from khizmat.tenancy.localtime import local_today


@dataclass
class StreetPickups:
    """One line of the public schedule: a street (or a whole settlement) and when the truck comes."""

    settlement: str
    street: str
    days: list[PickupDay] = field(default_factory=list)


def organization_ids_with_pickup_schedule() -> set[int]:
    """Organizations that publish a pickup schedule (for the citizen portal's directory; call unscoped)."""
    return set(PickupDay.objects.values_list("organization_id", flat=True).distinct())


def pickup_schedule(*, organization, query: str = "") -> list[StreetPickups]:
    """The weekly schedule by settlement and street; ``query`` keeps the streets or settlements whose name contains
    each of its words (any script or spelling, as the other searches)."""
    days = (
        PickupDay.objects.filter(organization=organization)
        .select_related("settlement")
        .order_by("settlement__name", "street", "weekday", "shift")
    )
    words = [key for key in (search_key(word) for word in query.split()) if key]
    lines: dict[tuple[int, str], StreetPickups] = {}
    for day in days:
        key = (day.settlement_id, day.street)
        if key not in lines:
            if words:
                text = f"{search_key(day.street)} {day.settlement.search_key}"
                if not all(word in text for word in words):
                    continue
            lines[key] = StreetPickups(settlement=str(day.settlement), street=day.street)
        lines[key].days.append(day)
    return list(lines.values())


@dataclass
class VehiclePerformance:
    """What a vehicle did over a period, and whether it stays productive."""

    vehicle: Vehicle
    trips: int
    km: Decimal
    loads: int
    volume_m3: Decimal
    fuel_litres: Decimal
    working_days: int
    load_factor: float | None  # share of the capacity filled per load
    fuel_per_100km: Decimal | None
    flags: list[str] = field(default_factory=list)


# Deviations flagged on the vehicle page: fuel above the norm by more than this share, loads under this fill.
FUEL_TOLERANCE = Decimal("0.10")
LOW_LOAD_FACTOR = 0.6
LOW_USE_SHARE = 0.5


def vehicle_performance(
    *, organization, start: datetime.date, end: datetime.date
) -> list[VehiclePerformance]:
    """Per vehicle over [start, end]: trips, km, loads and their volume, fuel per 100 km against its norm, and the
    deviations (fuel over the norm, half-empty loads, a vehicle in service that stood idle most working days)."""
    trips = (
        Trip.objects.filter(organization=organization, date__range=(start, end))
        .values("vehicle")
        .annotate(
            trips=Count("pk"),
            km=Coalesce(Sum("distance_km"), Decimal("0")),
            fuel=Coalesce(Sum("fuel_litres", filter=Q(distance_km__isnull=False)), Decimal("0")),
            days=Count("date", distinct=True),
        )
    )
    loads = (
        TripLoad.objects.filter(organization=organization, trip__date__range=(start, end))
        .values("trip__vehicle")
        .annotate(loads=Count("pk"), volume=Coalesce(Sum("volume_m3"), Decimal("0")))
    )
    by_trips = {row["vehicle"]: row for row in trips}
    by_loads = {row["trip__vehicle"]: row for row in loads}
    last = min(end, local_today(organization))
    working_days = working_days_between(organization.country, start - datetime.timedelta(days=1), last)
    rows = []
    for vehicle in (
        Vehicle.objects.filter(organization=organization)
        .select_related("equipment__funder_project")
        .order_by("plate")
    ):
        t = by_trips.get(vehicle.pk, {})
        lo = by_loads.get(vehicle.pk, {})
        # SQLite sums decimals in floating point: round to the columns' places.
        km = Decimal(t.get("km", 0)).quantize(Decimal("0.1"))
        fuel = Decimal(t.get("fuel", 0)).quantize(Decimal("0.1"))
        count_loads, volume = lo.get("loads", 0), Decimal(lo.get("volume", 0)).quantize(Decimal("0.01"))
        load_factor = (
            float(volume / (count_loads * vehicle.capacity_m3))
            if count_loads and vehicle.capacity_m3
            else None
        )
        per_100 = (fuel * 100 / km).quantize(Decimal("0.1")) if km else None
        row = VehiclePerformance(
            vehicle=vehicle,
            trips=t.get("trips", 0),
            km=km,
            loads=count_loads,
            volume_m3=volume,
            fuel_litres=fuel,
            working_days=t.get("days", 0),
            load_factor=load_factor,
            fuel_per_100km=per_100,
        )
        if per_100 is not None and per_100 > vehicle.fuel_norm * (1 + FUEL_TOLERANCE):
            row.flags.append(
                _("Fuel %(actual)s l/100 km against a norm of %(norm)s")
                % {"actual": per_100, "norm": vehicle.fuel_norm}
            )
        if load_factor is not None and load_factor < LOW_LOAD_FACTOR:
            row.flags.append(
                _("Loads only %(percent)d%% full on average") % {"percent": round(load_factor * 100)}
            )
        if (
            vehicle.equipment.status == EquipmentStatus.IN_USE
            and working_days
            and row.working_days < working_days * LOW_USE_SHARE
        ):
            row.flags.append(
                _("Out on %(used)d of %(days)d working days")
                % {"used": row.working_days, "days": working_days}
            )
        rows.append(row)
    return rows


def routes_of_day(*, organization, date: datetime.date):
    return (
        Route.objects.filter(organization=organization, date=date)
        .select_related("vehicle", "driver")
        .annotate(
            stop_count=Count("stops"),
            done_count=Count("stops", filter=Q(stops__status=StopStatus.DONE)),
            skipped_count=Count("stops", filter=Q(stops__status=StopStatus.SKIPPED)),
        )
        .order_by("vehicle__plate")
    )


def routes_of_driver(*, organization, user, date: datetime.date):
    return routes_of_day(organization=organization, date=date).filter(driver=user)


def route_stops(*, route: Route):
    return (
        RouteStop.objects.filter(organization=route.organization_id, route=route)
        .select_related("point", "report")
        .order_by("sequence")
    )


def plan_routes(*, plan: RoutePlan) -> list[dict]:
    """The plan's routes with their vehicles and points, for the page and its map."""
    items = plan.result.get("routes", [])
    vehicles = Vehicle.objects.filter(organization=plan.organization_id).in_bulk(
        [item["vehicle"] for item in items]
    )
    point_ids = [pk for item in items for trip in item["trips"] for pk in trip]
    points = CollectionPoint.objects.filter(organization=plan.organization_id).in_bulk(point_ids)
    rows = []
    for item in items:
        vehicle = vehicles.get(item["vehicle"])
        capacity = float(vehicle.capacity_m3) * 1000 if vehicle else 0
        rows.append(
            {
                "vehicle": vehicle,
                "trips": len(item["trips"]),
                "stops": sum(len(trip) for trip in item["trips"]),
                "km": round(item["distance_m"] / 1000, 1),
                "hours": round(item["duration_s"] / 3600, 1),
                "fill": round(100 * sum(item["loads_l"]) / (capacity * len(item["loads_l"])))
                if capacity and item["loads_l"]
                else None,
                "path": [
                    [float(points[pk].latitude), float(points[pk].longitude)]
                    for trip in item["trips"]
                    for pk in trip
                    if pk in points
                ],
            }
        )
    return rows


# --- Fleet: odometer, maintenance plan, the fleet list ---------------------------------------------------------------

# A service is flagged "soon" this many days or kilometres before it is due.
MAINTENANCE_SOON_DAYS = 14
MAINTENANCE_SOON_KM = 500


@dataclass(frozen=True)
class OdometerReading:
    km: int
    date: datetime.date


def odometers(*, organization_id: int, vehicle_ids, on_or_before=None) -> dict[int, OdometerReading]:
    """The highest reading of each vehicle (up to ``on_or_before``), with the day it was read. Four aggregate
    queries whatever the number of vehicles: each source's highest reading per vehicle."""
    best: dict[int, OdometerReading] = {}
    day = {} if on_or_before is None else {"date__lte": on_or_before}
    base = {"organization": organization_id, "vehicle__in": list(vehicle_ids), **day}
    sources = [
        (Trip, "odometer_end_km"),
        (Trip, "odometer_start_km"),
        (VehicleService, "odometer_km"),
        (FuelRecord, "odometer_km"),
    ]
    for model, column in sources:
        rows = (
            model.objects.filter(**base, **{f"{column}__isnull": False})
            .values("vehicle")
            .annotate(km=Max(column), date=Max("date"))
        )
        for row in rows:
            current = best.get(row["vehicle"])
            if current is None or row["km"] > current.km:
                best[row["vehicle"]] = OdometerReading(km=row["km"], date=row["date"])
    return best


def vehicle_odometer(vehicle: Vehicle, *, on_or_before=None) -> OdometerReading | None:
    return odometers(
        organization_id=vehicle.organization_id, vehicle_ids=[vehicle.pk], on_or_before=on_or_before
    ).get(vehicle.pk)


@dataclass
class MaintenanceDue:
    """When a plan's service is next due, and whether it is overdue, due soon or fine."""

    rule: MaintenanceRule
    last_date: datetime.date
    last_km: int | None
    next_date: datetime.date | None
    next_km: int | None
    state: str  # "overdue", "soon", "ok"

    @property
    def label(self) -> str:
        return {"overdue": _("overdue"), "soon": _("due soon"), "ok": _("planned")}[self.state]


def maintenance_due(
    *, organization, vehicle_ids=None, today: datetime.date | None = None, readings=None
) -> list[MaintenanceDue]:
    """The active maintenance plan of the organization's vehicles (or of ``vehicle_ids``), each service with its next
    date and odometer reading: counted from the last log entry that fulfilled it, else from the rule's start. Due
    when either comes first; "soon" within MAINTENANCE_SOON_DAYS or MAINTENANCE_SOON_KM. Most urgent first."""
    today = today or local_today(organization)
    rules = MaintenanceRule.objects.filter(organization=organization, is_active=True).select_related(
        "vehicle"
    )
    if vehicle_ids is not None:
        rules = rules.filter(vehicle__in=list(vehicle_ids))
    rules = list(rules)
    if not rules:
        return []
    last = {
        row["rule"]: row
        for row in VehicleService.objects.filter(organization=organization, rule__in=[r.pk for r in rules])
        .values("rule")
        .annotate(date=Max("date"), km=Max("odometer_km"))
    }
    if readings is None:
        readings = odometers(organization_id=organization.pk, vehicle_ids={r.vehicle_id for r in rules})
    due = []
    for rule in rules:
        done = last.get(rule.pk)
        last_date = done["date"] if done else rule.start_date
        last_km = (done["km"] if done else None) or rule.start_km
        next_date = last_date + datetime.timedelta(days=rule.every_days) if rule.every_days else None
        next_km = last_km + rule.every_km if rule.every_km and last_km is not None else None
        reading = readings.get(rule.vehicle_id)
        current_km = reading.km if reading else None
        if (next_date and next_date <= today) or (
            next_km and current_km is not None and current_km >= next_km
        ):
            state = "overdue"
        elif (next_date and (next_date - today).days <= MAINTENANCE_SOON_DAYS) or (
            next_km and current_km is not None and next_km - current_km <= MAINTENANCE_SOON_KM
        ):
            state = "soon"
        else:
            state = "ok"
        due.append(MaintenanceDue(rule, last_date, last_km, next_date, next_km, state))
    order = {"overdue": 0, "soon": 1, "ok": 2}
    due.sort(key=lambda d: (order[d.state], d.next_date or datetime.date.max, d.rule.vehicle.plate))
    return due


@dataclass
class FleetRow:
    vehicle: Vehicle
    reading: OdometerReading | None
    drivers: list[str]
    due: list[MaintenanceDue]

    @property
    def worst(self) -> MaintenanceDue | None:
        return self.due[0] if self.due else None


def fleet(*, organization, include_written_off: bool = False) -> list[FleetRow]:
    """The fleet page: every vehicle with its status, odometer, drivers and the most urgent service of its plan.
    A handful of queries whatever the fleet's size."""
    vehicles = Vehicle.objects.filter(organization=organization).select_related("equipment__funder_project")
    if not include_written_off:
        vehicles = vehicles.exclude(equipment__status=EquipmentStatus.WRITTEN_OFF)
    vehicles = list(vehicles.order_by("plate"))
    ids = [v.pk for v in vehicles]
    readings = odometers(organization_id=organization.pk, vehicle_ids=ids)
    due_by_vehicle: dict[int, list[MaintenanceDue]] = {}
    for item in maintenance_due(organization=organization, vehicle_ids=ids, readings=readings):
        due_by_vehicle.setdefault(item.rule.vehicle_id, []).append(item)
    drivers: dict[int, list[str]] = {}
    for vehicle_id, name in (
        CrewMember.objects.filter(
            organization=organization, vehicle__in=ids, is_active=True, position=CrewPosition.DRIVER
        )
        .order_by("name")
        .values_list("vehicle", "name")
    ):
        drivers.setdefault(vehicle_id, []).append(name)
    return [
        FleetRow(v, readings.get(v.pk), drivers.get(v.pk, []), due_by_vehicle.get(v.pk, [])) for v in vehicles
    ]
