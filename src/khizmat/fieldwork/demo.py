"""Demo field work of the Toktogul municipal enterprise «Ыңгайлуу шарт»: its trucks (the special vehicles donated by
the pilot project among them), the yard and the landfill, about 300 container sites and streets around the real
town coordinates (41.87 N, 72.94 E; the two villages' clusters are placed a few kilometres off, illustratively) and
the weekly pickup schedule per street; crews, three months of routes and trip logs, today's and tomorrow's routes.

Idempotent: an enterprise that already has vehicles gets nothing more. Deterministic: one seeded generator. The points
are not scaled (a day's plan needs all of them); below scale 1 the trip history is (two weeks at the least).
"""

import datetime
import math
import random
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from khizmat.billing.demo import BAZAAR_STREET, ORGANIZATION_CODE, STREETS
from khizmat.core.demo import DemoLogin, register
from khizmat.fieldwork import dayplan
from khizmat.fieldwork.choices import (
    CrewPosition,
    FacilityKind,
    PlanScope,
    PointKind,
    RouteStatus,
    ServiceKind,
    Shift,
    SkipReason,
    StopStatus,
    VehicleKind,
    Weekday,
)
from khizmat.fieldwork.models import (
    CollectionPoint,
    CrewMember,
    Facility,
    FuelRecord,
    MaintenanceRule,
    PickupDay,
    Route,
    RouteStop,
    Trip,
    TripLoad,
    Vehicle,
    VehicleService,
)
from khizmat.fieldwork.planning import route_cost
from khizmat.fieldwork.services import vehicle_create
from khizmat.inventory.choices import EquipmentStatus
from khizmat.tenancy.calendar import is_working_day
from khizmat.tenancy.models import Organization, Settlement, User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled

TOWN_CENTRE = (41.8740, 72.9410)
# Illustrative centres of the village clusters (kilometres north and east of the town centre).
CLUSTERS = {
    "Toktogul": ((0.0, 0.0), 2.2, 220),
    "Chech-Dobo": ((-4.5, 5.5), 0.9, 45),
    "Uch-Terek": ((3.0, -6.0), 0.8, 35),
}
# The special vehicles the SDC/Helvetas project gave the enterprise (the funder project's organization code), with
# what each cost and when it came.
DONOR = "sdc-helvetas"
DONATED = {
    "03 451 AKB": ("78500.00", datetime.date(2023, 6, 12)),
    "03 452 AKB": ("78500.00", datetime.date(2023, 6, 12)),
    "03 453 AKB": ("61200.00", datetime.date(2023, 6, 12)),
}
VEHICLES = [
    # plate, kind, make and model, year, m³, kg, l/100 km, donor, status
    # A compactor's 16 m³ body takes about 40 m³ of loose waste (what the containers hold) per load.
    ("03 451 AKB", VehicleKind.COMPACTOR, "MAZ-5340 compactor, 16 m³ body", 2023, "40.00", 8000, "38.0", DONOR, EquipmentStatus.IN_USE),
    ("03 452 AKB", VehicleKind.COMPACTOR, "MAZ-5340 compactor, 16 m³ body", 2023, "40.00", 8000, "38.0", DONOR, EquipmentStatus.IN_USE),
    ("03 118 ACE", VehicleKind.TIPPER, "KamAZ-43255 tipper", 2014, "10.00", 7000, "32.0", "", EquipmentStatus.IN_USE),
    ("03 207 ABX", VehicleKind.TRACTOR, "MTZ-82 with a 2PTS-4 trailer", 2011, "6.00", 4000, "14.0", "", EquipmentStatus.IN_USE),
    ("03 453 AKB", VehicleKind.WATER_TANKER, "MAZ watering truck", 2023, "8.00", 8000, "30.0", DONOR, EquipmentStatus.IN_USE),
    ("03 090 AAM", VehicleKind.LOADER, "Front loader MTZ-82 PKU", 2009, "0.80", 800, "12.0", "", EquipmentStatus.IN_REPAIR),
]  # fmt: skip
WEEKLY = {
    # settlement: the day pairs (town) or the day (villages) its streets take in turn
    "Toktogul": [(Weekday.MONDAY, Weekday.THURSDAY), (Weekday.TUESDAY, Weekday.FRIDAY), (Weekday.WEDNESDAY, Weekday.SATURDAY)],
    "Chech-Dobo": [(Weekday.WEDNESDAY,)],
    "Uch-Terek": [(Weekday.SATURDAY,)],
}  # fmt: skip


