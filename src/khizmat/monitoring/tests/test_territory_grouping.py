"""Grouping by territory: each district's organizations add up to its row, a region's to its own, and a median
is taken over the districts' merged histograms (not a mean of medians)."""

import datetime

import pytest

from khizmat.monitoring import services
from khizmat.monitoring.tests.helpers import at, kpi_values
from khizmat.services.choices import ApplicationStatus
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.tests.factories import DistrictFactory, OrganizationFactory, RegionFactory

pytestmark = pytest.mark.django_db

CODES = {"applications.received", "applications.median_working_days"}


def _decided(org, received_day, decided_day):
    ApplicationFactory(
        organization=org,
        received_at=at(received_day, 9),
        decided_at=at(decided_day, 15),
        due_date=datetime.date(2031, 3, 31),
        status=ApplicationStatus.APPROVED,
    )


def test_two_districts_of_one_region(clock):
    region = RegionFactory(name="Jizzakh")
    north = OrganizationFactory(region=region, district=DistrictFactory(region=region, name="North"))
    south = OrganizationFactory(region=region, district=DistrictFactory(region=region, name="South"))
    _decided(north, 3, 4)  # Mon → Tue: 1 working day
    _decided(north, 3, 6)  # 3
    _decided(south, 3, 10)  # Mon → next Mon: 5
    ApplicationFactory(organization=south, received_at=at(11, 9), due_date=datetime.date(2031, 3, 31))
    services.kpi_rebuild()
    by_district = kpi_values([north, south], codes=CODES, group_by="district")
    assert by_district["North"]["applications.received"] == 2
    assert by_district["South"]["applications.received"] == 2
    assert by_district["North"]["applications.median_working_days"] == 1  # lower median of 1 and 3
    assert by_district["South"]["applications.median_working_days"] == 5
    by_region = kpi_values([north, south], codes=CODES, group_by="region")
    assert by_region["Jizzakh"]["applications.received"] == 4
    assert by_region["Jizzakh"]["applications.median_working_days"] == 3  # of 1, 3, 5
