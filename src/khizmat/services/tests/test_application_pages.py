"""The pages operators and managers use: register, move, attach, overdue lists, workload, catalog."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from khizmat.services.choices import ApplicationStatus as S
from khizmat.services.models import Application, Service
from khizmat.services.tests.factories import PDF_BYTES, VALID_PINFL, ApplicationFactory, ServiceFactory
from khizmat.tenancy.roles import Role


def test_operator_registers_an_application_with_a_document(org_a, operator_a, client):
    service = ServiceFactory(organization=org_a)
    client.force_login(operator_a)
    response = client.post(
        reverse("services:application_add"),
        {
            "service": service.pk,
            "applicant_name": "Yusupova Malika",
            "applicant_id_number": VALID_PINFL,
            "applicant_phone": "+998901112233",
            "applicant_language": "uz",
            "fee_status": "paid",
            "documents": [SimpleUploadedFile("passport.pdf", PDF_BYTES, content_type="application/pdf")],
        },
    )
    application = Application.objects.get(organization=org_a)
    assert response.status_code == 302
    assert response.url == reverse("services:application_detail", args=[application.pk])
    assert application.documents.count() == 1
    page = client.get(response.url).content.decode()
    assert application.number in page
    assert "passport.pdf" in page


def test_registration_errors_are_shown_in_the_form(org_a, member, client):
    service = ServiceFactory(organization=org_a)
    client.force_login(member(org_a, Role.OPERATOR, language="ru"))
    response = client.post(
        reverse("services:application_add"),
        {
            "service": service.pk,
            "applicant_name": "Yusupova Malika",
            "applicant_id_number": "31507900123455",
            "applicant_language": "uz",
            "fee_status": "paid",
        },
    )
    assert response.status_code == 200
    assert "PINFL" in response.content.decode() or "ПИНФЛ" in response.content.decode()
    assert not Application.objects.filter(organization=org_a).exists()


def test_a_foreign_service_id_is_not_a_choice(org_a, org_b, operator_a, client):
    client.force_login(operator_a)
    response = client.post(
        reverse("services:application_add"),
        {
            "service": ServiceFactory(organization=org_b).pk,
            "applicant_name": "A B C",
            "applicant_id_number": VALID_PINFL,
            "applicant_language": "uz",
            "fee_status": "paid",
        },
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_steps_from_the_detail_page(org_a, operator_a, client):
    application = ApplicationFactory(organization=org_a)
    client.force_login(operator_a)
    url = reverse("services:application_transition", args=[application.pk])

    client.post(url, {"transition": "start_review"})
    response = client.post(url, {"transition": "approve"}, follow=True)

    application.refresh_from_db()
    assert application.status == S.IN_REVIEW
    assert "messages" in response.content.decode()


def test_document_download_is_tenant_checked(org_a, operator_a, client):
    from khizmat.services.tests.factories import ApplicationDocumentFactory

    document = ApplicationDocumentFactory(organization=org_a)
    client.force_login(operator_a)
    response = client.get(reverse("services:applicationdocument_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_overdue_and_due_soon_lists(org_a, operator_a, client):
    today = timezone.localdate()
    late = ApplicationFactory(
        organization=org_a, due_date=today - datetime.timedelta(days=3), number="LATE-1"
    )
    ApplicationFactory(
        organization=org_a, due_date=today - datetime.timedelta(days=3), status=S.ISSUED, number="DONE-1"
    )
    ApplicationFactory(organization=org_a, due_date=today + datetime.timedelta(days=60), number="LATER-1")
    client.force_login(operator_a)

    page = client.get(reverse("services:application_overdue")).content.decode()

    assert late.number in page
    assert "DONE-1" not in page
    assert "LATER-1" not in page


def test_manager_sees_each_operators_load(org_a, operator_a, member, client):
    today = timezone.localdate()
    ApplicationFactory(
        organization=org_a, assigned_to=operator_a, due_date=today - datetime.timedelta(days=1)
    )
    ApplicationFactory(organization=org_a, assigned_to=operator_a)
    client.force_login(member(org_a, Role.MANAGER))

    response = client.get(reverse("services:operator_load"))

    row = next(r for r in response.context["rows"] if r["user"] == operator_a)
    assert (row["open"], row["overdue"]) == (2, 1)


def test_manager_adds_and_edits_a_service(org_a, member, client):
    client.force_login(member(org_a, Role.MANAGER))
    data = {
        "code": "ZAGS-01",
        "category": "civil_registry",
        "name_en": "Birth registration",
        "name_uz": "Tugʻilishni qayd etish",
        "name_ru": "Регистрация рождения",
        "fee": "0",
        "deadline_working_days": "1",
        "channel": "both",
        "is_active": "on",
    }
    response = client.post(reverse("services:service_add"), data)
    service = Service.objects.get(organization=org_a, code="ZAGS-01")
    assert response.status_code == 302
    assert service.name_ru == "Регистрация рождения"

    response = client.post(
        reverse("services:service_edit", args=[service.pk]), {**data, "deadline_working_days": "3"}
    )
    service.refresh_from_db()
    assert service.deadline_working_days == 3

    duplicate = client.post(reverse("services:service_add"), data)
    assert duplicate.status_code == 200
    assert Service.objects.filter(organization=org_a, code="ZAGS-01").count() == 1


def test_operators_cannot_change_the_catalog(org_a, operator_a, client):
    client.force_login(operator_a)
    assert client.get(reverse("services:service_add")).status_code == 403


def test_application_search_by_number_name_and_id(org_a, operator_a, client):
    from khizmat.core.search import search_keys

    ApplicationFactory(
        organization=org_a,
        number="JZ-BAX-2026-000777",
        applicant_name="Шохрух Каримов",
        search_key=search_keys("Шохрух Каримов", VALID_PINFL),
    )
    client.force_login(operator_a)
    for query in ("JZ-BAX-2026-000777", "Karimov", VALID_PINFL):
        page = client.get(reverse("services:application_list"), {"q": query}).content.decode()
        assert "JZ-BAX-2026-000777" in page, query