def _offset(km_north: float, km_east: float) -> tuple[Decimal, Decimal]:
    latitude = TOWN_CENTRE[0] + km_north / 111.0
    longitude = TOWN_CENTRE[1] + km_east / (111.0 * math.cos(math.radians(TOWN_CENTRE[0])))
    return Decimal(f"{latitude:.6f}"), Decimal(f"{longitude:.6f}")


@register
def build_fieldwork(*, stdout, scale: float = 1.0) -> list[DemoLogin]:
    """Vehicles with a few services each, the yard and the landfill, the points and the schedule; once."""
    with scopes_disabled():
        organization = Organization.objects.select_related("country").filter(code=ORGANIZATION_CODE).first()
        if organization is None or Vehicle.objects.filter(organization=organization).exists():
            return []
        settlements = {
            s.name_en: s
            for s in Settlement.objects.filter(district__code="TOK", district__region__country__code="KG")
        }
        if any(name not in settlements for name in CLUSTERS):
            raise RuntimeError(
                "The demo settlements of Toktogul district are missing: run the foundation first."
            )
        rng = random.Random(8)
        vehicles = _vehicles(organization, rng)
        yard = _offset(-0.8, 1.1)
        landfill = _offset(3.4, -2.6)
        Facility.objects.bulk_create(
            [
                Facility(organization=organization, kind=FacilityKind.DEPOT, name="Enterprise yard",
                         latitude=yard[0], longitude=yard[1]),
                Facility(organization=organization, kind=FacilityKind.LANDFILL, name="Toktogul landfill",
                         latitude=landfill[0], longitude=landfill[1], unload_minutes=15),
            ]
        )  # fmt: skip
        points = _points(organization, settlements, rng)
        days = _schedule(organization, settlements, points)
        _crews(organization, vehicles)
        # A day's plan needs every point whatever the scale; the trip history is scaled (two weeks at the least).
        history_days = _full_history_days() if scale >= 1 else max(14, round(HISTORY_DAYS * scale))
        routes, trips = _history(organization, rng, history_days)
    stdout.write(
        f"Field work: {len(vehicles)} vehicles, {len(points)} collection points, {days} pickup days, "
        f"{routes} routes and {trips} trips over {history_days} days for {organization.code}."
    )
    return []  # the driver's login (<code>.driver) comes with the foundation's logins


CREWS = {
    # plate: driver, loader
    "03 451 AKB": ("Бакыт Осмонов", "Нурлан Жумабаев"),
    "03 452 AKB": ("Азамат Токтосунов", "Эрлан Сыдыков"),
    "03 118 ACE": ("Улан Асанов", ""),
    "03 207 ABX": ("Максат Бообеков", ""),
    "03 453 AKB": ("Таалай Мамытов", ""),
    "03 090 AAM": ("Жоомарт Курманов", ""),
}
HISTORY_DAYS = 91
BAZAAR_OPENS = datetime.time(9, 0)
# Container sites this close to the town centre (km) serve the central square and the park: public areas.
PUBLIC_CENTRE_KM = 0.4
# The tractor goes out on about a third of the days (no fuel money on the others): flagged as under-used.
TRACTOR_SHARE = 0.35


def _full_history_days() -> int:
    """From the first day of the month three months back: the municipal order's acts of those months are whole."""
    today = timezone.localdate()
    month, year = today.month - 3, today.year
    if month < 1:
        month, year = month + 12, year - 1
    return (today - datetime.date(year, month, 1)).days


def _crews(organization, vehicles):
    """A driver (and a loader for the compactors) per vehicle; the first compactor's driver has the demo driver
    login, so ``<code>.driver`` sees its routes on the phone page."""
    driver = User.objects.filter(username=f"{organization.code}.{Role.DRIVER}").first()
    rows = []
    for vehicle in vehicles:
        driver_name, loader_name = CREWS[vehicle.plate]
        user = driver if vehicle.plate == VEHICLES[0][0] else None
        name = f"{user.last_name} {user.first_name}".strip() if user else driver_name
        rows.append(
            CrewMember(organization=organization, vehicle=vehicle, name=name or driver_name, user=user)
        )
        if loader_name:
            rows.append(
                CrewMember(
                    organization=organization, vehicle=vehicle, name=loader_name, position=CrewPosition.LOADER
                )
            )
    CrewMember.objects.bulk_create(rows)
    return driver


