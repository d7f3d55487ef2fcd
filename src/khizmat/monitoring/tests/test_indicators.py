"""A funder project's indicators: entered by its staff, measured by KPIs or typed in, reported per pilot site."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from khizmat.core.errors import DomainError
from khizmat.documents.models import GeneratedDocument
from khizmat.monitoring import selectors, services
from khizmat.monitoring.models import Indicator
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scope
from khizmat.tenancy.tests.factories import MembershipFactory, OrganizationFactory, OversightFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = OrganizationFactory(kind=OrganizationKind.FUNDER_PROJECT, name="EU/UNDP", region=None)
    for name in ("Bakhmal PSC", "Khavos PSC"):
        site = OrganizationFactory(name=name)
        OversightFactory(overseer=project, overseen=site, kind=OversightKind.FUNDING)
    return project


@pytest.fixture
def manager(project):
    return MembershipFactory(organization=project, role=Role.MANAGER)


def _sites(project):
    return {site.name: site for site in selectors.pilot_sites(project)}


def test_measured_indicator_reads_the_kpi_per_site(project, manager):
    sites = _sites(project)
    today = local_today(project)
    for _ in range(3):
        ApplicationFactory(organization=sites["Bakhmal PSC"], received_at=timezone.now(), due_date=today)
    ApplicationFactory(organization=sites["Khavos PSC"], received_at=timezone.now(), due_date=today)
    services.kpi_rebuild()
    with scope(organization=[project.pk]):
        indicator = services.indicator_save(
            actor=manager.user,
            organization=project,
            code="1.1",
            name="Applications",
            kpi="applications.received",
        )
        services.indicator_target_set(
            actor=manager.user, indicator=indicator, site=sites["Bakhmal PSC"], baseline="1", target="5"
        )
    month = today.replace(day=1)
    rows = {r.site.name: r for r in selectors.indicator_rows(project, month_from=month, month_to=month)}
    assert rows["Bakhmal PSC"].actual == 3
    assert rows["Bakhmal PSC"].progress == 50  # (3 − 1) ÷ (5 − 1)
    assert rows["Khavos PSC"].actual == 1 and rows["Khavos PSC"].target is None


def test_typed_in_indicator_takes_the_latest_value_by_the_period_end(project, manager):
    sites = _sites(project)
    with scope(organization=[project.pk]):
        indicator = services.indicator_save(
            actor=manager.user, organization=project, code="2.1", name="Trust, %"
        )
        site = sites["Khavos PSC"]
        services.indicator_result_record(
            actor=manager.user, indicator=indicator, site=site, as_of=datetime.date(2026, 3, 31), value="40"
        )
        services.indicator_result_record(
            actor=manager.user, indicator=indicator, site=site, as_of=datetime.date(2026, 9, 30), value="62.5"
        )
    march = datetime.date(2026, 3, 1)
    rows = {r.site.name: r for r in selectors.indicator_rows(project, month_from=march, month_to=march)}
    assert rows["Khavos PSC"].actual == Decimal("40")
    september = datetime.date(2026, 9, 1)
    rows = {r.site.name: r for r in selectors.indicator_rows(project, month_from=march, month_to=september)}
    assert rows["Khavos PSC"].actual == Decimal("62.5")


def test_rules(project, manager):
    stranger = OrganizationFactory(name="Not funded")
    with scope(organization=[project.pk]):
        indicator = services.indicator_save(actor=manager.user, organization=project, code="1.1", name="A")
        with pytest.raises(DomainError) as duplicate:
            services.indicator_save(actor=manager.user, organization=project, code="1.1", name="B")
        assert duplicate.value.field == "code"
        with pytest.raises(DomainError) as unknown:
            services.indicator_save(
                actor=manager.user, organization=project, code="1.2", name="B", kpi="nope"
            )
        assert unknown.value.field == "kpi"
        with pytest.raises(DomainError) as not_pilot:
            services.indicator_target_set(actor=manager.user, indicator=indicator, site=stranger, target="3")
        assert not_pilot.value.field == "site"
        with pytest.raises(DomainError) as bad_number:
            services.indicator_target_set(
                actor=manager.user, indicator=indicator, site=_sites(project)["Bakhmal PSC"], target="lots"
            )
        assert bad_number.value.field == "target"
    center = OrganizationFactory()
    with scope(organization=[center.pk]), pytest.raises(DomainError):
        services.indicator_save(actor=manager.user, organization=center, code="1", name="A")


def test_pages_and_progress_report(client, project, manager, django_capture_on_commit_callbacks):
    client.force_login(manager.user)
    answer = client.post(
        reverse("monitoring:indicator_list"), {"code": "3.1", "name": "Staff trained", "kpi": ""}
    )
    with scope(organization=[project.pk]):
        indicator = Indicator.objects.get(organization=project, code="3.1")
    assert answer.status_code == 302
    site = _sites(project)["Bakhmal PSC"]
    answer = client.post(
        reverse("monitoring:indicator_detail", args=[indicator.pk]),
        {"action": "target", "site": site.pk, "baseline": "0", "target": "20"},
    )
    assert answer.status_code == 302
    answer = client.post(
        reverse("monitoring:indicator_detail", args=[indicator.pk]),
        {"action": "result", "site": site.pk, "as_of": "2026-06-30", "value": "twelve"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400 and "Write a number" in answer.content.decode()
    client.post(
        reverse("monitoring:indicator_detail", args=[indicator.pk]),
        {"action": "result", "site": site.pk, "as_of": "2026-06-30", "value": "12"},
    )
    page = client.get(reverse("monitoring:indicator_list"), {"start": "2026-01", "end": "2026-12"})
    assert "Staff trained" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:funder_report_xlsx"), {"start": "2026-01", "end": "2026-12"})
        client.post(reverse("monitoring:funder_report_pdf"), {"start": "2026-01", "end": "2026-12"})
    workbook = GeneratedDocument.objects.get(kind="monitoring.funder_report_xlsx")
    assert workbook.status == "done", workbook.error
    sheet = load_workbook(io.BytesIO(workbook.file.read())).worksheets[1]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][:7] == ("3.1", "Staff trained", "Bakhmal PSC", 0, 20, 12, 60)
    pdf = GeneratedDocument.objects.get(kind="monitoring.funder_report_pdf")
    assert pdf.status == "done", pdf.error
    assert pdf.file.read().startswith(b"%PDF")


def test_a_center_has_no_indicators_menu(client, project, manager):
    center_manager = MembershipFactory(role=Role.MANAGER)
    client.force_login(center_manager.user)
    assert reverse("monitoring:indicator_list") not in client.get(reverse("core:home")).content.decode()
    client.force_login(manager.user)
    assert reverse("monitoring:indicator_list") in client.get(reverse("core:home")).content.decode()


def test_api_writes_through_the_same_services(client, project, manager):
    client.force_login(manager.user)
    answer = client.post(
        "/api/v1/monitoring/indicators/",
        {"code": "4.1", "name": "Waiting time"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    indicator = answer.json()["id"]
    duplicate = client.post(
        "/api/v1/monitoring/indicators/", {"code": "4.1", "name": "Again"}, content_type="application/json"
    )
    assert duplicate.status_code == 422
    site = _sites(project)["Bakhmal PSC"]
    answer = client.post(
        "/api/v1/monitoring/indicator-targets/",
        {"indicator": indicator, "site": site.pk, "baseline": "20", "target": "10"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and Decimal(answer.json()["target"]) == 10
    stranger = OrganizationFactory()
    refused = client.post(
        "/api/v1/monitoring/indicator-targets/",
        {"indicator": indicator, "site": stranger.pk, "target": "10"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    answer = client.post(
        "/api/v1/monitoring/indicator-results/",
        {"indicator": indicator, "site": site.pk, "as_of": "2026-06-30", "value": "15"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    listed = client.get("/api/v1/monitoring/indicator-targets/").json()
    assert [row["site"] for row in listed["results"]] == [site.pk]


def test_implausible_dates_are_refused_by_page_and_api(client, project, manager):
    client.force_login(manager.user)
    with scope(organization=[project.pk]):
        indicator = services.indicator_save(
            actor=manager.user, organization=project, code="5.1", name="Typed"
        )
    site = _sites(project)["Bakhmal PSC"]
    page = client.post(
        reverse("monitoring:indicator_detail", args=[indicator.pk]),
        {"action": "target", "site": site.pk, "baseline_date": "0224-01-01", "target": "3"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 400 and "not a plausible date" in page.content.decode()
    tomorrow = local_today(project) + datetime.timedelta(days=1)
    answer = client.post(
        "/api/v1/monitoring/indicator-results/",
        {"indicator": indicator.pk, "site": site.pk, "as_of": tomorrow.isoformat(), "value": "1"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 422 and "as_of" in answer.content.decode()
    answer = client.post(
        "/api/v1/monitoring/indicator-targets/",
        {"indicator": indicator.pk, "site": site.pk, "target_date": "3026-01-01"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    with scope(organization=[project.pk]):
        assert not indicator.targets.exists() and not indicator.results.exists()
