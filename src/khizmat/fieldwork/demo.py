"""Demo field work of the Toktogul municipal enterprise «Ыңгайлуу шарт»: its trucks (the special vehicles donated by
the pilot project among them), the yard and the landfill, about 300 container sites and streets around the real
town coordinates (41.87 N, 72.94 E; the two villages' clusters are placed a few kilometres off, illustratively) and
the weekly pickup schedule per street.

Idempotent: an enterprise that already has vehicles gets nothing more. Deterministic: one seeded generator. Not
scaled: a day's plan needs the whole set of points whatever the history volume.
"""

import math
import random
from decimal import Decimal

from django.utils import timezone

from khizmat.billing.demo import ORGANIZATION_CODE, STREETS
from khizmat.core.demo import DemoLogin, register
from khizmat.fieldwork.choices import (
    FacilityKind,
    PointKind,
    ServiceKind,
    Shift,
    VehicleKind,
    VehicleStatus,
    Weekday,
)
from khizmat.fieldwork.models import CollectionPoint, Facility, PickupDay, Vehicle, VehicleService
from khizmat.tenancy.models import Organization, Settlement
from khizmat.tenancy.scoping import scopes_disabled

TOWN_CENTRE = (41.8740, 72.9410)
# Illustrative centres of the village clusters (kilometres north and east of the town centre).
CLUSTERS = {
    "Toktogul": ((0.0, 0.0), 2.2, 220),
    "Chech-Dobo": ((-4.5, 5.5), 0.9, 45),
    "Uch-Terek": ((3.0, -6.0), 0.8, 35),
}
DONOR = "EU–UNDP «Support to rural municipalities» project"
VEHICLES = [
    # plate, kind, make and model, year, m³, kg, l/100 km, donor, status
    ("03 451 AKB", VehicleKind.COMPACTOR, "MAZ-5340 compactor", 2023, "16.00", 8000, "38.0", DONOR, VehicleStatus.ACTIVE),
    ("03 452 AKB", VehicleKind.COMPACTOR, "MAZ-5340 compactor", 2023, "16.00", 8000, "38.0", DONOR, VehicleStatus.ACTIVE),
    ("03 118 ACE", VehicleKind.TIPPER, "KamAZ-43255 tipper", 2014, "10.00", 7000, "32.0", "", VehicleStatus.ACTIVE),
    ("03 207 ABX", VehicleKind.TRACTOR, "MTZ-82 with a 2PTS-4 trailer", 2011, "6.00", 4000, "14.0", "", VehicleStatus.ACTIVE),
    ("03 453 AKB", VehicleKind.WATER_TANKER, "MAZ watering truck", 2023, "8.00", 8000, "30.0", DONOR, VehicleStatus.ACTIVE),
    ("03 090 AAM", VehicleKind.LOADER, "Front loader MTZ-82 PKU", 2009, "0.80", 800, "12.0", "", VehicleStatus.REPAIR),
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
    stdout.write(
        f"Field work: {len(vehicles)} vehicles, {len(points)} collection points, {days} pickup days "
        f"for {organization.code}."
    )
    return []


def _vehicles(organization, rng) -> list[Vehicle]:
    vehicles = Vehicle.objects.bulk_create(
        [
            Vehicle(
                organization=organization,
                plate=plate,
                kind=kind,
                make_model=model,
                year=year,
                capacity_m3=Decimal(m3),
                capacity_kg=kg,
                fuel_norm=Decimal(norm),
                donor=donor,
                status=status,
            )
            for plate, kind, model, year, m3, kg, norm, donor, status in VEHICLES
        ]
    )
    services = []
    for vehicle in vehicles:
        odometer = rng.randint(8_000, 60_000) if vehicle.donor else rng.randint(120_000, 310_000)
        for months_ago in (9, 6, 3):
            odometer += rng.randint(3_000, 6_000)
            services.append(
                VehicleService(
                    organization=organization,
                    vehicle=vehicle,
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
                    containers=1 if door_to_door else rng.choice((1, 2, 2, 3, 4)),
                    container_m3=Decimal("0.24") if door_to_door else Decimal("0.75"),
                    fill_percent=rng.choice((60, 70, 80, 90, 100)),
                    service_minutes=6 if door_to_door else 3,
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
