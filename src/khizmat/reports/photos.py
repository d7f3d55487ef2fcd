"""Citizens' photos: checked by content, EXIF location read, every other metadata stripped, size bounded."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from khizmat.core.errors import DomainError

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 1600
GPS_IFD = 0x8825


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
    """Latitude and longitude from the photo's EXIF GPS block, if it has one."""
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:
        return None
    if not gps or 2 not in gps or 4 not in gps:
        return None
    lat, lon = _degrees(gps[2], gps.get(1)), _degrees(gps[4], gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def clean_photo(upload) -> tuple[SimpleUploadedFile, tuple[Decimal, Decimal] | None]:
    """Return a re-encoded copy without metadata (JPEG or PNG, at most 1600 px) and the EXIF position, if any."""
    if upload.size > MAX_BYTES:
        raise DomainError(_("The photo is too large: at most 8 MB."), code="photo_too_large")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        upload.seek(0)
        image = Image.open(upload)
        image_format = image.format
        if image_format not in ("JPEG", "PNG"):
            raise DomainError(_("Send the photo as JPEG or PNG."), code="photo_type")
        position = read_gps(image)
        image = ImageOps.exif_transpose(image)
        image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
        buffer = io.BytesIO()
        if image_format == "JPEG":
            image.convert("RGB").save(
                buffer, format="JPEG", quality=85, optimize=True
            )  # no exif= → none kept
            name, content_type = "photo.jpg", "image/jpeg"
        else:
            image.save(buffer, format="PNG", optimize=True)
            name, content_type = "photo.png", "image/png"
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as error:
        raise DomainError(_("This file is not a photo we can read."), code="photo_unreadable") from error
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type), position
