"""Touch and refresh: one background refresh per organization and transaction, a day still ahead keeps its mark
until it comes, and the nightly refresh moves stocks that no service touched (a due date passing)."""

import datetime

import pytest

from khizmat.monitoring import services
from khizmat.monitoring.models import KpiTouch
from khizmat.monitoring.tests.helpers import MARCH, at, kpi_values
from khizmat.services.choices import ApplicationStatus
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_one_refresh_is_enqueued_per_organization_and_transaction(clock, django_capture_on_commit_callbacks):
    first, second = OrganizationFactory(), OrganizationFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        for day in (1, 2, 3):
            services.kpi_touch(
                organization_id=first.pk, source="applications", days=[datetime.date(2031, 3, day)]
            )
        services.kpi_touch(organization_id=first.pk, source="queue", days=[datetime.date(2031, 3, 4)])
        services.kpi_touch(organization_id=second.pk, source="queue", days=[datetime.date(2031, 3, 4)])
    assert len(callbacks) == 2
    assert KpiTouch.objects.count() == 5


def test_a_day_ahead_keeps_its_mark_until_it_comes(clock):
    org = OrganizationFactory()
    tomorrow = datetime.date(2031, 3, 21)
    services.kpi_touch(
        organization_id=org.pk, source="applications", days=[datetime.date(2031, 3, 20), tomorrow]
    )
    assert services.kpi_refresh_touched() == 1
    assert list(KpiTouch.objects.values_list("day", flat=True)) == [tomorrow]
    services.kpi_rebuild()
    assert KpiTouch.objects.filter(day=tomorrow).exists()
    clock.advance(days=1)
    assert services.kpi_refresh_touched() == 1
    assert not KpiTouch.objects.exists()


def test_the_nightly_refresh_counts_an_application_whose_due_date_passed(clock):
    org = OrganizationFactory()
    ApplicationFactory(
        organization=org,
        received_at=at(18, 9),
        due_date=datetime.date(2031, 3, 20),
        status=ApplicationStatus.IN_REVIEW,
    )
    services.kpi_rebuild()
    assert kpi_values([org], codes={"applications.overdue"})["applications.overdue"] == 0
    clock.advance(days=1)
    services.kpi_refresh_touched()  # nothing was touched
    assert kpi_values([org], codes={"applications.overdue"})["applications.overdue"] == 0
    assert services.kpi_refresh_stocks(organization_ids=[org.pk]) == 1
    assert kpi_values([org], codes={"applications.overdue"}, month_from=MARCH)["applications.overdue"] == 1
