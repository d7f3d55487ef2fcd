"""The Toktogul enterprise's demo field work: donated trucks among its vehicles, a yard and a landfill, about 300
points around the town with a weekly day for every street, and a second `khizmat demo` adds nothing."""

from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from khizmat.fieldwork.choices import FacilityKind
from khizmat.fieldwork.models import CollectionPoint, Facility, PickupDay, Vehicle, VehicleService
from khizmat.tenancy.models import Organization

pytestmark = pytest.mark.django_db


def test_the_demo_gives_toktogul_its_fleet_points_and_schedule(demo_data):
    assert demo_data.added_by_second_run(Vehicle, CollectionPoint, PickupDay) == {}
    with scopes_disabled():
        toktogul = Organization.objects.get(code="ynguuluu-shart")
        vehicles = Vehicle.objects.filter(organization=toktogul)
        points = CollectionPoint.objects.filter(organization=toktogul)
        assert vehicles.count() == 6 and vehicles.exclude(equipment__funder_project=None).count() == 3
        # The donated trucks are equipment records of the SDC/Helvetas project (the inventory's), one per vehicle.
        assert set(vehicles.values_list("equipment__funder_project__code", flat=True)) == {
            "sdc-helvetas",
            None,
        }
        assert set(vehicles.values_list("equipment__type", "equipment__organization")) == {
            ("vehicle", toktogul.pk)
        }
        assert VehicleService.objects.filter(organization=toktogul).count() == 18
        kinds = set(Facility.objects.filter(organization=toktogul).values_list("kind", flat=True))
        assert kinds == {FacilityKind.DEPOT, FacilityKind.LANDFILL}
        assert 280 <= points.count() <= 320
        # Around the real town: within about 12 km of 41.87 N, 72.94 E.
        for point in points:
            assert abs(point.latitude - Decimal("41.874")) < Decimal("0.11")
            assert abs(point.longitude - Decimal("72.941")) < Decimal("0.15")
        streets = set(points.values_list("settlement_id", "street"))
        scheduled = set(
            PickupDay.objects.filter(organization=toktogul).values_list("settlement_id", "street")
        )
        assert streets == scheduled
