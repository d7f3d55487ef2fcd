"""Application documents go through core.uploads: the content decides the type and the name must agree, pictures
are stored re-encoded without metadata, and several files are taken whole or refused whole, leaving no file."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from khizmat.core.errors import DomainError
from khizmat.core.tests import crafted
from khizmat.services import services
from khizmat.services.models import Application, ApplicationDocument
from khizmat.services.tests.factories import VALID_PINFL, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_storage(settings):
    settings.STORAGES = {**settings.STORAGES}  # a new in-memory storage for each test


def register(org, actor, documents):
    return services.application_register(
        actor=actor,
        organization=org,
        service=ServiceFactory(organization=org),
        applicant_name="Karimova Dilnoza Rustamovna",
        applicant_id_number=VALID_PINFL,
        documents=documents,
    )


def stored_files(path="applications") -> list[str]:
    try:
        folders, files = default_storage.listdir(path)
    except FileNotFoundError:
        return []
    return [f"{path}/{name}" for name in files] + [f for d in folders for f in stored_files(f"{path}/{d}")]


def test_a_pdf_named_as_a_picture_is_refused(org_a, operator_a):
    with pytest.raises(DomainError) as refused:
        register(org_a, operator_a, [SimpleUploadedFile("passport.png", crafted.PDF)])
    assert refused.value.code == "file_type_mismatch"
    assert not Application.objects.exists() and stored_files() == []


def test_a_picture_is_stored_without_its_metadata(org_a, operator_a):
    application = register(
        org_a, operator_a, [SimpleUploadedFile("passport.jpg", crafted.jpeg_with_metadata())]
    )
    document = application.documents.get()
    image = Image.open(io.BytesIO(document.file.read()))
    assert document.content_type == "image/jpeg" and document.size == document.file.size
    assert not image.getexif() and "comment" not in image.info


def test_one_bad_file_refuses_them_all_before_anything_is_stored(org_a, operator_a):
    files = [SimpleUploadedFile("scan.pdf", crafted.PDF), SimpleUploadedFile("photo.png", crafted.png_bomb())]
    with pytest.raises(DomainError) as refused:
        register(org_a, operator_a, files)
    assert refused.value.code == "image_too_many_pixels"
    assert not Application.objects.exists() and stored_files() == []


def test_a_failed_write_after_the_files_leaves_no_file(org_a, operator_a, monkeypatch):
    def fail(*args, **kwargs):
        raise DomainError("the notice could not be queued")

    monkeypatch.setattr(services, "_notify", fail)
    files = [
        SimpleUploadedFile("scan.pdf", crafted.PDF),
        SimpleUploadedFile("photo.png", crafted.png_with_metadata()),
    ]
    with pytest.raises(DomainError):
        register(org_a, operator_a, files)
    assert not ApplicationDocument.objects.exists() and stored_files() == []
