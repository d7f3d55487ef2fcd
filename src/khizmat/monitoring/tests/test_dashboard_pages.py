"""The dashboards as their users open them: a regional monitor, a center director, a funder officer."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from khizmat.documents.models import GeneratedDocument
from khizmat.monitoring.services import kpi_rebuild
from khizmat.services.choices import ApplicationStatus
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import (
    DistrictFactory,
    MembershipFactory,
    OrganizationFactory,
    OversightFactory,
    RegionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_world():
    """One region with two districts: a pilot center (funded by a project) and another center; a center elsewhere."""
    region = RegionFactory(name="Jizzakh")
    pilot = OrganizationFactory(
        name="Bakhmal PSC", region=region, district=DistrictFactory(region=region, name="Bakhmal")
    )
    other = OrganizationFactory(
        name="Zomin PSC", region=region, district=DistrictFactory(region=region, name="Zomin")
    )
    elsewhere = OrganizationFactory(name="Khavos PSC")
    project = OrganizationFactory(kind=OrganizationKind.FUNDER_PROJECT, name="EU/UNDP", region=None)
    OversightFactory(overseer=project, overseen=pilot, kind=OversightKind.FUNDING)
    today = local_today(pilot)
    now = timezone.now()
    # Pilot: 3 received this month, one of them overdue; the other center: 1; elsewhere: 5 (never shown here).
    ApplicationFactory(organization=pilot, received_at=now, due_date=today + datetime.timedelta(days=5))
    ApplicationFactory(organization=pilot, received_at=now, due_date=today + datetime.timedelta(days=5))
    overdue = ApplicationFactory(
        organization=pilot,
        number="OVERDUE-1",
        applicant_name="Secret Person",
        received_at=now - datetime.timedelta(days=20),
        due_date=today - datetime.timedelta(days=2),
        status=ApplicationStatus.IN_REVIEW,
    )
    ApplicationFactory(organization=other, received_at=now)
    for _ in range(5):
        ApplicationFactory(organization=elsewhere, received_at=now)
    kpi_rebuild()
    monitor = MembershipFactory(organization=project, role=Role.MONITOR, coverage_region=region)
    return {
        "region": region,
        "pilot": pilot,
        "other": other,
        "elsewhere": elsewhere,
        "project": project,
        "monitor": monitor,
        "overdue": overdue,
    }


def _get(client, membership, url, **params):
    client.force_login(membership.user)
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def _cells(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start : html.index("</table>", start)]


def test_monitor_sees_the_region_not_elsewhere(client, region_world):
    page = _get(client, region_world["monitor"], reverse("monitoring:dashboard"), group="organization")
    assert page.status_code == 200
    table = _cells(page.content.decode(), "kpi-table")
    assert "Bakhmal PSC" in table and "Zomin PSC" in table
    assert "Khavos PSC" not in table
    headline = _cells(page.content.decode(), "comparison")
    assert "Pilot sites" in headline and "Other sites" in headline


def test_pilot_filter_and_received_counts(client, region_world):
    page = _get(
        client, region_world["monitor"], reverse("monitoring:dashboard"), pilot="pilot", group="organization"
    )
    html = page.content.decode()
    table = _cells(html, "kpi-table")
    assert "Bakhmal PSC" in table and "Zomin PSC" not in table
    # received 3, overdue 1 in the headline cards
    headline = html[html.index('id="headline"') : html.index("</ul>", html.index('id="headline"'))]
    figures = [chunk.split("</div>")[0] for chunk in headline.split('class="kpi-figure">')[1:]]
    assert figures[0].strip() == "3"
    assert "1" in figures[4]


def test_drill_down_to_the_overdue_application_without_personal_data(client, region_world):
    dashboard = _get(client, region_world["monitor"], reverse("monitoring:dashboard"), pilot="pilot")
    records_url = reverse("monitoring:records", args=["applications.overdue"])
    assert records_url in dashboard.content.decode()
    page = _get(client, region_world["monitor"], records_url, pilot="pilot")
    html = page.content.decode()
    assert "OVERDUE-1" in html
    assert "Secret Person" not in html
    # The monitor is no member of the center: no link to the application's own page.
    assert reverse("services:application_detail", args=[region_world["overdue"].pk]) not in html


def test_center_director_sees_own_center_and_links_to_records(client, region_world):
    manager = MembershipFactory(organization=region_world["pilot"], role=Role.MANAGER)
    page = _get(client, manager, reverse("monitoring:dashboard"))
    table = _cells(page.content.decode(), "kpi-table")
    assert "Bakhmal PSC" in table and "Zomin PSC" not in table
    records = _get(client, manager, reverse("monitoring:records", args=["applications.overdue"]))
    assert (
        reverse("services:application_detail", args=[region_world["overdue"].pk]) in records.content.decode()
    )


def test_region_rows_drill_down_to_districts(client, region_world):
    page = _get(client, region_world["monitor"], reverse("monitoring:dashboard"), group="region")
    html = page.content.decode()
    assert f"region={region_world['region'].pk}" in html and "group=district" in html


def test_bad_period_is_explained_and_defaults_are_shown(client, region_world):
    page = _get(
        client, region_world["monitor"], reverse("monitoring:dashboard"), start="2026-12", end="2026-01"
    )
    assert page.status_code == 200
    assert "The first month must not be after the last." in page.content.decode()


def test_operator_has_no_dashboard(client, region_world):
    operator = MembershipFactory(organization=region_world["pilot"], role=Role.OPERATOR)
    assert _get(client, operator, reverse("monitoring:dashboard")).status_code == 403


def test_results_api_matches_the_page_and_refuses_bad_filters(client, region_world):
    url = "/api/v1/monitoring/results/"
    answer = _get(client, region_world["monitor"], url, group="pilot")
    assert answer.status_code == 200
    rows = {row["key"]: row for row in answer.json()["rows"]}
    assert float(rows["pilot"]["values"]["applications.received"]) == 3
    assert float(rows["others"]["values"]["applications.received"]) == 1
    assert _get(client, region_world["monitor"], url, start="2026-99").status_code == 400


def test_excel_download_has_the_table(client, region_world, django_capture_on_commit_callbacks):
    client.force_login(region_world["monitor"].user)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("monitoring:dashboard_xlsx"), {"group": "organization", "scope": "1,2,3"}
        )
    assert answer.status_code == 302
    document = GeneratedDocument.objects.get(kind="monitoring.dashboard")
    assert document.status == "done", document.error
    sheet = load_workbook(io.BytesIO(document.file.read())).worksheets[0]
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Bakhmal PSC", "Zomin PSC"}
