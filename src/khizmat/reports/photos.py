"""Citizens' photos: checked and re-encoded by :func:`khizmat.core.uploads.clean_image` (no metadata kept),
with the EXIF location read first for the report's coordinates."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from khizmat.core.uploads import GPS_IFD, clean_image, read_gps

__all__ = ["GPS_IFD", "LONGEST_SIDE", "MAX_BYTES", "MAX_PIXELS", "clean_photo", "read_gps"]

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 1600


def clean_photo(upload) -> tuple[SimpleUploadedFile, tuple[Decimal, Decimal] | None]:
    """Return a re-encoded copy without metadata (JPEG or PNG, at most 1600 px) and the EXIF position, if any."""
    image = clean_image(
        upload, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, longest_side=LONGEST_SIDE, with_gps=True
    )
    return SimpleUploadedFile(
        f"photo.{image.extension}", image.content, content_type=image.content_type
    ), image.gps
