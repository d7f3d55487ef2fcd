"""The PDF receipt with its QR code, and citizens following an application by number and phone."""

from django.urls import reverse

from khizmat.services import services
from khizmat.services.tests.factories import ApplicationFactory, ServiceFactory
from khizmat.services.tests.test_application_register import _register


def test_the_receipt_is_a_pdf_in_the_citizens_language(org_a, operator_a, client):
    application = _register(
        org_a, operator_a, ServiceFactory(organization=org_a), applicant_language="uz-cyrl"
    )
    client.force_login(operator_a)
    response = client.get(reverse("services:application_receipt", args=[application.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 2000


def test_the_detail_page_shows_the_feedback_link(org_a, operator_a, client):
    application = ApplicationFactory(organization=org_a)
    client.force_login(operator_a)
    page = client.get(reverse("services:application_detail", args=[application.pk])).content.decode()
    assert "/f/" in page


def test_a_citizen_tracks_with_number_and_phone(org_a, operator_a, client):
    application = _register(org_a, operator_a, ServiceFactory(organization=org_a))
    services.application_transition(actor=operator_a, application=application, name="start_review")
    services.application_transition(
        actor=operator_a,
        application=application,
        name="request_info",
        comment="Bring the mahalla certificate",
    )

    response = client.post(
        reverse("services:track"), {"number": application.number.lower(), "phone": "+998 90 123 45 67"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Bring the mahalla certificate" in body


def test_the_wrong_phone_reveals_nothing(org_a, operator_a, client):
    application = _register(org_a, operator_a, ServiceFactory(organization=org_a))
    response = client.post(
        reverse("services:track"), {"number": application.number, "phone": "+998901111111"}
    )
    assert response.status_code == 404
    assert application.applicant_name not in response.content.decode()


def test_tracking_is_rate_limited(client, db):
    statuses = [
        client.post(reverse("services:track"), {"number": "X", "phone": "+998901111111"}).status_code
        for _ in range(11)
    ]
    assert statuses[-1] == 429


def test_the_receipts_codes_open_tracking_and_rating(org_a, operator_a, client, monkeypatch):
    from khizmat.services import views

    coded, rendered = [], {}
    monkeypatch.setattr(views, "qr_svg", lambda data: coded.append(data) or "<svg></svg>")
    monkeypatch.setattr(views, "render_pdf", lambda template, context: rendered.update(context) or b"%PDF")
    application = ApplicationFactory(organization=org_a)
    client.force_login(operator_a)
    client.get(reverse("services:application_receipt", args=[application.pk]))

    track, rate = coded
    assert track.endswith(f"/track/?number={application.number}")
    assert "/f/" in rate and rendered["rating_qr"] and rendered["qr"]
    client.logout()
    page = client.get(track.split("testserver", 1)[1]).content.decode()
    assert f'value="{application.number}"' in page  # the number is filled in; the phone is still asked
    assert application.applicant_name not in page
