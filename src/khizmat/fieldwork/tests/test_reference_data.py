"""The enterprise's field reference data: plates unique per enterprise, one schedule line per street, day and shift,
and what a truck expects to load at a collection point."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation
from django_scopes import scopes_disabled

from khizmat.fieldwork.choices import Shift, Weekday
from khizmat.fieldwork.tests.factories import CollectionPointFactory, PickupDayFactory, VehicleFactory

pytestmark = pytest.mark.django_db


def test_a_plate_is_unique_within_an_enterprise_only(org_a, org_b):
    with scopes_disabled():
        VehicleFactory(organization=org_a, plate="03KG123ABC")
        VehicleFactory(organization=org_b, plate="03KG123ABC")
        with pytest.raises(IntegrityError), transaction.atomic():
            VehicleFactory(organization=org_a, plate="03KG123ABC")


def test_a_street_has_one_line_per_weekday_and_shift(org_a):
    with scopes_disabled():
        day = PickupDayFactory(organization=org_a, street="Ленина", weekday=Weekday.TUESDAY)
        PickupDayFactory(
            organization=org_a,
            settlement=day.settlement,
            street="Ленина",
            weekday=Weekday.TUESDAY,
            shift=Shift.EVENING,
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            PickupDayFactory(
                organization=org_a, settlement=day.settlement, street="Ленина", weekday=Weekday.TUESDAY
            )
    with translation.override("en"):
        assert str(day) == "Ленина · Tuesday · Morning"


@pytest.mark.parametrize(
    ("containers", "volume", "fill", "expected"),
    [(1, "0.75", 80, "0.60"), (4, "1.10", 100, "4.40"), (2, "0.24", 50, "0.24"), (3, "0.75", 0, "0.00")],
)
def test_a_point_expects_its_containers_times_their_fill(org_a, containers, volume, fill, expected):
    with scopes_disabled():
        point = CollectionPointFactory(
            organization=org_a, containers=containers, container_m3=Decimal(volume), fill_percent=fill
        )
    assert point.expected_m3 == Decimal(expected)


def test_a_point_without_containers_is_refused(org_a):
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        CollectionPointFactory(organization=org_a, containers=0)
