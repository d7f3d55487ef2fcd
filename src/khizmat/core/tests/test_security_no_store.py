"""Answers that may carry personal data are marked Cache-Control: no-store; public static files keep their cache."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from khizmat.api.tests.factories import token_key
from khizmat.documents.tests.factories import GeneratedDocumentFactory
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.roles import Role


class _HtmlAsPdf:
    """Stands in for WeasyPrint (fast): the receipt's HTML as its "PDF"."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, *args, **kwargs):
        return self.string.encode()


def _no_store(response) -> bool:
    parts = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "no-store" in parts and response.get("Pragma") == "no-cache"


@pytest.fixture
def manager(org_a, member):
    return member(org_a, Role.MANAGER)


def test_pages_exports_and_pdfs_of_a_logged_in_user_are_not_stored(org_a, manager, client, monkeypatch):
    monkeypatch.setattr("weasyprint.HTML", _HtmlAsPdf)
    application = ApplicationFactory(organization=org_a)
    document = GeneratedDocumentFactory(organization=org_a, requested_by=manager)
    client.force_login(manager)
    urls = {
        "list": reverse("services:application_list"),
        "detail with a citizen's data": reverse("services:application_detail", args=[application.pk]),
        "PDF receipt": reverse("services:application_receipt", args=[application.pk]),
        "XLSX template": reverse("inventory:equipmentimport_template"),
        "XLSX export": reverse("documents:download", args=[document.pk]),
        "home": reverse("core:home"),
    }
    answers = {name: client.get(url) for name, url in urls.items()}
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(urls, 200)
    assert [name for name, response in answers.items() if not _no_store(response)] == []


def test_api_answers_are_not_stored(org_a, manager):
    application = ApplicationFactory(organization=org_a)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(manager)}")
    for url in ("/api/v1/applications/", f"/api/v1/applications/{application.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
    refused = APIClient().get("/api/v1/applications/")
    assert refused.status_code == 401 and _no_store(refused)


def test_public_pages_and_static_files_keep_their_caching(manager, client):
    static = client.get("/static/core/khizmat.js")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
    assert "max-age" in static["Cache-Control"]
    landing = client.get(reverse("core:home"))
    assert "no-store" not in landing.get("Cache-Control", "")
    client.force_login(manager)
    b"".join(static := client.get("/static/core/khizmat.js"))  # WhiteNoise answers before any session is read
    assert "no-store" not in static.get("Cache-Control", "")
