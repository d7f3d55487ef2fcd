"""The file storage of uploads and generated documents: Django's ``FileSystemStorage``, made safe against a full
disk (or any failed write).

Django writes a file straight under its final name and leaves whatever was written when a write fails: a disk that
fills up halfway through a photo leaves a truncated photo, and the ``OSError`` becomes a 500. Here each file is
written first to a hidden temporary file in its directory (``.partial-…``), then renamed to its name in one step:
a name either holds the whole file or does not exist. A failed write deletes the temporary file, and a full disk
(ENOSPC, or a quota: EDQUOT) is refused with :class:`StorageFull`, a translated :class:`DomainError` the form or the
API shows (HTTP 503): nothing was stored, and the same upload succeeds once there is room again. Services that save
files inside ``core.uploads.stored_files_cleanup`` delete the files already stored by the same request, and their
transaction rolls back every row, so no row points at a missing or partial file. Plumbing: imports no domain app.
"""

import contextlib
import errno
import os
import secrets

from django.core.files.storage import FileSystemStorage as DjangoFileSystemStorage
from django.utils.translation import gettext_lazy as _

from khizmat.core.errors import DomainError

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


class StorageFull(DomainError):
    default_code = "storage_full"

    def __init__(self):
        super().__init__(
            _("The server has no room to store this file right now. Nothing was saved: try again later."),
            status=503,
        )


class _Staged:
    """What Django's ``_save`` moves into place instead of streaming: the complete temporary file."""

    def __init__(self, path: str):
        self.path = path

    def temporary_file_path(self) -> str:
        return self.path


def write_chunk(file, chunk: bytes) -> None:
    """One write of a file being stored (its own function so that the fault tests can fill the disk here)."""
    file.write(chunk)


class FileSystemStorage(DjangoFileSystemStorage):
    def _save(self, name, content):
        directory = os.path.dirname(self.path(name))
        staged = None
        try:
            os.makedirs(directory, exist_ok=True)
            staged = os.path.join(directory, f".partial-{secrets.token_hex(8)}")
            with open(
                os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666),
                "wb",
            ) as file:
                for chunk in content.chunks():
                    write_chunk(file, chunk if isinstance(chunk, bytes) else chunk.encode())
            # Django renames it into place (same directory, one step), choosing another name if this one is taken.
            return super()._save(name, _Staged(staged))
        except OSError as error:
            if error.errno in _FULL:
                raise StorageFull() from error
            raise
        finally:
            if staged is not None:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(staged)
