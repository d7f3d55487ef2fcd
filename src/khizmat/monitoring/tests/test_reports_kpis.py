"""Citizen-report KPIs against figures worked out by hand: received, resolved (not a forwarding), median hours,
reopened %, overdue at a month's end, and the overdue drill-down without personal data."""

import datetime

import pytest

from khizmat.monitoring import registry, services
from khizmat.monitoring.registry import FIELDWORK, REPORTS
from khizmat.monitoring.tests.helpers import FEBRUARY, MARCH, at, kpi_values
from khizmat.reports import notes
from khizmat.reports.choices import ReportSource, ReportStatus
from khizmat.reports.tests.factories import ReportFactory, ReportTypeFactory, ReportUpdateFactory
from khizmat.tenancy.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

S = ReportStatus


def _report(org, report_type, requested, expected, steps=(), **fields):
    """A report filed at ``requested`` and its status log: (status, moment[, note code]) after the opening."""
    status = steps[-1][0] if steps else S.OPEN
    report = ReportFactory(
        organization=org,
        report_type=report_type,
        requested_at=requested,
        updated_at=requested,
        expected_at=expected,
        status=status,
        citizen_first_name="Aziza",
        citizen_phone="+998901234567",
        description="Behind the school, house 12",
        **fields,
    )
    ReportUpdateFactory(organization=org, report=report, status=S.OPEN, at=requested)
    for step in steps:
        ReportUpdateFactory(
            organization=org,
            report=report,
            status=step[0],
            at=step[1],
            note_code=step[2] if len(step) > 2 else "",
        )
    return report


@pytest.fixture
def reports(clock):
    org = OrganizationFactory()
    dump = ReportTypeFactory(organization=org, code="illegal-dump", name="Illegal dump")
    missed = ReportTypeFactory(organization=org, code="missed-pickup", name="Missed pickup")
    _report(org, dump, at(3, 10), at(10, 18), [(S.RESOLVED, at(4, 15))])  # 29 hours
    _report(
        org,
        dump,
        at(5, 8),
        at(12, 18),
        [
            (S.RESOLVED, at(5, 13, 30)),  # 5 hours
            (S.OPEN, at(6, 9), notes.CITIZEN_NOT_SOLVED),  # reopened
            (S.RESOLVED, at(7, 8)),  # 48 hours
        ],
    )
    _report(org, dump, at(10, 9), at(17, 18), [(S.CLOSED, at(11, 9))])  # closed by staff: 24 hours
    _report(org, dump, at(10, 9), at(17, 18), [(S.CLOSED, at(10, 12), notes.FORWARDED)])  # not a resolution
    overdue = _report(org, dump, at(12, 9), at(17, 18), [(S.ACKNOWLEDGED, at(12, 10))])
    _report(org, dump, at(14, 9), at(20, 18))  # due today: not overdue yet
    # Filed in February, overdue at February's end, resolved 2 March: 240 hours.
    _report(org, dump, at(20, 10, month=2), at(25, 18, month=2), [(S.RESOLVED, at(2, 10))])
    _report(org, missed, at(15, 9), at(25, 18))  # a citizen says the truck did not come
    _report(org, missed, at(15, 9), at(25, 18), source=ReportSource.CREW)  # the crew's own skip
    services.kpi_rebuild()
    return org, overdue


def test_report_kpis_equal_the_hand_computed_figures(reports):
    org, _overdue = reports
    values = kpi_values([org], section=REPORTS)
    assert values["reports.received"] == 8
    assert values["reports.resolved"] == 5
    assert values["reports.median_resolution_hours"] == 29  # of 5, 24, 29, 48, 240
    assert values["reports.reopened"] == 20  # 1 reopening ÷ 5 resolutions
    assert values["reports.overdue"] == 1
    assert kpi_values([org], section=FIELDWORK)["fieldwork.missed_pickups_reported"] == 1


def test_february_closes_with_its_overdue_report(reports):
    org, _overdue = reports
    values = kpi_values([org], section=REPORTS, month_from=FEBRUARY, month_to=FEBRUARY)
    assert values["reports.received"] == 1
    assert values["reports.resolved"] == 0
    assert values["reports.reopened"] is None
    assert values["reports.overdue"] == 1


def test_the_overdue_drill_down_lists_the_report_without_personal_data(reports):
    org, overdue = reports
    records = registry.kpi("reports.overdue").records
    rows = list(records.queryset([org.pk], MARCH, datetime.date(2031, 3, 31)))
    assert rows == [overdue]
    shown = [value(rows[0]) if callable(value) else str(value) for _label, value in records.columns]
    labels = " ".join(str(label) for label, _value in records.columns).lower()
    assert "phone" not in labels and "name" not in labels and "description" not in labels
    assert records.url(rows[0]).endswith(f"/{overdue.pk}/")
    assert not any("Aziza" in str(text) or "998" in str(text) for text in shown)