def _history(organization, rng, days: int) -> tuple[int, int]:
    """Three months of working days driven street by street (as the dispatcher draws them), with their trip logs
    and loads, a few skipped points; then today's and tomorrow's routes, planned."""
    vehicles = dayplan.collecting_vehicles(organization=organization)
    points = {p.pk: p for p in CollectionPoint.objects.filter(organization=organization)}
    landfill = Facility.objects.get(organization=organization, kind=FacilityKind.LANDFILL)
    drivers = {
        m.vehicle_id: m.user for m in CrewMember.objects.filter(organization=organization, position="driver")
    }
    today = timezone.localdate()
    # The odometer goes on from the maintenance log's last reading.
    last_km = dict(
        VehicleService.objects.filter(organization=organization)
        .values("vehicle")
        .annotate(km=Max("odometer_km"))
        .values_list("vehicle", "km")
    )
    odometer = {v.pk: last_km.get(v.pk) or rng.randint(20_000, 60_000) for v in vehicles}
    routes, stops, trips, loads = [], [], [], []
    for offset in range(days, -2, -1):
        day = today - datetime.timedelta(days=offset)
        if not is_working_day(organization.country, day):
            continue
        out = [
            v
            for v in vehicles
            if v.kind != VehicleKind.TRACTOR or rng.random() < TRACTOR_SHARE or offset <= 0
        ]
        due = dayplan.points_for_day(organization=organization, date=day, scope=PlanScope.SCHEDULED)
        if not due or not out:
            continue
        drawn = dayplan.manual_trips(due, out)
        cost = {}
        if offset > 0:
            problem = dayplan.build_problem(
                organization=organization, points=due, vehicles=out, shift_minutes=540
            )
            matrix = problem.matrix()
            cost = {
                pk: route_cost(problem, f"v{pk}", dayplan.keys(trips_), matrix=matrix)
                for pk, trips_ in drawn.items()
            }
        for vehicle in out:
            if vehicle.pk not in drawn:
                continue
            route = Route(
                organization=organization,
                date=day,
                vehicle=vehicle,
                driver=drivers.get(vehicle.pk),
                status=RouteStatus.FINISHED if offset > 0 else RouteStatus.PLANNED,
            )
            routes.append(route)
            sequence = 0
            for number, trip_points in enumerate(drawn[vehicle.pk], start=1):
                for pk in trip_points:
                    sequence += 1
                    skipped = offset > 0 and rng.random() < 0.015
                    stops.append(
                        RouteStop(
                            organization=organization,
                            route=route,
                            point_id=pk,
                            sequence=sequence,
                            trip_number=number,
                            status=(StopStatus.SKIPPED if skipped else StopStatus.DONE)
                            if offset > 0
                            else StopStatus.PENDING,
                            skip_reason=rng.choice(DEMO_SKIPS) if skipped else "",
                            marked_at=_at(day, 7 + sequence * 4 // 60, sequence * 4 % 60)
                            if offset > 0
                            else None,
                        )
                    )
            if offset <= 0:
                continue
            walked = cost[vehicle.pk]
            km = round(walked.distance_m / 1000 * rng.uniform(1.05, 1.2))
            # Most days near the norm; the old tipper burns well above it.
            over = rng.uniform(1.1, 1.35) if vehicle.kind == VehicleKind.TIPPER else rng.uniform(0.88, 1.06)
            start = odometer[vehicle.pk]
            odometer[vehicle.pk] += km
            trip = Trip(
                organization=organization,
                route=route,
                vehicle=vehicle,
                driver=drivers.get(vehicle.pk),
                date=day,
                started_at=_at(day, 7, rng.randint(0, 20)),
                ended_at=_at(day, 7, 30) + datetime.timedelta(seconds=walked.duration_s),
                odometer_start_km=start,
                odometer_end_km=start + km,
                distance_km=Decimal(km),
                fuel_litres=(Decimal(km) * vehicle.fuel_norm / 100 * Decimal(str(round(over, 3)))).quantize(
                    Decimal("0.1")
                ),
            )
            trips.append(trip)
            for number, trip_points in enumerate(drawn[vehicle.pk], start=1):
                volume = sum(points[pk].expected_m3 for pk in trip_points) * Decimal(
                    str(round(rng.uniform(0.85, 1.05), 2))
                )
                loads.append(
                    TripLoad(
                        organization=organization,
                        trip=trip,
                        facility=landfill,
                        unloaded_at=_at(day, 8 + number * 2, rng.randint(0, 59)),
                        volume_m3=min(volume, vehicle.capacity_m3).quantize(Decimal("0.01")),
                    )
                )
    trips.extend(_watering_trips(organization, rng, today, days))
    Route.objects.bulk_create(routes)
    for stop in stops:
        stop.route_id = stop.route.pk
    RouteStop.objects.bulk_create(stops, batch_size=2000)
    for trip in trips:
        trip.route_id = trip.route.pk if trip.route else None
    Trip.objects.bulk_create(trips)
    for load in loads:
        load.trip_id = load.trip.pk
    TripLoad.objects.bulk_create(loads, batch_size=2000)
    FuelRecord.objects.bulk_create(_refuellings(organization, trips, rng))
    return len(routes), len(trips)


def _refuellings(organization, trips: list[Trip], rng) -> list[FuelRecord]:
    """The last four weeks' refuellings: a full tank after about every fourth trip, at that trip's odometer."""
    since = timezone.localdate() - datetime.timedelta(days=28)
    by_vehicle: dict[int, list[Trip]] = {}
    for trip in trips:
        if trip.date >= since and trip.odometer_end_km:
            by_vehicle.setdefault(trip.vehicle_id, []).append(trip)
    records = []
    for vehicle_trips in by_vehicle.values():
        vehicle_trips.sort(key=lambda t: (t.date, t.odometer_end_km))
        burnt = Decimal("0")
        for index, trip in enumerate(vehicle_trips, start=1):
            burnt += trip.fuel_litres or 0
            if index % 4 == 0:
                records.append(
                    FuelRecord(
                        organization=organization,
                        vehicle_id=trip.vehicle_id,
                        date=trip.date,
                        litres=burnt.quantize(Decimal("0.1")) or Decimal("40.0"),
                        cost=(burnt * rng.choice((Decimal("92"), Decimal("95")))).quantize(Decimal("1")),
                        currency=organization.currency,
                        odometer_km=trip.odometer_end_km,
                        note="Toktogul filling station",
                    )
                )
                burnt = Decimal("0")
    return records


def _watering_trips(organization, rng, today, days: int) -> list[Trip]:
    """The donated water tanker waters the town's green areas three days a week: trips without a collection route."""
    tanker = Vehicle.objects.get(organization=organization, kind=VehicleKind.WATER_TANKER)
    last = VehicleService.objects.filter(organization=organization, vehicle=tanker).aggregate(
        km=Max("odometer_km")
    )
    trips, odometer = [], last["km"] or rng.randint(15_000, 30_000)
    for offset in range(days, 0, -1):
        day = today - datetime.timedelta(days=offset)
        if day.weekday() not in (0, 2, 4) or not is_working_day(organization.country, day):
            continue
        km = rng.randint(28, 46)
        trips.append(
            Trip(
                organization=organization,
                vehicle=tanker,
                date=day,
                started_at=_at(day, 6, 30),
                ended_at=_at(day, 11, rng.randint(0, 59)),
                odometer_start_km=odometer,
                odometer_end_km=odometer + km,
                distance_km=Decimal(km),
                fuel_litres=(
                    Decimal(km) * tanker.fuel_norm / 100 * Decimal(str(round(rng.uniform(0.9, 1.05), 3)))
                ).quantize(Decimal("0.1")),
                notes="Watering the park and the central square",
            )
        )
        odometer += km
    return trips


DEMO_SKIPS = [SkipReason.BLOCKED, SkipReason.CONTAINER_DAMAGED, SkipReason.NO_WASTE, SkipReason.BLOCKED]


def _at(day, hour, minute) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(min(hour, 23), minute)))


