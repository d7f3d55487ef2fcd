"""Filing and handling citizen reports: places, deadlines on the working-day calendar, public notes."""

import pytest

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.reports import services
from khizmat.reports.choices import ReportSource, ReportStatus
from khizmat.reports.tests.factories import ReportFactory, ReportTypeFactory
from khizmat.tenancy.calendar import is_working_day
from khizmat.tenancy.roles import Role


def test_a_report_gets_a_number_and_a_deadline_on_a_working_day(org_b):
    report_type = ReportTypeFactory(organization=org_b, resolution_working_days=3)
    report = services.report_create(
        organization=org_b,
        report_type=report_type,
        source=ReportSource.PORTAL,
        latitude="41.87",
        longitude="72.94",
    )
    assert report.number.startswith("R-")
    assert is_working_day(org_b.country, report.expected_at.date())
    assert report.updates.get().status == ReportStatus.OPEN


def test_an_address_alone_is_enough(org_b):
    report = services.report_create(
        organization=org_b,
        report_type=ReportTypeFactory(organization=org_b),
        source=ReportSource.STAFF,
        address="Toktogul, Ismailov street 12",
    )
    assert report.latitude is None


def test_a_dispatcher_resolves_with_a_public_note(org_b, member):
    report = ReportFactory(organization=org_b)
    dispatcher = member(org_b, Role.DISPATCHER)
    report = services.report_set_status(
        actor=dispatcher, report=report, status=ReportStatus.RESOLVED, public_note="Konteyner tazalandy"
    )
    assert report.public_note == "Konteyner tazalandy"
    assert report.updates.last().actor == dispatcher


@pytest.mark.parametrize("role", [Role.CASHIER, Role.AUDITOR, Role.OPERATOR])
def test_other_roles_cannot_change_reports(org_b, member, role):
    with pytest.raises(PermissionDenied):
        services.report_set_status(
            actor=member(org_b, role), report=ReportFactory(organization=org_b), status="closed"
        )


def test_a_foreign_report_type_is_refused(org_a, org_b):
    with pytest.raises(DomainError):
        services.report_create(
            organization=org_a,
            report_type=ReportTypeFactory(organization=org_b),
            source="portal",
            address="X",
        )
