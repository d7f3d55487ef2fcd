"""check_document: a material's type is its content (PDF, Office documents, pictures), bounded before it is kept."""

import io
import zipfile

import pytest

from khizmat.core.uploads import UploadRefused, check_document


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_office_documents_are_told_apart_by_their_main_part():
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    pptx = _zip({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
    assert check_document(docx, max_bytes=10_000, name="notes.docx").extension == "docx"
    assert check_document(pptx, max_bytes=10_000, name="slides.pptx").extension == "pptx"
    with pytest.raises(UploadRefused) as refused:
        check_document(docx, max_bytes=10_000, name="slides.pptx")
    assert refused.value.code == "file_type_mismatch"


def test_other_archives_bombs_and_unknown_kinds_are_refused():
    plain_zip = _zip({"readme.txt": b"hello"})
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * 5_000_000})
    for data, code in ((plain_zip, "file_type"), (b"MZ\x90\x00", "file_type"), (bomb, "document_too_large")):
        with pytest.raises(UploadRefused) as refused:
            check_document(data, max_bytes=1_000_000, max_uncompressed=1_000_000)
        assert refused.value.code == code
    with pytest.raises(UploadRefused) as refused:
        check_document(b"%PDF-1.4" + b"0" * 100, max_bytes=50)
    assert refused.value.code == "file_too_large"
