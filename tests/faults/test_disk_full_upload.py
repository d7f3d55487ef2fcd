"""A full disk during an upload: the person gets a clear, translated refusal (not a 500), no row points at a missing
or partial file, no partial file is left — not even a first file that did fit — and the same upload succeeds once
there is room again. On SQLite and PostgreSQL (the storage is the point, not the database).

The disk is modelled by its free bytes: a write that does not fit writes what fits, then fails with ENOSPC, as the
operating system does. Files go to a temporary folder through the project's storage (khizmat.core.storage).
"""

import errno
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from khizmat.core import storage
from khizmat.core.tests import crafted
from khizmat.reports.models import Report
from khizmat.reports.tests.factories import ReportTypeFactory
from khizmat.services.models import ApplicationDocument
from khizmat.services.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

REFUSAL = "The server has no room to store this file right now. Nothing was saved: try again later."


class Disk:
    """Free space of the media disk: ``room`` bytes (None: plenty)."""

    def __init__(self):
        self.room = None

    def write(self, file, chunk: bytes) -> None:
        if self.room is not None and len(chunk) > self.room:
            file.write(chunk[: self.room])
            file.flush()
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        file.write(chunk)
        if self.room is not None:
            self.room -= len(chunk)


@pytest.fixture
def disk(settings, tmp_path, monkeypatch, client):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "khizmat.core.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    model = Disk()
    monkeypatch.setattr(storage, "write_chunk", model.write)
    model.root = tmp_path
    return model


def files_under(root) -> dict[str, int]:
    """Every file on the disk (hidden ones too) with its size."""
    return {
        os.path.relpath(os.path.join(folder, name), root): os.path.getsize(os.path.join(folder, name))
        for folder, _dirs, names in os.walk(root)
        for name in names
    }


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((160, 120), 64).convert("RGB").save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def test_a_citizen_report_photo_on_a_full_disk_is_refused_cleanly_and_sent_again_later(org_b, client, disk):
    report_type = ReportTypeFactory(organization=org_b)
    url = reverse("reports:portal_report", args=[org_b.code])
    picture = photo()

    def send():
        return client.post(
            url,
            {
                "report_type": report_type.pk,
                "address": "Toktogul, Main street 5",
                "photo": SimpleUploadedFile("p.jpg", picture, content_type="image/jpeg"),
            },
        )

    disk.room = 1000  # less than the photo: the write fails halfway through it
    refused = send()

    assert refused.status_code == 400
    assert REFUSAL in refused.content.decode()
    assert not Report.objects.exists()
    assert files_under(disk.root) == {}  # neither the photo nor a piece of it

    disk.room = None  # space freed: the citizen sends the same form again
    accepted = send()

    assert accepted.status_code == 302
    report = Report.objects.get()
    stored = files_under(disk.root)
    assert list(stored) == [report.photo.name]
    assert stored[report.photo.name] == report.photo.size > 1000
    Image.open(report.photo.path).verify()  # a whole picture


def test_several_documents_on_a_full_disk_are_refused_whole_and_added_later(org_a, operator_a, client, disk):
    application = ApplicationFactory(organization=org_a)
    client.force_login(operator_a)
    url = reverse("services:application_document_add", args=[application.pk])

    def send():
        files = [
            SimpleUploadedFile("scan.pdf", crafted.PDF, content_type="application/pdf"),
            SimpleUploadedFile("photo.jpg", crafted.jpeg_with_metadata(), content_type="image/jpeg"),
        ]
        return client.post(url, {"documents": files}, follow=True)

    disk.room = len(crafted.PDF) + 10  # the scan fits, the photo after it does not
    refused = send()

    assert refused.status_code == 200
    assert REFUSAL in refused.content.decode()  # shown on the application's page
    assert not ApplicationDocument.objects.exists()
    assert files_under(disk.root) == {}  # the scan that fit was removed with the rest

    disk.room = None
    send()

    documents = list(ApplicationDocument.objects.filter(application=application).order_by("pk"))
    assert [d.original_name for d in documents] == ["scan.pdf", "photo.jpg"]
    assert files_under(disk.root) == {d.file.name: d.size for d in documents}


def test_a_report_refused_after_its_photo_was_stored_leaves_no_file(org_b, client, disk, monkeypatch):
    from khizmat.reports import services

    def fail(**kwargs):
        raise services.DomainError("refused after the photo")

    monkeypatch.setattr(services, "kpi_touch", fail)
    report_type = ReportTypeFactory(organization=org_b)
    response = client.post(
        reverse("reports:portal_report", args=[org_b.code]),
        {
            "report_type": report_type.pk,
            "address": "Toktogul, Main street 5",
            "photo": SimpleUploadedFile("p.jpg", photo(), content_type="image/jpeg"),
        },
    )
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert files_under(disk.root) == {}
