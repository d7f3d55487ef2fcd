"""core.uploads: workbooks bounded before parsing, pictures re-encoded without metadata, the request's size
refused before its body is read, files of a failed write removed."""

import io
import time
import tracemalloc

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from khizmat.core.tests import crafted
from khizmat.core.uploads import UploadRefused, check_extension, check_xlsx, clean_image, stored_files_cleanup


def refused_code(call) -> str:
    with pytest.raises(UploadRefused) as refused:
        call()
    assert str(refused.value.message)
    return refused.value.code


def test_a_workbook_that_unpacks_too_large_is_refused_from_its_directory():
    declared = crafted.declare_size(
        crafted.xlsx_with_sheet(crafted.sheet(crafted.header_row())), crafted.SHEET, 1 << 30
    )
    started = time.monotonic()
    assert refused_code(lambda: check_xlsx(declared, max_rows=1000)) == "xlsx_too_large"
    padded = crafted.xlsx_with_sheet(crafted.sheet(crafted.header_row()), padding=12 * 1024 * 1024)
    assert len(padded) < 100_000
    assert refused_code(lambda: check_xlsx(padded, max_rows=1000, max_uncompressed=8 * 1024 * 1024)) == (
        "xlsx_too_large"
    )
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "sheet_xml",
    [
        crafted.sheet(crafted.header_row(), dimension="A1:B1048576"),  # the sheet says it is a million rows
        crafted.sheet(
            crafted.header_row() + '<row r="1048576"/>'
        ),  # one row far below: a reader fills the gap
        crafted.sheet(crafted.header_row() + "<row/>" * 5000),  # many empty rows without numbers
    ],
    ids=["dimension", "far-row", "empty-rows"],
)
def test_a_sheet_of_too_many_rows_is_refused_quickly_without_memory(sheet_xml):
    package = crafted.xlsx_with_sheet(sheet_xml)
    tracemalloc.start()
    started = time.monotonic()
    try:
        assert refused_code(lambda: check_xlsx(package, max_rows=4000)) == "xlsx_too_many_rows"
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 1
    assert peak < 8 * 1024 * 1024


def test_a_normal_workbook_passes_and_a_broken_one_is_unreadable():
    rows = crafted.header_row() + crafted.empty_rows(100)
    check_xlsx(crafted.xlsx_with_sheet(crafted.sheet(rows, dimension="A1:B101")), max_rows=1000)
    assert refused_code(lambda: check_xlsx(b"PK\x03\x04 not a zip", max_rows=10)) == "xlsx_unreadable"


def test_an_image_bomb_is_refused():
    assert refused_code(lambda: clean_image(crafted.png_bomb(), max_bytes=10_000)) == "image_too_many_pixels"
    below_pillows_guard = crafted.png_bomb(5000, 5000)  # 25 megapixels: refused by the caller's bound
    assert refused_code(
        lambda: clean_image(below_pillows_guard, max_bytes=10_000, max_pixels=16_000_000)
    ) == ("image_too_many_pixels")


def test_unreadable_and_other_pictures_are_refused():
    truncated = crafted.jpeg_with_metadata()[:200]
    assert refused_code(lambda: clean_image(truncated, max_bytes=10_000)) == "image_unreadable"
    gif = io.BytesIO()
    Image.new("P", (4, 4)).save(gif, "GIF")
    assert refused_code(lambda: clean_image(gif.getvalue(), max_bytes=10_000)) == "image_type"
    assert refused_code(lambda: clean_image(crafted.jpeg_with_metadata(), max_bytes=100)) == "file_too_large"


def test_pictures_are_re_encoded_without_metadata():
    jpeg = clean_image(crafted.jpeg_with_metadata(), max_bytes=100_000, with_gps=True)
    assert jpeg.gps is not None  # read for the caller before it is dropped
    image = Image.open(io.BytesIO(jpeg.content))
    assert (image.format, jpeg.content_type, image.size) == ("JPEG", "image/jpeg", (16, 16))
    assert not image.getexif() and "exif" not in image.info and "comment" not in image.info

    png = clean_image(crafted.png_with_metadata(), max_bytes=100_000)
    image = Image.open(io.BytesIO(png.content))
    assert (image.format, png.content_type) == ("PNG", "image/png")
    assert "Comment" not in image.info and "icc_profile" not in image.info


def test_a_file_must_be_what_its_name_says():
    check_extension("scan.PDF", "application/pdf")
    check_extension("photo.jpeg", "image/jpeg")
    check_extension("no-extension", "image/png")
    assert refused_code(lambda: check_extension("passport.png", "application/pdf")) == "file_type_mismatch"


@pytest.mark.django_db
def test_files_saved_in_a_failed_block_are_deleted_even_when_an_outer_block_fails():
    with pytest.raises(RuntimeError), stored_files_cleanup(), transaction.atomic():
        with stored_files_cleanup() as saved:
            saved.append(default_storage.save("uploads-test/inner.txt", ContentFile(b"x")))
        raise RuntimeError
    assert not default_storage.exists("uploads-test/inner.txt")
    with stored_files_cleanup() as saved:
        saved.append(default_storage.save("uploads-test/kept.txt", ContentFile(b"x")))
    assert default_storage.exists("uploads-test/kept.txt")


@pytest.mark.django_db
def test_a_too_large_request_is_refused_before_its_body_is_read(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.UPLOAD_MAX_REQUEST_BYTES = 5000
    response = client.post(
        "/driver/sync/",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH="2000",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert "MB" in response.json()["error"]
    response = client.post(
        "/api/v1/subscribers/", data=b"{}", content_type="application/json", CONTENT_LENGTH="2000"
    )
    assert (response.status_code, response.json()["code"]) == (413, "request_too_large")
    assert response.json()["detail"]
    response = client.post("/billing/imports/", data={"file": io.BytesIO(b"x" * 6000)})
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    response = client.post("/billing/imports/", data={"file": io.BytesIO(b"x" * 2000)})
    assert response.status_code != 413  # a form with a file may be larger than a JSON body
