"""The citizens' portal (no login) and the dispatcher's inbox: photos, EXIF location, notes, duplicates."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from khizmat.reports.choices import ReportStatus
from khizmat.reports.models import Report
from khizmat.reports.photos import GPS_IFD, clean_photo
from khizmat.reports.tests.factories import ReportFactory, ReportTypeFactory
from khizmat.tenancy.roles import Role


def jpeg_with_gps(lat=(41, 52, 19.2), lon=(72, 56, 27.6)) -> bytes:
    image = Image.new("RGB", (64, 48), "green")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make: must not survive
    exif.get_ifd(GPS_IFD).update({1: "N", 2: lat, 3: "E", 4: lon})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_photos_give_their_location_and_lose_their_metadata():
    cleaned, position = clean_photo(SimpleUploadedFile("p.jpg", jpeg_with_gps()))
    assert position is not None
    assert float(position[0]) == pytest.approx(41.872, abs=1e-4)
    assert float(position[1]) == pytest.approx(72.941, abs=1e-4)
    assert not dict(Image.open(io.BytesIO(cleaned.read())).getexif())


def test_non_images_are_refused():
    from khizmat.core.errors import DomainError

    with pytest.raises(DomainError):
        clean_photo(SimpleUploadedFile("p.jpg", b"%PDF-1.4 not a photo"))


@pytest.fixture
def pickup(org_b):
    return ReportTypeFactory(organization=org_b, code="missed-pickup", name="Missed pickup")


def test_a_citizen_files_a_report_with_a_photo_and_follows_it(org_b, pickup, client):
    url = reverse("reports:portal_report", args=[org_b.code])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "report_type": pickup.pk,
            "description": "Chyguu jok",
            "photo": SimpleUploadedFile("p.jpg", jpeg_with_gps()),
        },
    )

    report = Report.objects.get(organization=org_b)
    assert response.status_code == 302
    assert (
        response.url
        == reverse("reports:portal_follow", args=[org_b.code, report.number]) + f"?t={report.token}"
    )
    assert float(report.latitude) == pytest.approx(41.872, abs=1e-4)  # from the photo
    assert report.photo.name.endswith(".jpg")
    page = client.get(response.url).content.decode()
    assert report.number in page


def test_the_public_pages_hide_personal_data(org_b, pickup, client):
    report = ReportFactory(
        organization=org_b, report_type=pickup, citizen_phone="+996555123456", citizen_first_name="Aibek"
    )
    response = client.get(reverse("reports:portal_recent", args=[org_b.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert report.number in page  # the positive control: the report itself is listed
    assert "+996555123456" not in page
    assert "Aibek" not in page


def test_a_report_without_a_place_is_refused(org_b, pickup, client):
    response = client.post(reverse("reports:portal_report", args=[org_b.code]), {"report_type": pickup.pk})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_the_dispatcher_resolves_and_the_citizen_reads_the_note(org_b, pickup, member, client):
    report = ReportFactory(organization=org_b, report_type=pickup)
    client.force_login(member(org_b, Role.DISPATCHER))
    inbox = client.get(reverse("reports:inbox")).content.decode()
    assert report.number in inbox
    assert "map-points" in inbox

    client.post(
        reverse("reports:report_action", args=[report.pk]),
        {"action": "status", "status": ReportStatus.RESOLVED, "public_note": "Container emptied on Tuesday"},
    )
    client.logout()
    follow = client.get(reverse("reports:portal_follow", args=[org_b.code, report.number])).content.decode()
    assert "Container emptied on Tuesday" in follow


def test_nearby_reports_of_the_same_type_are_suggested_and_merged(org_b, pickup, member, client):
    first = ReportFactory(organization=org_b, report_type=pickup, latitude="41.872000", longitude="72.941000")
    second = ReportFactory(
        organization=org_b, report_type=pickup, latitude="41.872200", longitude="72.941100"
    )
    far = ReportFactory(organization=org_b, report_type=pickup, latitude="41.880000", longitude="72.941000")
    client.force_login(member(org_b, Role.DISPATCHER))

    page = client.get(reverse("reports:report_detail", args=[second.pk]))
    assert [d.pk for d in page.context["duplicates"]] == [first.pk]
    assert far.pk not in [d.pk for d in page.context["duplicates"]]

    client.post(reverse("reports:report_action", args=[second.pk]), {"action": "merge", "into": first.pk})
    second.refresh_from_db()
    assert second.status == ReportStatus.DUPLICATE
    assert second.duplicate_of == first


def test_an_organization_without_report_types_has_no_portal(org_a, client):
    assert client.get(reverse("reports:portal_report", args=[org_a.code])).status_code == 404


def test_the_citizen_confirms_or_reopens_with_the_secret_link(org_b, pickup, member, client):
    from khizmat.reports import services

    report = ReportFactory(organization=org_b, report_type=pickup)
    services.report_set_status(
        actor=member(org_b, Role.DISPATCHER), report=report, status=ReportStatus.RESOLVED
    )
    url = reverse("reports:portal_follow", args=[org_b.code, report.number])

    assert "citizen-answer" not in client.get(url).content.decode()  # the number alone is not enough
    client.post(url, {"t": "guess", "solved": "no"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RESOLVED

    assert "citizen-answer" in client.get(f"{url}?t={report.token}").content.decode()
    client.post(url, {"t": report.token, "solved": "no", "comment": "Still full"})
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN
    assert "Still full" in report.updates.last().public_note


def test_status_changes_reach_the_citizen_by_sms(org_b, pickup, member, django_capture_on_commit_callbacks):
    from khizmat.notifications.models import SmsMessage
    from khizmat.reports import services

    report = ReportFactory(
        organization=org_b, report_type=pickup, citizen_phone="+996555123456", citizen_language="ru"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.report_set_status(
            actor=member(org_b, Role.DISPATCHER),
            report=report,
            status=ReportStatus.RESOLVED,
            public_note="Вывезли",
        )
    message = SmsMessage.objects.get(organization=org_b, event="report_status")
    assert report.number in message.text and "Вывезли" in message.text


def test_a_report_is_linked_to_an_application(org_b, pickup, member, client):
    from khizmat.services.tests.factories import ApplicationFactory

    application = ApplicationFactory(organization=org_b, number="TG-2026-000001")
    report = ReportFactory(organization=org_b, report_type=pickup)
    client.force_login(member(org_b, Role.DISPATCHER))
    client.post(
        reverse("reports:report_action", args=[report.pk]),
        {"action": "link", "application_number": "tg-2026-000001"},
    )
    report.refresh_from_db()
    assert report.application == application


def test_the_national_portal_reads_a_constant_number_of_queries(org_b, pickup, client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from khizmat.tenancy.tests.factories import OrganizationFactory, RegionFactory

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:portal_index")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(5):
        other = OrganizationFactory(region=RegionFactory())
        ReportTypeFactory(organization=other)
    assert queries() == few
