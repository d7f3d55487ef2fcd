"""Every file a person or a phone sends passes here before a domain app reads or stores it.

The rules (docs/architecture.md, "Uploads"):

- the request's size is bounded before its body is read (:class:`UploadLimitMiddleware`, ``settings``);
- a workbook is checked from its zip directory and a streaming scan of its sheets before openpyxl opens it
  (:func:`check_xlsx`): the sum of its uncompressed sizes and its rows are bounded, whatever the file claims;
- a picture is decoded under a pixel bound and re-encoded without its metadata (:func:`clean_image`): what is
  stored is the pixels, never the EXIF, GPS, comments, text chunks or ICC profile the sender put in;
- a file's type is its content, and its name must agree (:func:`sniff_content_type`, :func:`check_extension`);
  :func:`check_document` does both for the kinds a module accepts (PDF, Office documents, pictures);
- files are validated all before any is stored; :func:`stored_files_cleanup` deletes what was written when the
  database write that should follow fails.

This module is plumbing: it imports no domain app.
"""

import contextlib
import contextvars
import functools
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from khizmat.core.errors import DomainError

XLSX_MAX_UNCOMPRESSED = 256 * 1024 * 1024  # a workbook of 200,000 statement lines inflates to about 150 MB
XLSX_MAX_ENTRIES = 2000
IMAGE_MAX_PIXELS = 40_000_000
GPS_IFD = 0x8825
_SCAN_CHUNK = 1024 * 1024
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="[A-Z]*\d*:?[A-Z]*(\d+)"')
_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
_EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/png": (".png",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
}
# Office Open XML documents are zip archives told apart by their main part (and declared in [Content_Types].xml).
_OFFICE_MAIN_PARTS = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OFFICE_MAX_UNCOMPRESSED = 256 * 1024 * 1024


class UploadRefused(DomainError):
    default_code = "upload_refused"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}"


def _read_all(file, max_bytes: int | None) -> bytes:
    if isinstance(file, bytes | bytearray | memoryview):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read() if max_bytes is None else file.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise UploadRefused(
            _("The file is too large: at most %(size)s MB.") % {"size": _megabytes(max_bytes)},
            code="file_too_large",
        )
    return data


# --- Workbooks ------------------------------------------------------------------------------------------------------


