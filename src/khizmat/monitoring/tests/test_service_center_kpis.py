"""Service-center KPIs against figures worked out by hand: applications (working days with a holiday, on time,
overdue), the queue's wait and service, ratings and complaints."""

import datetime
from decimal import Decimal

import pytest

from khizmat.feedback.choices import CaseKind
from khizmat.feedback.tests.factories import FeedbackCaseFactory, RatingFactory
from khizmat.monitoring import registry, services
from khizmat.monitoring.registry import SERVICE_CENTER
from khizmat.monitoring.tests.helpers import at, kpi_values
from khizmat.queue.choices import TicketStatus
from khizmat.queue.tests.factories import QueueTicketFactory
from khizmat.services.choices import ApplicationStatus
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.choices import CalendarDayKind
from khizmat.tenancy.tests.factories import CalendarDayFactory, OrganizationFactory, country

pytestmark = pytest.mark.django_db


def _application(org, received, decided, due, status=ApplicationStatus.APPROVED):
    return ApplicationFactory(
        organization=org, received_at=received, decided_at=decided, due_date=due, status=status
    )


@pytest.fixture
def center(clock):
    org = OrganizationFactory()
    # Wednesday 5 March is a holiday: not a working day.
    CalendarDayFactory(country=country("UZ"), date=datetime.date(2031, 3, 5), kind=CalendarDayKind.HOLIDAY)
    d = datetime.date
    first = _application(org, at(3, 10), at(7, 15), d(2031, 3, 10))  # 4, (5), 6, 7: 3 working days, on time
    _application(org, at(3, 11), at(12, 9), d(2031, 3, 10))  # 4, 6, 7, 10, 11, 12: 6, late
    # Received at 00:30 local (the evening before in UTC), decided at 23:30 local: (4, 6] is 1 working day.
    _application(org, at(4, 0, 30), at(6, 23, 30), d(2031, 3, 11))
    _application(org, at(10, 9), None, d(2031, 3, 17), ApplicationStatus.IN_REVIEW)  # overdue on the 20th
    _application(org, at(10, 9), None, d(2031, 3, 20), ApplicationStatus.IN_REVIEW)  # due today: not yet
    # Received in February, decided 3 March: Fri 28 Feb and Mon 3 March are 2 working days.
    _application(org, at(27, 9, month=2), at(3, 9), d(2031, 3, 6))
    called = QueueTicketFactory(
        organization=org,
        issued_at=at(10, 9),
        called_at=at(10, 9, 10),
        serving_started_at=at(10, 9, 12),
        finished_at=at(10, 9, 20),
        status=TicketStatus.SERVED,
    )
    served = QueueTicketFactory(
        organization=org,
        issued_at=at(10, 9, 5),
        called_at=at(10, 9, 25),
        serving_started_at=at(10, 9, 25),
        finished_at=at(10, 9, 45),
        status=TicketStatus.SERVED,
    )
    QueueTicketFactory(organization=org, issued_at=at(10, 9, 30))
    RatingFactory(organization=org, score=5, ticket=called, application=None, created_at=at(10, 9, 21))
    RatingFactory(organization=org, score=4, ticket=served, application=None, created_at=at(10, 9, 46))
    RatingFactory(organization=org, score=2, application=first, created_at=at(11, 9))
    FeedbackCaseFactory(organization=org, kind=CaseKind.LOW_RATING, created_at=at(11, 9))  # not a complaint
    FeedbackCaseFactory(organization=org, created_at=at(10, 10), answered_at=at(11, 12, 30))  # 26 hours
    FeedbackCaseFactory(organization=org, created_at=at(12, 9), answered_at=at(12, 14, 59))  # 5 hours
    FeedbackCaseFactory(organization=org, created_at=at(13, 9))
    services.kpi_rebuild()
    return org


def test_service_center_kpis_equal_the_hand_computed_figures(center):
    values = kpi_values([center], section=SERVICE_CENTER)
    assert values["applications.received"] == 5
    assert values["applications.completed"] == 4
    assert values["applications.on_time"] == 75  # 3 of 4 decided by their due date
    assert values["applications.median_working_days"] == 2  # lower median of 1, 2, 3, 6
    assert values["applications.overdue"] == 1
    assert values["queue.visitors"] == 3
    assert values["queue.average_wait"] == 15  # 10 and 20 minutes
    assert values["queue.average_service"] == 14  # 8 and 20 minutes
    assert values["feedback.satisfaction"] == Decimal(11) / 3
    assert values["feedback.complaints"] == 3
    assert values["feedback.answer_time"] == 5  # lower median of 5 and 26 hours


def test_february_holds_what_happened_in_february(center):
    values = kpi_values(
        [center], section=SERVICE_CENTER, month_from=at(1, month=2).date(), month_to=at(1, month=2).date()
    )
    assert values["applications.received"] == 1
    assert values["applications.completed"] == 0
    assert values["applications.on_time"] is None


def test_every_service_center_kpi_writes_its_formula_next_to_it():
    for kpi in registry.kpis(SERVICE_CENTER):
        assert str(kpi.formula) and kpi.measures
