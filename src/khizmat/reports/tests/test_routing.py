"""Reports from the national portal land at the organization responsible for the place, or in triage."""

import pytest
from django.urls import reverse

from khizmat.core.errors import DomainError
from khizmat.reports import services
from khizmat.reports.models import Report, ServiceArea
from khizmat.reports.routing import find_handler, forward_targets, report_may_be_forwarded
from khizmat.reports.tests.factories import ReportFactory, ReportTypeFactory, ServiceAreaFactory
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled
from khizmat.tenancy.tests.factories import OrganizationFactory, SettlementFactory

TOKTOGUL = (41.872, 72.941)


@pytest.fixture
def areas(org_a, org_b):
    toktogul = SettlementFactory(name="Toktogul", latitude="41.872000", longitude="72.941000")
    ServiceAreaFactory(organization=org_b, settlement=toktogul, radius_km=3)
    ReportTypeFactory(organization=org_b, code="missed-pickup", name="Missed pickup")
    # org_a handles street lights in a drawn polygon around the same town
    ServiceAreaFactory(
        organization=org_a,
        polygon=[[41.86, 72.93], [41.86, 72.95], [41.88, 72.95], [41.88, 72.93]],
        report_type_codes="street-light",
    )
    ReportTypeFactory(organization=org_a, code="street-light", name="Street light")
    return org_a, org_b


def test_the_place_and_the_type_choose_the_organization(areas):
    org_a, org_b = areas
    assert find_handler(code="missed-pickup", lat=41.873, lng=72.942)[0] == org_b
    assert find_handler(code="street-light", lat=41.873, lng=72.942)[0] == org_a
    assert find_handler(code="missed-pickup", lat=42.5, lng=78.5) is None


def test_unmatched_reports_go_to_triage_and_are_forwarded(areas, member, settings):
    org_a, org_b = areas
    triage = OrganizationFactory(code="triage-desk", country=org_b.country)
    settings.REPORTS_TRIAGE_ORGANIZATION = "triage-desk"

    report = services.report_file_by_location(
        code="missed-pickup", latitude="42.5", longitude="78.5", source="portal", description="Far away"
    )
    assert report.organization == triage
    assert report.report_type.code == "unrouted"

    forwarded = services.report_forward(
        actor=member(triage, Role.DISPATCHER), report=report, organization=org_b, code="missed-pickup"
    )
    report.refresh_from_db()
    assert forwarded.organization == org_b
    assert report.status == "closed"
    assert forwarded.number in report.note


def test_without_triage_the_citizen_is_told_to_choose(areas):
    with pytest.raises(DomainError) as error:
        services.report_file_by_location(
            code="missed-pickup", latitude="42.5", longitude="78.5", source="portal"
        )
    assert error.value.code == "no_handler"


def test_the_national_portal_routes_by_place(areas, client):
    _org_a, org_b = areas
    response = client.post(
        reverse("reports:portal_index"),
        {"problem": "missed-pickup", "latitude": "41.873", "longitude": "72.942"},
    )
    report = Report.objects.get()
    assert report.organization == org_b
    assert response.url.startswith(reverse("reports:portal_follow", args=[org_b.code, report.number]))


def test_the_national_form_has_no_preselected_problem(areas, client):
    page = client.get(reverse("reports:portal_index")).content.decode()
    assert '<option value="" selected>' in page
    response = client.post(reverse("reports:portal_index"), {"latitude": "41.873", "longitude": "72.942"})
    assert response.status_code == 400
    assert response.context["form"].errors["problem"]
    assert not Report.objects.exists()


def test_an_address_without_a_point_is_routed_by_its_settlement(areas, client, settings):
    _org_a, org_b = areas
    triage = OrganizationFactory(code="triage-desk")
    settings.REPORTS_TRIAGE_ORGANIZATION = "triage-desk"
    url = reverse("reports:portal_index")
    with scopes_disabled():
        toktogul = ServiceArea.objects.get(organization=org_b).settlement

    chosen = client.post(
        url, {"problem": "missed-pickup", "address": "Ismailov 12", "settlement": toktogul.pk}
    )
    named = client.post(url, {"problem": "missed-pickup", "address": "TOKTOGUL, Ismailov street 12"})
    unknown = client.post(url, {"problem": "missed-pickup", "address": "Somewhere far, house 3"})
    nowhere = client.post(url, {"problem": "missed-pickup"})

    assert [r.status_code for r in (chosen, named, unknown, nowhere)] == [302, 302, 302, 400]
    with scopes_disabled():
        reports = list(Report.objects.order_by("pk").values_list("organization", "latitude"))
    assert reports == [(org_b.pk, None), (org_b.pk, None), (triage.pk, None)]
    assert nowhere.context["form"].errors["address"]


