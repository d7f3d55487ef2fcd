"""Application documents: the real type (by content, and the name must agree), a size limit, and pictures
re-encoded without their metadata. The checks themselves live in :mod:`khizmat.core.uploads`."""

from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError
from khizmat.core.uploads import check_extension, clean_image, sniff_content_type

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a scan of an A4 page at 600 dpi is 35 megapixels


@dataclass(frozen=True)
class CheckedDocument:
    name: str  # the name as the person sent it
    content_type: str
    content: bytes  # what is stored: a picture re-encoded, a PDF as it came


def validate_upload(upload) -> CheckedDocument:
    """A PDF, JPEG or PNG by content, whose name's extension agrees, at most 10 MB; pictures come back
    re-encoded without metadata. Raises DomainError (translated) otherwise."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("The file is too large: at most %(megabytes)d MB.")
            % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    if upload.size == 0:
        raise DomainError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    content = upload.read(MAX_UPLOAD_BYTES + 1)
    upload.seek(0)
    content_type = sniff_content_type(content[:16])
    if content_type is None:
        raise DomainError(_("Only PDF, JPEG and PNG files can be attached."), code="file_type")
    name = PurePath(str(upload.name or "document").replace("\\", "/")).name or "document"
    check_extension(name, content_type)
    if content_type != "application/pdf":
        image = clean_image(content, max_bytes=MAX_UPLOAD_BYTES, max_pixels=MAX_IMAGE_PIXELS)
        content, content_type = image.content, image.content_type
    return CheckedDocument(name=name, content_type=content_type, content=content)
