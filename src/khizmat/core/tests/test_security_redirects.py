"""No parameter sends a user to another site: redirects built from request data go through safe_redirect_url."""

import pathlib
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from khizmat.core.redirects import safe_redirect_url
from khizmat.queue.tests.factories import ServiceGroupFactory
from khizmat.tenancy.roles import Role

EXTERNAL = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "https:evil.example",
]


@pytest.mark.parametrize("candidate", EXTERNAL)
def test_the_helper_refuses_other_sites(candidate):
    request = RequestFactory().get("/", HTTP_HOST="khizmat.example")
    assert safe_redirect_url(request, candidate, "/fallback/") == "/fallback/"


def test_the_helper_keeps_own_paths_and_resolves_url_names():
    request = RequestFactory().get("/", HTTP_HOST="khizmat.example")
    assert safe_redirect_url(request, "/queue/?a=1", "/") == "/queue/?a=1"
    assert safe_redirect_url(request, "http://khizmat.example/x/", "/") == "http://khizmat.example/x/"
    assert safe_redirect_url(request, "", "core:home") == reverse("core:home")
    secure = RequestFactory().get("/", HTTP_HOST="khizmat.example", secure=True)
    assert safe_redirect_url(secure, "http://khizmat.example/x/", "/") == "/"


@pytest.mark.parametrize("candidate", EXTERNAL)
def test_the_language_switch_does_not_leave_the_site(candidate, client, db):
    response = client.post(reverse("core:language_set"), {"language": "en", "next": candidate})
    assert response.status_code == 302
    assert response.url == "/"
    response = client.post(f"{reverse('core:language_set')}?next={candidate}", {"language": "en"})
    assert response.url == "/"


@pytest.mark.parametrize("candidate", EXTERNAL)
def test_the_queue_desk_does_not_leave_the_site(candidate, org_a, member, client):
    group = ServiceGroupFactory(organization=org_a)
    client.force_login(member(org_a, Role.OPERATOR))
    response = client.post(reverse("queue:desk_issue"), {"group": group.pk, "back": candidate})
    assert response.status_code == 302
    assert response.url == reverse("queue:overview")


def test_the_queue_desk_goes_back_to_its_own_page(org_a, member, client):
    group = ServiceGroupFactory(organization=org_a)
    client.force_login(member(org_a, Role.OPERATOR))
    response = client.post(reverse("queue:desk_issue"), {"group": group.pk, "back": "/queue/counter/7/"})
    assert response.url == "/queue/counter/7/"


# A redirect straight to request data (or a Location header, an HX-Redirect) skips the helper: none may exist.
UNSAFE = re.compile(
    r"(redirect|HttpResponseRedirect|HttpResponsePermanentRedirect)\(\s*(self\.)?request\.(GET|POST|META|headers)"
    r"|\[\"(Location|HX-Redirect)\"\]\s*=\s*(self\.)?request\."
)


def test_no_view_redirects_to_request_data_directly():
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if UNSAFE.search(line)
    ]
    assert offenders == []
