"""What every answer under /api/ keeps to, whatever the endpoint: JSON, 401 with a challenge, 400 for bad paging,
409/422 for refused business rules, and a schema that documents all of it (summary, description, module tag)."""

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django_scopes import scope
from rest_framework.test import APIClient

from khizmat.api.filters import KhizmatFilterBackend
from khizmat.api.tags import TAGS
from khizmat.api.tests.factories import token_key
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.roles import Role


@pytest.fixture
def client_a(org_a, member):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(member(org_a, Role.MANAGER))}")
    return client


def test_unmatched_paths_answer_json(client_a):
    for method, path in [
        (client_a.get, "/api/v1/no-such-thing/"),
        (client_a.post, "/api/v1/no-such-thing/"),
        (client_a.get, "/api/nothing"),
        (client_a.get, "/api/v1/applications/999999/"),
    ]:
        response = method(path)
        assert response.status_code == 404, (path, response.status_code)
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


def test_a_missing_or_bad_token_is_a_401_with_a_challenge(db):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Token not-a-token"}):
        response = APIClient().get("/api/v1/applications/", **headers)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "query", ["page=-5", "page=0", "page=abc", "page_size=0", "page_size=501", "page_size=x"]
)
def test_invalid_paging_is_a_400(client_a, org_a, query):
    ApplicationFactory(organization=org_a)
    response = client_a.get(f"/api/v1/applications/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "whole number" in str(response.json())


def test_valid_paging_still_pages(client_a, org_a):
    ApplicationFactory(organization=org_a)
    assert client_a.get("/api/v1/applications/?page=1&page_size=500").status_code == 200


def test_a_refused_rule_is_422_and_a_state_conflict_409(client_a, org_a):
    closed = ApplicationFactory(organization=org_a, status="closed")
    conflict = client_a.post(
        f"/api/v1/applications/{closed.pk}/transition/", {"name": "approve"}, format="json"
    )
    assert (conflict.status_code, conflict.json()["code"]) == (409, "illegal_transition")


@pytest.fixture(scope="module")
def schema(django_db_blocker, tmp_path_factory):
    """Written by the command, outside any request and outside any tenant scope, as an operator would run it."""
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    KhizmatFilterBackend._filterset_classes.clear()  # built again here, without a scope
    with django_db_blocker.unblock(), scope(_enabled=True):
        call_command("spectacular", "--file", str(path), "--validate")
    return yaml.safe_load(path.read_text())


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_has_a_summary_a_description_and_its_modules_tag(schema):
    missing = [
        (method, path)
        for path, method, operation in _operations(schema)
        if not operation.get("summary")
        or not operation.get("description")
        or len(operation.get("tags", [])) != 1
        or operation["tags"][0] not in TAGS
    ]
    assert missing == []
    assert {tag["name"] for tag in schema["tags"]} == set(TAGS)


def test_writes_document_their_conflict_and_refusal_answers(schema):
    for path, method, operation in _operations(schema):
        documented = set(operation["responses"])
        assert {"400", "401", "403", "404"} <= documented, (method, path)
        if method != "get":
            assert {"409", "422"} <= documented, (method, path)


def test_the_schema_is_english_and_has_no_empty_string_in_an_enum(schema):
    text = yaml.safe_dump(schema, allow_unicode=True)
    for _code, native_name in settings.LANGUAGES:  # the language enum names each language in its own words
        text = text.replace(native_name, "")
    assert not any("\u0400" <= ch <= "\u04ff" for ch in text)
    enums = [node["enum"] for node in _walk(schema) if isinstance(node, dict) and "enum" in node]
    assert enums and not any("" in values for values in enums)


def _walk(node):
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        yield from _walk(child)


def test_an_empty_choice_is_null_in_the_answer(client_a, org_a):
    from khizmat.services.tests.factories import ApplicationTransitionFactory

    ApplicationTransitionFactory(organization=org_a, from_status="")
    rows = client_a.get("/api/v1/application-steps/").json()["results"]
    assert rows and rows[0]["from_status"] is None