def _vehicles(organization, rng) -> list[Vehicle]:
    """Each vehicle with its equipment record (the inventory's), through the service, by the enterprise's manager."""
    manager = User.objects.filter(username=f"{organization.code}.{Role.MANAGER}").first()
    if manager is None:
        raise RuntimeError("The demo manager of the enterprise is missing: run the foundation first.")
    funder = Organization.objects.filter(code=DONOR).first()
    vehicles = []
    for plate, kind, model, year, m3, kg, norm, donor, status in VEHICLES:
        cost, delivered = DONATED.get(plate, (None, None))
        vehicles.append(
            vehicle_create(
                actor=manager,
                organization=organization,
                plate=plate,
                kind=kind,
                make_model=model,
                year=year,
                capacity_m3=Decimal(m3),
                capacity_kg=kg,
                fuel_norm=Decimal(norm),
                funder_project=funder if donor else None,
                cost=cost,
                currency="USD" if cost else "",
                delivery_date=delivered,
                status=status,
            )
        )
    # The maintenance plan: oil every 3 months (one truck a little more often: it is due soon) or 10,000 km, and
    # the yearly inspection; the log's entries fulfil them, so the fleet page shows what is due next.
    plan = {}
    for index, vehicle in enumerate(vehicles):
        plan[vehicle.pk] = MaintenanceRule.objects.bulk_create(
            [
                MaintenanceRule(
                    organization=organization,
                    vehicle=vehicle,
                    name="Engine oil and filters",
                    kind=ServiceKind.SERVICE,
                    every_days=(100, 85, 120)[index % 3],
                    every_km=10_000,
                    start_date=_months_ago(12),
                ),
                MaintenanceRule(
                    organization=organization,
                    vehicle=vehicle,
                    name="Technical inspection",
                    kind=ServiceKind.INSPECTION,
                    every_days=365,
                    start_date=_months_ago(12),
                ),
            ]
        )
    services = []
    for vehicle in vehicles:
        oil, inspection = plan[vehicle.pk]
        donated = vehicle.equipment.funder_project_id is not None
        odometer = rng.randint(8_000, 60_000) if donated else rng.randint(120_000, 310_000)
        for months_ago in (9, 6, 3):
            odometer += rng.randint(3_000, 6_000)
            services.append(
                VehicleService(
                    organization=organization,
                    vehicle=vehicle,
                    rule=oil if months_ago != 6 else inspection,
                    date=_months_ago(months_ago),
                    kind=ServiceKind.SERVICE if months_ago != 6 else ServiceKind.INSPECTION,
                    odometer_km=odometer,
                    cost=Decimal(rng.randint(30, 120) * 100),
                    currency=organization.currency,
                    description="Oil and filters" if months_ago != 6 else "Yearly technical inspection",
                )
            )
    VehicleService.objects.bulk_create(services)
    return vehicles


