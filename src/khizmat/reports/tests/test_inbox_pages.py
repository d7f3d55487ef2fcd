"""The dispatcher's inbox shows 50 reports a page, newest first, and its pages keep the filters."""

import datetime

from django.urls import reverse
from django.utils import timezone

from khizmat.reports.choices import ReportStatus
from khizmat.reports.tests.factories import ReportFactory, ReportTypeFactory
from khizmat.reports.views import REPORTS_PER_PAGE
from khizmat.tenancy.roles import Role


def test_the_inbox_pages_through_the_open_reports_newest_first(org_b, member, client):
    pickup = ReportTypeFactory(organization=org_b)
    now = timezone.now()
    reports = [
        ReportFactory(
            organization=org_b,
            report_type=pickup,
            status=ReportStatus.OPEN,
            requested_at=now - datetime.timedelta(hours=index),
        )
        for index in range(REPORTS_PER_PAGE + 5)
    ]
    ReportFactory(organization=org_b, report_type=pickup, status=ReportStatus.CLOSED, requested_at=now)
    client.force_login(member(org_b, Role.DISPATCHER))

    first = client.get(reverse("reports:inbox"), {"status": "open"}, HTTP_ACCEPT_LANGUAGE="en")
    second = client.get(reverse("reports:inbox"), {"status": "open", "page": 2}, HTTP_ACCEPT_LANGUAGE="en")

    assert [r.pk for r in first.context["reports"]] == [r.pk for r in reports[:REPORTS_PER_PAGE]]
    assert [r.pk for r in second.context["reports"]] == [r.pk for r in reports[REPORTS_PER_PAGE:]]
    assert "Page 1 of 2" in first.content.decode()
    assert "?status=open&amp;page=2" in first.content.decode()
    assert len(first.context["points"]) == len(reports)  # the map shows them all
