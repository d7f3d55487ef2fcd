"""A month's stored value is the sum of its days; a period adds up flows over its months and takes a stock at its
last month; the series and the daily view read the same rows."""

import datetime

import pytest

from khizmat.monitoring import registry, selectors, services
from khizmat.monitoring.models import Granularity, MeasureValue
from khizmat.monitoring.tests.helpers import FEBRUARY, MARCH, at, kpi_values
from khizmat.services.choices import ApplicationStatus
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

CODES = {"applications.received", "applications.overdue"}


@pytest.fixture
def center(clock):
    org = OrganizationFactory()
    # Overdue from 24 February to this day: one application, in both months' stocks.
    ApplicationFactory(
        organization=org,
        received_at=at(17, 9, month=2),
        due_date=datetime.date(2031, 2, 23),
        status=ApplicationStatus.IN_REVIEW,
    )
    ApplicationFactory(organization=org, received_at=at(27, 9, month=2), due_date=datetime.date(2031, 4, 1))
    for day in (3, 3, 10):
        ApplicationFactory(organization=org, received_at=at(day, 9), due_date=datetime.date(2031, 4, 1))
    services.kpi_rebuild()
    return org


def test_month_rows_are_the_sum_of_their_day_rows(center):
    def rows(granularity, start, end):
        return MeasureValue.objects.filter(
            organization=center,
            measure="applications.received",
            granularity=granularity,
            start__range=(start, end),
        )

    days = rows(Granularity.DAY, MARCH, datetime.date(2031, 3, 31))
    assert sorted((row.start.day, row.count) for row in days) == [(3, 2), (10, 1)]
    (month,) = rows(Granularity.MONTH, MARCH, MARCH)
    assert month.count == 3


def test_a_period_adds_flows_and_takes_the_stock_at_its_end(center):
    both = kpi_values([center], codes=CODES, month_from=FEBRUARY, month_to=MARCH)
    assert both["applications.received"] == 5
    assert both["applications.overdue"] == 1  # not 1 + 1: a stock is read at the period's end
    series = selectors.kpi_series(
        organization_ids=[center.pk],
        kpis=[registry.kpi(code) for code in sorted(CODES)],
        month_from=FEBRUARY,
        month_to=MARCH,
    )
    assert [(month, values["applications.received"]) for month, values in series] == [
        (FEBRUARY, 2),
        (MARCH, 3),
    ]
    assert [values["applications.overdue"] for _month, values in series] == [1, 1]
    days = selectors.kpi_days(
        organization_ids=[center.pk],
        kpis=[registry.kpi("applications.received")],
        date_from=datetime.date(2031, 3, 2),
        date_to=datetime.date(2031, 3, 4),
    )
    assert [values["applications.received"] for _day, values in days] == [0, 2, 0]
