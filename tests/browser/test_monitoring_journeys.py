"""Results in headless Chromium: a regional monitor opens the dashboard, keeps the pilot sites, drills down to an
overdue application (without personal data); a funder's project officer downloads the progress report."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from khizmat.monitoring.services import kpi_rebuild
from khizmat.services.choices import ApplicationStatus
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.models import Membership
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import (
    DistrictFactory,
    OrganizationFactory,
    OversightFactory,
    RegionFactory,
    SettlementFactory,
)
from tests.browser.journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def region(member):
    region = RegionFactory(name="Jizzakh region")
    project = OrganizationFactory(
        code="eu-undp-test", name="EU/UNDP pilot project", kind=OrganizationKind.FUNDER_PROJECT, region=None
    )
    sites = {}
    for name, pilot, lat in (("Bakhmal PSC", True, "39.73"), ("Zomin PSC", False, "39.96")):
        district = DistrictFactory(region=region, name=name.split()[0])
        sites[name] = OrganizationFactory(
            name=name,
            region=region,
            district=district,
            settlement=SettlementFactory(district=district, latitude=Decimal(lat), longitude=Decimal("67.9")),
        )
        if pilot:
            OversightFactory(overseer=project, overseen=sites[name], kind=OversightKind.FUNDING)
    today = local_today(sites["Bakhmal PSC"])
    now = timezone.now()
    for site, received in ((sites["Bakhmal PSC"], 4), (sites["Zomin PSC"], 2)):
        for _ in range(received):
            ApplicationFactory(
                organization=site, received_at=now, due_date=today + datetime.timedelta(days=3)
            )
    ApplicationFactory(
        organization=sites["Bakhmal PSC"],
        number="JZ-BAX-2026-000777",
        applicant_name="Karimova Dilnoza",
        received_at=now - datetime.timedelta(days=15),
        due_date=today - datetime.timedelta(days=3),
        status=ApplicationStatus.IN_REVIEW,
    )
    kpi_rebuild()
    monitor = member(project, Role.MONITOR, username="regional.monitor", language="en")
    Membership.objects.filter(user=monitor).update(coverage_region=region)
    member(project, Role.MANAGER, username="project.officer", language="en")
    return sites


def test_monitor_filters_pilot_sites_and_reaches_an_overdue_application(live_server, browser, region):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, live_server.url, "regional.monitor")
    page.goto(f"{live_server.url}/monitoring/?group=organization")
    table = page.locator("#kpi-table")
    expect(table).to_contain_text("Bakhmal PSC")
    expect(table).to_contain_text("Zomin PSC")
    expect(page.locator("#comparison")).to_contain_text("Pilot sites")
    expect(page.locator("canvas[data-chart=line]")).to_be_visible()

    page.select_option("#id_pilot", "pilot")
    page.locator("#dashboard-filters button[type=submit]").click()
    expect(table).to_contain_text("Bakhmal PSC")
    expect(table).not_to_contain_text("Zomin PSC")
    figures = page.locator("#headline .kpi-figure")
    expect(figures.first).to_have_text("5")  # applications received at the pilot site

    page.get_by_role("link", name="See the records").first.click()
    expect(page.locator("#records")).to_contain_text("JZ-BAX-2026-000777")
    expect(page.locator("#records")).to_contain_text("Bakhmal PSC")
    expect(page.locator("main")).not_to_contain_text("Karimova")


def test_project_officer_downloads_the_progress_report(live_server, browser, region):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, live_server.url, "project.officer")
    page.goto(f"{live_server.url}/monitoring/funder-report/")
    page.get_by_role("button", name="Excel workbook").click()
    page.locator("#document-prepare").click()
    link = page.locator("#document-download")
    expect(link).to_be_visible(timeout=15000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("eu-undp-test-progress-")
    assert download.value.suggested_filename.endswith(".xlsx")
