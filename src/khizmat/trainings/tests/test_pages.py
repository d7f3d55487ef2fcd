"""The pages and the API: a monitor sees counts but never names; the organizer's staff see and mark attendance."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from khizmat.api.tests.factories import token_key
from khizmat.tenancy.roles import Role
from khizmat.trainings.choices import EventStatus, Sex
from khizmat.trainings.models import Event, EventMaterial
from khizmat.trainings.tests.factories import PDF_BYTES, ParticipantFactory

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def people(event, center):
    return [
        ParticipantFactory(
            organization=event.organization, event=event, full_name="Yusupova Malika", sex=Sex.FEMALE,
            affiliation=center, affiliation_name="", phone="+998901234563", attended=True,
        ),
        ParticipantFactory(
            organization=event.organization, event=event, full_name="Ergashev Sardor", sex=Sex.MALE, attended=False,
        ),
    ]  # fmt: skip


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(user)}")
    return client


@pytest.mark.parametrize("monitor_of", ["organizer", "overseer"])
def test_a_monitor_sees_counts_but_not_names(
    monitor_of, event, people, member, organizer, agency_monitor, client
):
    monitor = member(organizer, Role.MONITOR, language="en") if monitor_of == "organizer" else agency_monitor
    client.force_login(monitor)
    page = client.get(reverse("trainings:event_detail", args=[event.pk]), **EN).content.decode()
    listing = client.get(reverse("trainings:event_list"), **EN).content.decode()
    for text in (page, listing):
        assert event.topic in text
        assert "Yusupova" not in text and "Ergashev" not in text and "+99890" not in text
    assert 'id="event-counts"' in page and "shown to the organizer's staff only" in page
    api = _api(monitor)
    assert api.get("/api/v1/training-participants/").status_code == 403
    counts = api.get("/api/v1/training-events/counts/").json()
    assert counts["totals"]["registered_female"] == 1 and counts["totals"]["attended"] == 1
    assert "Yusupova" not in str(counts)
    assert [row["id"] for row in api.get("/api/v1/training-events/").json()["results"]] == [event.pk]


def test_the_organizers_manager_sees_people_and_toggles_attendance(event, people, manager, client):
    client.force_login(manager)
    page = client.get(reverse("trainings:event_detail", args=[event.pk]), **EN).content.decode()
    # The list masks phones (the participant's edit page and the API detail show them in full).
    assert "Yusupova Malika" in page and "+998 ** *** 45 63" in page and "+998901234563" not in page
    botir = people[1]
    row = client.post(
        reverse("trainings:participant_attendance", args=[botir.pk]),
        {"attended": "1"},
        HTTP_HX_REQUEST="true",
        **EN,
    )
    assert row.status_code == 200 and row["HX-Trigger"] == "attendance-changed"
    assert "Present" in row.content.decode() and row.content.decode().startswith("<tr")
    botir.refresh_from_db()
    assert botir.attended is True
    counts = client.get(reverse("trainings:event_counts", args=[event.pk]), **EN).content.decode()
    assert '<td class="num">2</td>' in counts  # attended: 1 woman + 1 man


def test_a_cancelled_event_page_offers_no_attendance_toggle(event, people, manager, client):
    Event.objects.filter(pk=event.pk).update(status=EventStatus.CANCELLED)
    client.force_login(manager)
    page = client.get(reverse("trainings:event_detail", args=[event.pk]), **EN).content.decode()
    assert "participant_attendance" not in page and "/attendance/" not in page
    assert "takes no attendance" in page


def test_the_list_filters_by_kind_project_and_period(event, manager, client, organizer, today):
    client.force_login(manager)
    url = reverse("trainings:event_list")
    assert (
        event.topic in client.get(url, {"kind": "training", "funder_project": organizer.pk}).content.decode()
    )
    assert event.topic not in client.get(url, {"kind": "seminar"}).content.decode()
    assert event.topic not in client.get(url, {"date_from": today.isoformat()}).content.decode()
    assert client.get(url, HTTP_HX_REQUEST="true").content.decode().lstrip().startswith("<h2>")


def test_an_event_is_recorded_through_the_page_and_the_api(manager, organizer, center, client, today):
    client.force_login(manager)
    response = client.post(
        reverse("trainings:event_add"),
        {
            "topic": "Experience exchange",
            "kind": "exchange",
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
            "funder_project": organizer.pk,
            "participating_organizations": [center.pk],
            "status": "held",
        },
    )
    event = Event.objects.get(topic="Experience exchange")
    assert response.status_code == 302 and list(event.participating_organizations.all()) == [center]
    api = _api(manager)
    created = api.post(
        "/api/v1/training-events/",
        {"topic": "Seminar", "kind": "seminar", "start_date": "2026-01-10", "end_date": "2026-01-09"},
        format="json",
    )
    assert created.status_code == 422 and created.json()["field"] == "end_date"
    participant = api.post(
        "/api/v1/training-participants/",
        {"event": event.pk, "full_name": "Ergashev Sardor", "sex": "male", "affiliation": center.pk},
        format="json",
    )
    assert participant.status_code == 201
    marked = api.post(
        f"/api/v1/training-participants/{participant.json()['id']}/attendance/",
        {"attended": True},
        format="json",
    )
    assert marked.status_code == 200 and marked.json()["attended"] is True
    assert api.delete(f"/api/v1/training-events/{event.pk}/").status_code == 409


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_materials_are_checked_by_content_and_pictures_lose_their_metadata(
    event, manager, member, organizer, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(manager)
    url = reverse("trainings:material_add", args=[event.pk])
    client.post(url, {"title": "Agenda", "file": SimpleUploadedFile("agenda.pdf", PDF_BYTES)})
    client.post(url, {"title": "Photo", "file": SimpleUploadedFile("photo.jpg", _jpeg_with_exif())})
    refused = client.post(
        url, {"title": "Fake", "file": SimpleUploadedFile("slides.png", PDF_BYTES)}, follow=True
    )
    client.post(url, {"title": "Program", "file": SimpleUploadedFile("run.exe", b"MZ\x90\x00" * 10)})
    assert "not what its name says" in refused.content.decode() or refused.status_code == 200
    assert sorted(EventMaterial.objects.values_list("title", flat=True)) == ["Agenda", "Photo"]
    photo = EventMaterial.objects.get(title="Photo")
    stored = photo.file.read()
    assert b"SecretCamera" not in stored and Image.open(io.BytesIO(stored)).format == "JPEG"
    client.force_login(member(organizer, Role.MONITOR))
    download = client.get(
        reverse("trainings:material_download", args=[EventMaterial.objects.get(title="Agenda").pk])
    )
    assert download.status_code == 200 and b"".join(download).startswith(b"%PDF-")