# --- Forwarding: only reports that may leave, only to organizations that handle the type --------------------------


def _report(organization, code, *, lat="41.873", lng="72.942"):
    report_type = ReportTypeFactory(organization=organization, code=code)
    return ReportFactory(organization=organization, report_type=report_type, latitude=lat, longitude=lng)


def test_a_well_routed_report_cannot_be_forwarded(areas, member):
    org_a, org_b = areas
    report = _report(org_b, "missed-pickup-x")  # org_b's area handles every type around Toktogul
    assert not report_may_be_forwarded(report)
    with pytest.raises(DomainError) as error:
        services.report_forward(
            actor=member(org_b, Role.DISPATCHER), report=report, organization=org_a, code="street-light"
        )
    assert error.value.code == "not_forwardable"
    assert Report.objects.count() == 1


def test_a_misrouted_report_goes_only_where_the_type_and_place_are_handled(areas, member):
    org_a, org_b = areas
    other_kg = OrganizationFactory(country=org_b.country)
    ServiceAreaFactory(organization=other_kg, polygon=[[1, 1], [1, 2], [2, 2], [2, 1]])
    ReportTypeFactory(organization=other_kg, code="missed-pickup")
    # org_a's area covers street lights only: a missed pickup at Toktogul filed there belongs to org_b
    report = _report(org_a, "missed-pickup")
    assert report_may_be_forwarded(report)
    assert [(o, t.code) for o, t in forward_targets(report)] == [(org_b, "missed-pickup")]
    dispatcher = member(org_a, Role.DISPATCHER)
    with pytest.raises(DomainError) as error:  # handles the type, but not at this place
        services.report_forward(actor=dispatcher, report=report, organization=other_kg, code="missed-pickup")
    assert error.value.code == "unknown_service"
    forwarded = services.report_forward(
        actor=dispatcher, report=report, organization=org_b, code="missed-pickup"
    )
    assert forwarded.organization == org_b


def test_triage_forwards_only_to_an_organization_handling_the_type_in_its_country(areas, member, settings):
    org_a, org_b = areas
    triage = OrganizationFactory(code="triage-desk", country=org_b.country)
    settings.REPORTS_TRIAGE_ORGANIZATION = "triage-desk"
    report = services.report_file_by_location(
        code="street-light", latitude="42.5", longitude="78.5", source="portal"
    )
    dispatcher = member(triage, Role.DISPATCHER)
    for organization, code in (
        (org_a, "street-light"),
        (org_b, "no-such-type"),
    ):  # other country; unknown type
        with pytest.raises(DomainError) as error:
            services.report_forward(actor=dispatcher, report=report, organization=organization, code=code)
        assert error.value.code == "unknown_service"
    assert [(o, t.code) for o, t in forward_targets(report)] == [(org_b, "missed-pickup")]


def test_the_page_offers_forwarding_only_where_allowed_and_the_view_obeys_the_rule(areas, member, client):
    org_a, org_b = areas
    client.force_login(member(org_b, Role.DISPATCHER))
    well_routed = _report(org_b, "missed-pickup-x")
    page = client.get(reverse("reports:report_detail", args=[well_routed.pk])).content.decode()
    assert 'value="forward"' not in page
    client.post(
        reverse("reports:report_action", args=[well_routed.pk]),
        {"action": "forward", "target": f"{org_a.code}|street-light"},
    )
    assert Report.objects.filter(organization=org_a).count() == 0

    client.force_login(member(org_a, Role.DISPATCHER))
    misrouted = _report(org_a, "missed-pickup")
    page = client.get(reverse("reports:report_detail", args=[misrouted.pk])).content.decode()
    assert f'value="{org_b.code}|missed-pickup"' in page
    client.post(
        reverse("reports:report_action", args=[misrouted.pk]),
        {"action": "forward", "target": f"{org_b.code}|missed-pickup"},
    )
    assert Report.objects.filter(organization=org_b, report_type__code="missed-pickup").count() == 1
