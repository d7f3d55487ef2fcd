"""Documents made in the background: asked for in a request that answers at once, built by the task with its
progress, downloaded by those who may read that kind; bad parameters refused before anything is queued."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from khizmat.api.tests.factories import token_key
from khizmat.billing.tests.factories import SubscriberFactory
from khizmat.core.errors import PermissionDenied
from khizmat.documents import services
from khizmat.documents.models import DocumentStatus, GeneratedDocument
from khizmat.documents.registry import Built, DocumentKind, register
from khizmat.tenancy.models import Membership
from khizmat.tenancy.roles import Role


@pytest.fixture
def manager_b(member, org_b):
    return member(org_b, Role.MANAGER)


def test_an_export_is_queued_built_and_downloaded(
    client, org_b, manager_b, django_capture_on_commit_callbacks
):
    SubscriberFactory(organization=org_b, holder_name="Жумабаев Эрлан")
    client.force_login(manager_b)
    url = reverse("billing:export_subscribers")
    assert "document-prepare" in client.get(url).content.decode()  # a link shows what will be made, then asks

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    document = GeneratedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:detail", args=[document.pk]
    )
    assert (document.status, document.progress, document.requested_by) == (
        DocumentStatus.DONE,
        100,
        manager_b,
    )

    page = client.get(response["Location"]).content.decode()
    assert reverse("documents:download", args=[document.pk]) in page
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert "no-store" in download["Cache-Control"]
    assert (
        download["Content-Disposition"].startswith("attachment;")
        and org_b.code in download["Content-Disposition"]
    )
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    assert any("Жумабаев Эрлан" in row for row in rows)


def test_the_page_polls_while_the_document_is_prepared(client, org_b, manager_b):
    client.force_login(manager_b)
    with pytest.MonkeyPatch.context() as patch:  # the task is not run: the document stays queued
        patch.setattr("django.db.transaction.on_commit", lambda *args, **kwargs: None)
        client.post(reverse("billing:export_arrears"), {"as_of": "2026-11-30"})
    document = GeneratedDocument.objects.get()
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "document-bar" in page
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_bad_parameters_are_refused_before_anything_is_queued(client, org_a, org_b, manager_b):
    from khizmat.billing.tests.factories import BillingPeriodFactory

    client.force_login(manager_b)
    for name, data in (
        ("export_payments", {"from": "31.01.2026"}),
        ("export_payments", {"from": "2026-02-01", "to": "2026-01-01"}),
        ("export_arrears", {"as_of": "2026-02-30"}),
        ("export_invoices", {"period": "abc"}),
        ("export_invoices", {"period": BillingPeriodFactory(organization=org_a).pk}),  # another tenant's
    ):
        response = client.post(reverse(f"billing:{name}"), data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, (name, data)
        assert 'role="alert"' in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_a_role_without_the_kinds_permission_neither_asks_nor_reads(client, org_b, member):
    from khizmat.documents.tests.factories import GeneratedDocumentFactory

    document = GeneratedDocumentFactory(organization=org_b)
    client.force_login(member(org_b, Role.OPERATOR))  # no billing.reports
    assert client.post(reverse("billing:export_subscribers")).status_code == 403
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    dispatcher = member(org_b, Role.DISPATCHER)
    with pytest.raises(PermissionDenied):
        services.document_request(
            actor=dispatcher, membership=_membership(dispatcher), kind="billing.arrears"
        )


def _membership(user):
    return Membership.objects.get(user=user)


def test_a_failing_build_ends_failed_with_a_message_and_runs_once(org_b, manager_b, member, monkeypatch):
    calls = []

    def build(organization, params, progress):
        calls.append(params)
        raise RuntimeError("disk full")

    register(
        DocumentKind("test.broken", "Broken", "billing.reports", build, lambda organization, params: params)
    )
    membership = _membership(manager_b)
    monkeypatch.setattr("django.db.transaction.on_commit", lambda *args, **kwargs: None)
    with translation.override("en"):  # the document keeps the language it was asked in
        document = services.document_request(
            actor=manager_b, membership=membership, kind="test.broken", params={"a": 1}
        )
    services.document_generate(document_id=document.pk)
    services.document_generate(document_id=document.pk)  # a second run finds nothing to claim
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and "administrator" in document.error
    assert calls == [{"a": 1}]


def test_the_api_asks_and_downloads_through_the_same_rules(
    org_b, manager_b, django_capture_on_commit_callbacks
):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(manager_b)}")
    refused = client.post(
        "/api/v1/documents/", {"kind": "billing.arrears", "params": {"as_of": "x"}}, format="json"
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "bad_date")
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post("/api/v1/documents/", {"kind": "billing.arrears"}, format="json")
    assert accepted.status_code == 202 and accepted.json()["status"] == "queued"
    done = client.get(f"/api/v1/documents/{accepted.json()['id']}/").json()
    assert done["status"] == "done" and done["download"].endswith("/download/")
    file = client.get(done["download"])
    assert file.status_code == 200 and b"".join(file.streaming_content).startswith(b"PK")


def test_registering_a_kind_twice_differently_is_refused():
    kind = DocumentKind("test.twice", "One", "billing.reports", lambda *a: Built(b"", "", ""), lambda o, p: p)
    register(kind)
    register(kind)  # the same declaration again (a module imported twice) is fine
    with pytest.raises(ValueError):
        register(DocumentKind("test.twice", "Two", "billing.reports", kind.build, kind.clean))