def _months_ago(months: int):
    today = timezone.localdate()
    month = today.month - months
    year = today.year + (month - 1) // 12
    return today.replace(year=year, month=(month - 1) % 12 + 1, day=min(today.day, 28))


def _points(organization, settlements, rng) -> list[CollectionPoint]:
    points = []
    for place, ((north, east), radius, count) in CLUSTERS.items():
        streets = STREETS[place]
        for index in range(count):
            # Uniform over a disc: the square root keeps the outskirts as dense as the centre.
            distance = radius * math.sqrt(rng.random())
            angle = rng.uniform(0, 2 * math.pi)
            latitude, longitude = _offset(
                north + distance * math.cos(angle), east + distance * math.sin(angle)
            )
            street = streets[index % len(streets)]
            door_to_door = place != "Toktogul" and index % 3 == 0
            # Public areas (the town's order pays for them, not the subscribers): the bazaar, and the central square
            # and park around the town centre.
            public = place == "Toktogul" and (street == BAZAAR_STREET or distance < PUBLIC_CENTRE_KM)
            points.append(
                CollectionPoint(
                    organization=organization,
                    code=f"{place[:3].upper()}-{index + 1:03d}",
                    name=f"{street}, {rng.randint(1, 120)}",
                    kind=PointKind.STREET_SEGMENT if door_to_door else PointKind.CONTAINER_SITE,
                    settlement=settlements[place],
                    street=street,
                    latitude=latitude,
                    longitude=longitude,
                    containers=1 if door_to_door else rng.choice((1, 1, 2, 2, 3)),
                    container_m3=Decimal("0.24") if door_to_door else Decimal("0.75"),
                    fill_percent=rng.choice((50, 60, 70, 80, 90)),
                    service_minutes=6 if door_to_door else 3,
                    # The bazaar's containers are emptied before it opens.
                    open_until=BAZAAR_OPENS if place == "Toktogul" and street == BAZAAR_STREET else None,
                    is_public_area=public,
                )
            )
    return CollectionPoint.objects.bulk_create(points)


def _schedule(organization, settlements, points) -> int:
    streets = {(p.settlement_id, p.street) for p in points}
    rows = []
    for place, patterns in WEEKLY.items():
        settlement = settlements[place]
        for index, street in enumerate(sorted(s for pk, s in streets if pk == settlement.pk)):
            for day in patterns[index % len(patterns)]:
                rows.append(
                    PickupDay(
                        organization=organization,
                        settlement=settlement,
                        street=street,
                        weekday=day,
                        shift=Shift.MORNING if index % 4 else Shift.AFTERNOON,
                    )
                )
    PickupDay.objects.bulk_create(rows)
    return len(rows)
