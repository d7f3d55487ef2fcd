"""Upload checks: the real file type (by its first bytes, not its name) and a size limit."""

from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def validate_upload(upload) -> str:
    """Return the content type of an allowed upload; raise DomainError for a wrong type or a too large file."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("The file is too large: at most %(megabytes)d MB.")
            % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    if upload.size == 0:
        raise DomainError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise DomainError(_("Only PDF, JPEG and PNG files can be attached."), code="file_type")
    return content_type
