"""The REST API: every model reachable, token auth, tenant restriction, writes through services, stable errors."""

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from khizmat.api.tests.factories import token_key
from khizmat.api.urls import router
from khizmat.services.tests.factories import VALID_PINFL, ApplicationFactory, ServiceFactory
from khizmat.tenancy.roles import Role

# Models without an endpoint of their own, with the reason.
API_EXEMPT = {
    "tenancy.NumberSequence": "internal counter",
    "tenancy.User": "shown inside memberships (staff), never listed on its own",
    "tenancy.Oversight": "shown as organization.overseers",
    "billing.PaymentRequest": "internal claim of an idempotency key; clients see its payment",
    "monitoring.KpiTouch": "internal mark of a changed day, consumed by the refresh task",
    "khizmat_api.ApiToken": "credentials: made and revoked on the token page, never readable through the API",
    "tenancy.RetentionRun": "a platform job's record (counts over every organization), not an organization's data",
    "trainings.EventParticipation": "the join of an event and its participating organizations: event.participating_organizations",
}


def test_every_model_has_an_endpoint():
    exposed = {viewset.queryset.model._meta.label for _prefix, viewset, _basename in router.registry}
    models = {
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("khizmat.") and not m.__name__.startswith("Historical")
    }
    assert sorted(models - exposed - set(API_EXEMPT)) == []


@pytest.fixture
def api_for():
    def make(user, organization_code: str | None = None):
        client = APIClient()
        key = token_key(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        if organization_code:
            client.credentials(
                HTTP_AUTHORIZATION=f"Token {key}",
                HTTP_X_KHIZMAT_ORGANIZATION=organization_code,
            )
        return client

    return make


def test_token_clients_see_their_organization_only(org_a, org_b, operator_a, api_for):
    ApplicationFactory(organization=org_a, number="A-1")
    ApplicationFactory(organization=org_b, number="B-1")

    response = api_for(operator_a).get("/api/v1/applications/")

    assert response.status_code == 200
    assert [row["number"] for row in response.json()["results"]] == ["A-1"]


def test_a_second_membership_is_chosen_by_header(org_a, org_b, operator_a, api_for):
    from khizmat.tenancy.models import Membership

    Membership.objects.create(organization=org_b, user=operator_a, role=Role.OPERATOR)
    ApplicationFactory(organization=org_b, number="B-1")
    response = api_for(operator_a, org_b.code).get("/api/v1/applications/")
    assert [row["number"] for row in response.json()["results"]] == ["B-1"]


def test_register_and_move_an_application(org_a, operator_a, member, api_for):
    service = ServiceFactory(organization=org_a)
    client = api_for(operator_a)

    created = client.post(
        "/api/v1/applications/",
        {"service": service.pk, "applicant_name": "Karimov Shohrux", "applicant_id_number": VALID_PINFL},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]

    moved = client.post(f"/api/v1/applications/{pk}/transition/", {"name": "start_review"}, format="json")
    assert moved.json()["status"] == "in_review"

    refused = client.post(f"/api/v1/applications/{pk}/transition/", {"name": "approve"}, format="json")
    assert refused.status_code == 403


def test_domain_errors_keep_their_code(org_a, operator_a, api_for):
    service = ServiceFactory(organization=org_a)
    response = api_for(operator_a).post(
        "/api/v1/applications/",
        {"service": service.pk, "applicant_name": "Karimov Shohrux", "applicant_id_number": "31507900123455"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422  # well-formed, refused by a rule
    assert response.json()["code"] == "pinfl_check"
    assert "check digit" in response.json()["detail"]


def test_illegal_transition_is_a_409_with_its_code(org_a, member, api_for):
    application = ApplicationFactory(organization=org_a, status="closed")
    response = api_for(member(org_a, Role.MANAGER)).post(
        f"/api/v1/applications/{application.pk}/transition/", {"name": "approve"}, format="json"
    )
    assert response.status_code == 409  # the application's current status refuses it
    assert response.json()["code"] == "illegal_transition"


def test_pages_do_not_count_the_table(org_a, operator_a, api_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        ApplicationFactory(organization=org_a, number=f"A-{n}")
    client = api_for(operator_a)
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/applications/?page_size=2").json()
    application_queries = [q["sql"] for q in queries if "services_application" in q["sql"]]
    assert application_queries, "the page reads the applications"
    assert not [sql for sql in application_queries if "COUNT(" in sql.upper()]
    assert len(first["results"]) == 2
    assert first["next"] is not None and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_anonymous_callers_are_refused(db):
    response = APIClient().get("/api/v1/applications/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_the_schema_and_docs_are_served_without_a_cdn(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn.jsdelivr" not in docs


def test_the_docs_page_runs_under_the_strict_csp(client, db):
    """Every script of /api/docs/ is a same-origin file (no inline code the CSP would block), and the init script
    is served as JavaScript."""
    import re

    response = client.get("/api/docs/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert len(scripts) == 3
    assert all(body.strip() == "" and re.search(r'src="/[^/]', attributes) for attributes, body in scripts)
    assert "<style" not in page
    init = re.findall(r'<script src="([^"]*script=[^"]*)"', page)[0].replace("&amp;", "&")
    script = client.get(init)
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_foreign_key_filters_read_their_choices_in_each_requests_scope(org_a, org_b, member, api_for):
    """Filter classes are built once per process: a foreign-key filter must not keep the first caller's tenant."""
    from khizmat.fieldwork.tests.factories import VehicleFactory, VehicleServiceFactory

    for organization in (org_a, org_b):
        vehicle = VehicleFactory(organization=organization)
        VehicleServiceFactory(organization=organization, vehicle=vehicle)
        client = api_for(member(organization, Role.MANAGER))
        response = client.get(f"/api/v1/vehicle-services/?vehicle={vehicle.pk}")
        assert response.status_code == 200, response.content
        assert len(response.json()["results"]) == 1
