"""Small hostile files for the upload tests: made in memory, in milliseconds."""

import functools
import io
import struct
import zipfile
import zlib

from openpyxl import Workbook
from PIL import Image

SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


@functools.cache
def _workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Name", "Street"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_sheet(sheet_xml: bytes, *, padding: int = 0) -> bytes:
    """A real workbook whose first sheet is replaced by ``sheet_xml``; ``padding`` zero bytes are added to the
    package as another member (they compress about a thousand times)."""
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet_xml if info.filename == SHEET else source.read(info)
            target.writestr(info.filename, data)
        if padding:
            with target.open("xl/media/padding.bin", "w") as member:
                block = bytes(1024 * 1024)
                for _ in range(padding // len(block)):
                    member.write(block)
    return buffer.getvalue()


def sheet(rows_xml: str, dimension: str | None = None) -> bytes:
    head = _SHEET_HEAD + (f'<dimension ref="{dimension}"/>' if dimension else "")
    return (head + f"<sheetData>{rows_xml}</sheetData></worksheet>").encode()


def header_row() -> str:
    return '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Street</t></is></c></row>'


def empty_rows(count: int, start: int = 2) -> str:
    return "".join(f'<row r="{n}"/>' for n in range(start, start + count))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A PNG of a few hundred bytes that declares ``width × height`` pixels (1-bit grey)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def jpeg_with_metadata() -> bytes:
    """A JPEG with an EXIF block (GPS, camera) and a comment."""
    image = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0110] = "Model X"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (42.0, 52.0, 30.0), 3: "E", 4: (74.0, 35.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"secret comment")
    return buffer.getvalue()


def png_with_metadata() -> bytes:
    """A PNG with a text chunk and an ICC profile."""
    from PIL import ImageCms, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret comment")
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buffer, "PNG", pnginfo=info, icc_profile=icc)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def declare_size(package: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size set to ``size`` in its local and central headers: a file of a
    few kilobytes that says it unpacks to ``size`` bytes."""
    data = bytearray(package)
    name = member.encode()
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(data[start + name_at : start + name_at + length]) == name:
                struct.pack_into("<I", data, start + offset, size)
            start += 4
    return bytes(data)