def check_xlsx(file, *, max_rows: int, max_uncompressed: int = XLSX_MAX_UNCOMPRESSED) -> None:
    """Refuse a workbook that would inflate past ``max_uncompressed`` bytes or whose sheets hold more than
    ``max_rows`` rows (empty ones included), before openpyxl touches it.

    The zip's directory gives the uncompressed sizes (zipfile never inflates a member past its declared size, so
    the sum bounds the work); each sheet's ``<dimension>`` and then a streaming scan of its ``<row>`` elements,
    stopped at the limit, bound the rows. Memory stays at one chunk; the scan reads at most the bounded bytes.
    """
    data = file if isinstance(file, bytes | bytearray | memoryview) else None
    stream = io.BytesIO(data) if data is not None else file
    if hasattr(stream, "seek"):
        stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > XLSX_MAX_ENTRIES:
                raise _unreadable_xlsx()
            if sum(member.file_size for member in members) > max_uncompressed:
                raise UploadRefused(
                    _(
                        "The workbook unpacks to more than %(size)s MB. Remove empty rows, pictures and other "
                        "sheets, or split it into several files."
                    )
                    % {"size": _megabytes(max_uncompressed)},
                    code="xlsx_too_large",
                )
            for member in members:
                name = member.filename.lower()
                is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
                if is_sheet and _sheet_rows(archive, member, max_rows) > max_rows:
                    raise UploadRefused(
                        _(
                            "A sheet of the workbook has more than %(max)s rows (empty rows count too). "
                            "Delete the empty rows below the table or split the file."
                        )
                        % {"max": max_rows},
                        code="xlsx_too_many_rows",
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
        raise _unreadable_xlsx() from error
    finally:
        if hasattr(stream, "seek"):
            stream.seek(0)


def _unreadable_xlsx() -> UploadRefused:
    return UploadRefused(_("This file cannot be read as an Excel workbook (.xlsx)."), code="xlsx_unreadable")


def _sheet_rows(archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_rows: int) -> int:
    """The rows a reader would go through: the highest row number or the number of rows, whichever is more;
    stops as soon as it passes ``max_rows``."""
    highest = count = 0
    tail = b""
    with archive.open(member) as sheet:
        first = True
        while chunk := sheet.read(_SCAN_CHUNK):
            text = tail + chunk
            if first:
                first = False
                dimension = _DIMENSION.search(text[:65536])
                if dimension and int(dimension.group(1)) > max_rows:
                    return int(dimension.group(1))
            cut = text.rfind(b"<")  # an element cut by the chunk's end is read with the next chunk
            if cut == -1 or len(text) - cut > 4096:
                cut = len(text)
            for row in _ROW.finditer(text, 0, cut):
                count += 1
                number = _ROW_NUMBER.search(row.group(1))
                if number:
                    highest = max(highest, int(number.group(1)[:9]))
            if max(highest, count) > max_rows:
                return max(highest, count)
            tail = text[cut:]
    return max(highest, count)


# --- Types by content -----------------------------------------------------------------------------------------------


def sniff_content_type(head: bytes) -> str | None:
    """PDF, JPEG or PNG by the file's first bytes; None for anything else."""
    for signature, content_type in _SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def check_extension(name: str, content_type: str) -> None:
    """Refuse a file whose name's extension names another type than its content (a PDF named ``.png``)."""
    suffix = PurePath(name or "").suffix.lower()
    if suffix and suffix not in _EXTENSIONS.get(content_type, ()):
        raise UploadRefused(
            _("The file «%(name)s» is not what its name says: its content is %(kind)s.")
            % {"name": PurePath(name).name[:100], "kind": _EXTENSIONS[content_type][0][1:].upper()},
            code="file_type_mismatch",
        )


# --- Documents of any allowed kind -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str  # without the dot: pdf, docx, pptx, xlsx, jpg, png


DOCUMENT_KINDS = frozenset({"pdf", "docx", "pptx", "xlsx", "jpg", "png"})


def _office_type(data: bytes, max_uncompressed: int) -> str | None:
    """The Office Open XML type of a zip archive (Word, PowerPoint, Excel) by its main part, or None when it is no
    such document. Bounded by the zip's directory (entries, uncompressed sizes) without inflating anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > XLSX_MAX_ENTRIES:
                raise UploadRefused(
                    _("This document has too many parts to be stored."), code="document_too_many_parts"
                )
            if sum(member.file_size for member in members) > max_uncompressed:
                raise UploadRefused(
                    _("The document unpacks to more than %(size)s MB.")
                    % {"size": _megabytes(max_uncompressed)},
                    code="document_too_large",
                )
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    found = [content_type for part, content_type in _OFFICE_MAIN_PARTS.items() if part in names]
    return found[0] if len(found) == 1 else None


def check_document(
    file,
    *,
    max_bytes: int,
    kinds: frozenset[str] = DOCUMENT_KINDS,
    name: str = "",
    max_pixels: int = IMAGE_MAX_PIXELS,
    max_uncompressed: int = OFFICE_MAX_UNCOMPRESSED,
) -> CheckedFile:
    """A file of one of ``kinds`` (PDF, Word, PowerPoint, Excel, JPEG, PNG), read under ``max_bytes`` and typed by
    its content, never by its name — which must agree (:func:`check_extension`).

    Pictures are re-encoded from their pixels alone (:func:`clean_image`: no EXIF, GPS or comments survive); Office
    documents are bounded by their zip directory (entries and unpacked size) and kept as sent; PDFs are kept as
    sent. Anything else is refused with a translated reason naming the accepted kinds.
    """
    data = _read_all(file, max_bytes)
    if not data:
        raise UploadRefused(_("The file is empty."), code="file_empty")
    name = name or str(getattr(file, "name", "") or "")
    content_type = sniff_content_type(data[:16])
    if content_type is None and data[:4] == b"PK\x03\x04":
        content_type = _office_type(data, max_uncompressed)
    extension = {
        "application/pdf": "pdf",
        "image/jpeg": "jpg",
        "image/png": "png",
        **{office: _EXTENSIONS[office][0][1:] for office in _OFFICE_MAIN_PARTS.values()},
    }.get(content_type or "")
    if extension is None or extension not in kinds:
        raise UploadRefused(
            _("This kind of file is not accepted. Send one of: %(kinds)s.")
            % {"kinds": ", ".join(sorted(kind.upper() for kind in kinds))},
            code="file_type",
        )
    check_extension(name, content_type)
    if extension in ("jpg", "png"):
        image = clean_image(data, max_bytes=max_bytes, max_pixels=max_pixels)
        return CheckedFile(image.content, image.content_type, image.extension)
    return CheckedFile(data, content_type, extension)


# --- Pictures -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    content_type: str  # image/jpeg or image/png
    extension: str  # jpg or png
    gps: tuple[Decimal, Decimal] | None = None  # the EXIF position, when asked for and present


def _degrees(values, ref) -> Decimal | None:
    try:
        degrees, minutes, seconds = (Decimal(str(float(v))) for v in values)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if ref in ("S", "W", b"S", b"W"):
        value = -value
    return value.quantize(Decimal("0.000001"))


def read_gps(image: Image.Image) -> tuple[Decimal, Decimal] | None:
    """Latitude and longitude from a picture's EXIF GPS block, if it has one."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # a broken EXIF block only means no position
        return None
    if not gps or 2 not in gps or 4 not in gps:
        return None
    lat, lon = _degrees(gps[2], gps.get(1)), _degrees(gps[4], gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def clean_image(
    file,
    *,
    max_bytes: int,
    max_pixels: int = IMAGE_MAX_PIXELS,
    longest_side: int | None = None,
    with_gps: bool = False,
) -> CleanImage:
    """A JPEG or PNG decoded under ``max_pixels`` and re-encoded from its pixels alone: no EXIF, GPS, comments,
    text chunks or ICC profile survive. Turned upright by its EXIF orientation, shrunk to ``longest_side``.

    ``with_gps`` reads the EXIF position before it is dropped (a citizen's report places itself by it).
    A decompression bomb, a truncated or unreadable file, or another format is refused with a translated reason.
    """
    data = _read_all(file, max_bytes)
    unreadable = UploadRefused(_("This file is not a picture that can be read."), code="image_unreadable")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image_format = image.format
            if image_format not in ("JPEG", "PNG"):
                raise UploadRefused(_("Send the picture as JPEG or PNG."), code="image_type")
            if image.width * image.height > max_pixels:
                raise _too_many_pixels(max_pixels)
            image.verify()
            image = Image.open(io.BytesIO(data))  # verify() leaves the image unusable
            gps = read_gps(image) if with_gps else None
            image.load()
            image = ImageOps.exif_transpose(image)
            if longest_side:
                image.thumbnail((longest_side, longest_side))
            if image_format == "JPEG":
                pixels, content_type, extension = image.convert("RGB"), "image/jpeg", "jpg"
            else:
                mode = "RGBA" if image.mode in ("P", "PA", "LA", "RGBA", "La") else "RGB"
                if image.mode in ("1", "L", "I;16", "I"):
                    mode = "L"
                pixels, content_type, extension = image.convert(mode), "image/png", "png"
            bare = Image.frombytes(
                pixels.mode, pixels.size, pixels.tobytes()
            )  # pixels only: no info, no EXIF
            buffer = io.BytesIO()
            if image_format == "JPEG":
                bare.save(buffer, format="JPEG", quality=85, optimize=True)
            else:
                bare.save(buffer, format="PNG", optimize=True)
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(max_pixels) from error
    except (
        Exception
    ) as error:  # Pillow raises many kinds on a malformed file: every one is an unreadable file
        raise unreadable from error
    return CleanImage(buffer.getvalue(), content_type, extension, gps)


def _too_many_pixels(max_pixels: int) -> UploadRefused:
    return UploadRefused(
        _("The picture is too large: at most %(megapixels)s megapixels.")
        % {"megapixels": max_pixels // 1_000_000},
        code="image_too_many_pixels",
    )


# --- Storing several files ------------------------------------------------------------------------------------------


_open_cleanups: contextvars.ContextVar[tuple[list, ...]] = contextvars.ContextVar("stored_files", default=())


@contextlib.contextmanager
def stored_files_cleanup():
    """Collect the files saved to storage inside the block (``FieldFile`` objects or storage names appended to the
    list it gives); if the block fails, delete them.

    Validate every file first, then save the files and their rows inside this block and inside the transaction,
    so that a refused request leaves no file behind. Blocks nest: what an inner block saved is deleted too when
    an outer one fails (a view that wraps a service in a larger transaction wraps it in this block as well).
    """
    saved: list = []
    outer = _open_cleanups.get()
    token = _open_cleanups.set((*outer, saved))
    try:
        yield saved
    except BaseException:
        _delete(saved)
        raise
    finally:
        _open_cleanups.reset(token)
    if outer:
        outer[-1].extend(saved)


def removes_files_on_failure(function):
    """Run a service (itself ``@transaction.atomic``, this decorator above it) inside
    :func:`stored_files_cleanup`: a file it saved is deleted when its transaction fails, up to its last line."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with stored_files_cleanup():
            return function(*args, **kwargs)

    return wrapper


def _delete(saved: list) -> None:
    for item in saved:
        name = getattr(item, "name", item)
        storage = getattr(item, "storage", default_storage)
        if name:
            with contextlib.suppress(Exception):  # the row is gone already; a stray file is only disk space
                storage.delete(name)


# --- The request's size ---------------------------------------------------------------------------------------------


def request_limit(content_type: str = "application/json") -> int:
    """The largest request body the server takes, in bytes: a form with files may carry the largest upload
    (``UPLOAD_MAX_REQUEST_BYTES``); any other body is read into memory and bounded by
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (the phone splits its batches of marks to fit it)."""
    if content_type.startswith("multipart/form-data"):
        return settings.UPLOAD_MAX_REQUEST_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class UploadLimitMiddleware:
    """Answer 413 with a translated reason before the body of a too large request is read.

    ``Content-Length`` is compared with :func:`request_limit`; the answer is JSON for the API and the driver's
    sync, plain text elsewhere. Django's own limits stay as the guard of a body sent without a length.
    """

    JSON_PREFIXES = ("/api/", "/driver/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = request_limit(request.META.get("CONTENT_TYPE", ""))
        if length > limit:
            return too_large_response(request, limit)
        return self.get_response(request)


def too_large_response(request, limit: int):
    message = _("The request is too large: at most %(size)s MB can be sent at once.") % {
        "size": f"{limit / (1024 * 1024):.1f}".removesuffix(".0")
    }
    path = request.path_info or ""
    if path.startswith("/api/"):  # the API's error body (khizmat.api.base.exception_handler)
        response = JsonResponse({"code": "request_too_large", "detail": message}, status=413)
    elif path.startswith(UploadLimitMiddleware.JSON_PREFIXES) or "json" in request.META.get(
        "HTTP_ACCEPT", ""
    ):
        response = JsonResponse({"error": message, "code": "request_too_large"}, status=413)
    else:
        response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"  # the unread body must not be taken for the next request
    return response
