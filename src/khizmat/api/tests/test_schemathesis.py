"""schemathesis against /api/schema/: bounded examples, no server errors, responses conform to the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.roles import Role

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def token(db, org_a, member):
    ApplicationFactory(organization=org_a)
    return Token.objects.create(user=member(org_a, Role.ADMIN)).key


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, token):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
    )
