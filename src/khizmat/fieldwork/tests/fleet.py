"""A small enterprise for route tests (unit and browser): a yard, a landfill, two trucks with their drivers, and
twelve container sites of one settlement collected on one weekday (Monday unless told)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest

from khizmat.fieldwork.choices import FacilityKind, VehicleKind, Weekday
from khizmat.fieldwork.models import CollectionPoint, Facility, Vehicle
from khizmat.fieldwork.tests.factories import (
    CollectionPointFactory,
    CrewMemberFactory,
    FacilityFactory,
    PickupDayFactory,
    VehicleFactory,
)
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import SettlementFactory

MONDAY = datetime.date(2026, 12, 7)


@dataclass
class Fleet:
    organization: object
    depot: Facility
    landfill: Facility
    vehicles: list[Vehicle]
    points: list[CollectionPoint]
    dispatcher: object
    driver: object
    monday: datetime.date = MONDAY


@pytest.fixture
def fleet(org_b, member):
    return make_fleet(org_b, member)


def make_fleet(org_b, member, *, weekday: int = Weekday.MONDAY, **user_fields) -> Fleet:
    """The small enterprise; ``weekday`` is the day its points are collected, ``user_fields`` name the users."""
    town = SettlementFactory(name="Toktogul")
    depot = FacilityFactory(
        organization=org_b, kind=FacilityKind.DEPOT, name="Yard", latitude="41.867000", longitude="72.954000"
    )
    landfill = FacilityFactory(
        organization=org_b, name="Landfill", latitude="41.905000", longitude="72.910000"
    )
    vehicles = [
        VehicleFactory(organization=org_b, plate="03 451 AKB", capacity_m3=Decimal("8.00")),
        VehicleFactory(
            organization=org_b, plate="03 118 ACE", kind=VehicleKind.TIPPER, capacity_m3=Decimal("6.00")
        ),
    ]
    VehicleFactory(organization=org_b, plate="03 453 AKB", kind=VehicleKind.WATER_TANKER)  # never on a route
    points = [
        CollectionPointFactory(
            organization=org_b,
            code=f"TOK-{i:03d}",
            settlement=town,
            street=f"Street {i % 3}",
            latitude=Decimal("41.860000") + Decimal(i % 4) * Decimal("0.004000"),
            longitude=Decimal("72.930000") + Decimal(i // 4) * Decimal("0.005000"),
            containers=2,
            container_m3=Decimal("0.75"),
            fill_percent=80,
        )
        for i in range(12)
    ]
    PickupDayFactory(organization=org_b, settlement=town, street="", weekday=weekday)
    dispatcher = member(org_b, Role.DISPATCHER, language="en", **user_fields.get("dispatcher", {}))
    driver = member(org_b, Role.DRIVER, language="en", **user_fields.get("driver", {}))
    CrewMemberFactory(organization=org_b, vehicle=vehicles[0], name="Bakyt", user=driver)
    return Fleet(org_b, depot, landfill, vehicles, points, dispatcher, driver)
