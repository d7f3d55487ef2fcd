import uuid
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.fieldwork.choices import (
    CrewPosition,
    DriverEventKind,
    FacilityKind,
    ServiceKind,
    VehicleKind,
    Weekday,
)
from khizmat.fieldwork.models import (
    CollectionPoint,
    CrewMember,
    DriverEvent,
    Facility,
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
from khizmat.inventory.choices import EquipmentType
from khizmat.inventory.tests.factories import EquipmentFactory
from khizmat.tenancy.tests.factories import OrganizationFactory, SettlementFactory, UserFactory
from khizmat.testing.registry import register

_ORG = factory.SelfAttribute("..organization")
# Around Toktogul (Jalal-Abad), where the pilot enterprise works.
TOKTOGUL = (Decimal("41.874000"), Decimal("72.941000"))


@register
class VehicleFactory(DjangoModelFactory):
    class Meta:
        model = Vehicle

    organization = factory.SubFactory(OrganizationFactory)
    # The vehicle is an equipment record of the inventory, of the same organization.
    equipment = factory.SubFactory(
        EquipmentFactory,
        organization=_ORG,
        type=EquipmentType.VEHICLE,
        model="MAZ-5340 compactor",
        serial_number="",
        cost=None,
        currency="",
        place="",
    )
    plate = factory.Sequence(lambda n: f"03KG{n:03d}ABC")
    kind = VehicleKind.COMPACTOR
    capacity_m3 = Decimal("16.00")
    capacity_kg = 8000
    fuel_norm = Decimal("35.0")


@register
class MaintenanceRuleFactory(DjangoModelFactory):
    class Meta:
        model = MaintenanceRule

    organization = factory.SubFactory(OrganizationFactory)
    vehicle = factory.SubFactory(VehicleFactory, organization=_ORG)
    name = factory.Sequence(lambda n: f"Engine oil and filters {n}")
    kind = ServiceKind.SERVICE
    every_days = 90
    every_km = 10000
    start_date = factory.LazyFunction(lambda: timezone.localdate())
    start_km = 0


@register
class FuelRecordFactory(DjangoModelFactory):
    class Meta:
        model = FuelRecord

    organization = factory.SubFactory(OrganizationFactory)
    vehicle = factory.SubFactory(VehicleFactory, organization=_ORG)
    date = factory.LazyFunction(lambda: timezone.localdate())
    litres = Decimal("80.0")
    cost = Decimal("6400.00")
    currency = factory.LazyAttribute(lambda o: o.organization.currency)


@register
class VehicleServiceFactory(DjangoModelFactory):
    class Meta:
        model = VehicleService

    organization = factory.SubFactory(OrganizationFactory)
    vehicle = factory.SubFactory(VehicleFactory, organization=_ORG)
    date = factory.Faker("date_this_year")
    kind = ServiceKind.SERVICE
    cost = Decimal("1500.00")
    currency = factory.LazyAttribute(lambda o: o.organization.currency)


@register
class FacilityFactory(DjangoModelFactory):
    class Meta:
        model = Facility

    organization = factory.SubFactory(OrganizationFactory)
    kind = FacilityKind.LANDFILL
    name = factory.Sequence(lambda n: f"Landfill {n}")
    latitude = TOKTOGUL[0] + Decimal("0.030000")
    longitude = TOKTOGUL[1] - Decimal("0.020000")
    unload_minutes = 15


@register
class CollectionPointFactory(DjangoModelFactory):
    class Meta:
        model = CollectionPoint

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"P-{n:04d}")
    name = factory.Sequence(lambda n: f"Container site {n}")
    settlement = factory.SubFactory(SettlementFactory)
    latitude = factory.Sequence(lambda n: TOKTOGUL[0] + Decimal(n % 50) / 1000)
    longitude = factory.Sequence(lambda n: TOKTOGUL[1] + Decimal(n % 37) / 1000)


@register
class PickupDayFactory(DjangoModelFactory):
    class Meta:
        model = PickupDay

    organization = factory.SubFactory(OrganizationFactory)
    settlement = factory.SubFactory(SettlementFactory)
    street = factory.Sequence(lambda n: f"Street {n}")
    weekday = Weekday.MONDAY


@register
class CrewMemberFactory(DjangoModelFactory):
    class Meta:
        model = CrewMember

    organization = factory.SubFactory(OrganizationFactory)
    vehicle = factory.SubFactory(VehicleFactory, organization=_ORG)
    name = factory.Sequence(lambda n: f"Driver {n}")
    position = CrewPosition.DRIVER


@register
class RoutePlanFactory(DjangoModelFactory):
    class Meta:
        model = RoutePlan

    organization = factory.SubFactory(OrganizationFactory)
    date = factory.LazyFunction(timezone.localdate)
    requested_by = factory.SubFactory(UserFactory)
    requested_at = factory.LazyFunction(timezone.now)


@register
class RouteFactory(DjangoModelFactory):
    class Meta:
        model = Route

    organization = factory.SubFactory(OrganizationFactory)
    vehicle = factory.SubFactory(VehicleFactory, organization=_ORG)
    date = factory.LazyFunction(timezone.localdate)


@register
class RouteStopFactory(DjangoModelFactory):
    class Meta:
        model = RouteStop

    organization = factory.SubFactory(OrganizationFactory)
    route = factory.SubFactory(RouteFactory, organization=_ORG)
    point = factory.SubFactory(CollectionPointFactory, organization=_ORG)
    sequence = factory.Sequence(lambda n: n + 1)
    photo = factory.django.ImageField(filename="stop.jpg", format="JPEG", width=8, height=8)


@register
class TripFactory(DjangoModelFactory):
    class Meta:
        model = Trip

    organization = factory.SubFactory(OrganizationFactory)
    vehicle = factory.SubFactory(VehicleFactory, organization=_ORG)
    date = factory.LazyFunction(timezone.localdate)
    distance_km = Decimal("42.0")
    fuel_litres = Decimal("15.0")


@register
class TripLoadFactory(DjangoModelFactory):
    class Meta:
        model = TripLoad

    organization = factory.SubFactory(OrganizationFactory)
    trip = factory.SubFactory(TripFactory, organization=_ORG)
    facility = factory.SubFactory(FacilityFactory, organization=_ORG)
    unloaded_at = factory.LazyFunction(timezone.now)
    volume_m3 = Decimal("12.50")


@register
class DriverEventFactory(DjangoModelFactory):
    class Meta:
        model = DriverEvent

    organization = factory.SubFactory(OrganizationFactory)
    client_id = factory.LazyFunction(uuid.uuid4)
    route = factory.SubFactory(RouteFactory, organization=_ORG)
    kind = DriverEventKind.TRIP_START
    recorded_at = factory.LazyFunction(timezone.now)
    received_at = factory.LazyFunction(timezone.now)
    received_from = factory.SubFactory(UserFactory)
