"""Backups of one installation: the database and the uploaded files (MEDIA_ROOT) in one tar archive, checked by
SHA-256, and their restore into an empty database (``khizmat backup`` / ``khizmat restore``, docs/deploy.md).

The archive ``khizmat-YYYYMMDD-HHMMSS.tar`` holds, in this order:

- ``database.pgdump`` (PostgreSQL: ``pg_dump --format=custom`` of the snapshot in which the migration state was read)
  or ``database.sqlite3.gz`` (SQLite: the online backup API's copy, gzipped);
- ``media/<path>``: every file under MEDIA_ROOT, read after the database (so every file the database names is there;
  a file uploaded meanwhile is an extra, harmless);
- ``manifest.json`` last: format, versions, database engine, the applied migrations and the size and SHA-256 of every
  other member.

``<archive>.sha256`` beside it holds the SHA-256 of the whole archive in ``sha256sum`` format (``sha256sum -c`` reads
it). A restore checks both before it touches anything.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = "khizmat-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PG_MEMBER = "database.pgdump"
SQLITE_MEMBER = "database.sqlite3.gz"
MEDIA_PREFIX = "media/"
ARCHIVE_GLOB = "khizmat-*.tar"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore refused, with the reason an operator can act on."""


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size: int
    manifest: dict
    removed: list[Path]


# --- helpers ------------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


def _vendor(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_env(using: str) -> dict[str, str]:
    """libpq's variables for the connection (the password never appears on a command line)."""
    params = connections[using].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if params.get(key):
            env[var] = str(params[key])
    env["PGDATABASE"] = params["NAME"]
    options = params.get("OPTIONS") or {}
    if options.get("sslmode"):
        env["PGSSLMODE"] = options["sslmode"]
    return env


def _pg_tool(name: str) -> str:
    """pg_dump or pg_restore: PG_DUMP / PG_RESTORE, else the one on the PATH."""
    found = os.environ.get(name.upper()) or shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install PostgreSQL's client programs (Debian: postgresql-client) of the "
            f"server's major version, or set {name.upper()} to its path."
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()}")


def known_migrations() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def _member_name_is_safe(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


# --- backup -------------------------------------------------------------------------------------------------


def _dump_sqlite(using: str, work: Path) -> tuple[Path, list[list[str]], str]:
    connection = connections[using]
    connection.ensure_connection()
    copy = work / "database.sqlite3"
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)  # online and consistent: the pages of one moment
    finally:
        target.close()
    snapshot = sqlite3.connect(copy)
    try:
        migrations = [
            list(row) for row in snapshot.execute("SELECT app, name FROM django_migrations ORDER BY id")
        ]
    except sqlite3.OperationalError:
        migrations = []
    finally:
        snapshot.close()
    packed = work / SQLITE_MEMBER
    with open(copy, "rb") as source, gzip.open(packed, "wb", compresslevel=6) as sink:
        shutil.copyfileobj(source, sink, CHUNK)
    copy.unlink()
    return packed, migrations, f"SQLite {sqlite3.sqlite_version}"


def _dump_postgresql(using: str, work: Path) -> tuple[Path, list[list[str]], str]:
    """pg_dump reads the very snapshot in which the migration state was read (``--snapshot``)."""
    connection = connections[using]
    dump = work / PG_MEMBER
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        if "django_migrations" in connection.introspection.table_names(cursor):
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            migrations = [list(row) for row in cursor.fetchall()]
        else:
            migrations = []
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        _run(
            [_pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
            _pg_env(using),
        )
    tool = subprocess.run([_pg_tool("pg_dump"), "--version"], capture_output=True, text=True).stdout.strip()
    return dump, migrations, f"PostgreSQL {server}, {tool}"


def _media_files(root: Path) -> list[tuple[str, Path]]:
    if not root.is_dir():
        return []
    files = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                files.append((MEDIA_PREFIX + path.relative_to(root).as_posix(), path))
    return files


def _archive_name(output_dir: Path, now: datetime.datetime) -> Path:
    stem = f"khizmat-{now:%Y%m%d-%H%M%S}"
    path, n = output_dir / f"{stem}.tar", 1
    while path.exists():
        path, n = output_dir / f"{stem}-{n}.tar", n + 1
    return path


def list_archives(output_dir: Path) -> list[Path]:
    """The archives in a folder, oldest first."""
    archives = [p for p in output_dir.glob(ARCHIVE_GLOB) if p.is_file()]
    return sorted(archives, key=lambda p: (p.stat().st_mtime_ns, p.name))


def prune(output_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives (and their checksums)."""
    removed = []
    for old in list_archives(output_dir)[:-keep] if keep > 0 else []:
        old.unlink()
        checksum_path(old).unlink(missing_ok=True)
        removed.append(old)
    return removed


def _add(tar: tarfile.TarFile, name: str, path: Path, mtime: float) -> dict:
    """Adds one file, hashing the very bytes written into the archive."""
    digest = hashlib.sha256()
    size = path.stat().st_size
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), 0o640

    class Hashing:
        def __init__(self, handle):
            self.handle = handle

        def read(self, n=-1):
            data = self.handle.read(n)
            digest.update(data)
            return data

    with open(path, "rb") as handle:
        tar.addfile(info, Hashing(handle))
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def create_backup(
    *, output_dir: Path, using: str = "default", media: bool = True, keep: int | None = None
) -> BackupResult:
    vendor = _vendor(using)
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".khizmat-backup-", dir=output_dir) as tmp:
        dump = _dump_sqlite if vendor == "sqlite" else _dump_postgresql
        database_file, migrations, server = dump(using, Path(tmp))
        media_files = _media_files(Path(settings.MEDIA_ROOT)) if media else []
        result = write_archive(
            output_dir,
            database_file=database_file,
            database={"vendor": vendor, "server": server},
            migrations=migrations,
            media_files=media_files,
        )
    result.removed = prune(output_dir, keep) if keep else []
    return result


def write_archive(
    output_dir: Path,
    *,
    database_file: Path,
    database: dict,
    migrations: list[list[str]],
    media_files: list[tuple[str, Path]],
) -> BackupResult:
    """Writes ``khizmat-<now>.tar`` (under a temporary name until complete) and its ``.sha256``."""
    output_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()  # UTC: an archive's name is the same instant on every server
    final = _archive_name(output_dir, now)
    partial = final.with_name(f".{final.name}.partial")
    members = []
    try:
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            members.append(_add(tar, database_file.name, database_file, now.timestamp()))
            for name, path in media_files:
                members.append(_add(tar, name, path, path.stat().st_mtime))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": now.isoformat(timespec="seconds"),
                "khizmat": _khizmat_version(),
                "django": django.get_version(),
                "python": platform.python_version(),
                "database": {**database, "member": database_file.name},
                "media_files": len(media_files),
                "migrations": migrations,
                "members": members,
            }
            data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o640
            tar.addfile(info, io.BytesIO(data))
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    digest = sha256_of(final)
    checksum_tmp = final.with_name(f".{final.name}.sha256.partial")
    checksum_tmp.write_text(f"{digest}  {final.name}\n", encoding="ascii")
    os.replace(checksum_tmp, checksum_path(final))
    return BackupResult(final, digest, final.stat().st_size, manifest, [])


def _khizmat_version() -> str:
    from khizmat import __version__

    return __version__


# --- verification -------------------------------------------------------------------------------------------


def verify_archive(archive: Path, extract_to: Path | None = None) -> dict:
    """Checks the whole archive against ``<archive>.sha256`` and every member against the manifest; with
    ``extract_to``, writes the members there while reading them (nothing else is touched). Returns the manifest."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    sidecar = checksum_path(archive)
    if not sidecar.is_file():
        raise BackupError(f"{sidecar.name} is missing beside the archive: it holds the archive's SHA-256.")
    expected = sidecar.read_text(encoding="ascii", errors="replace").split()[:1]
    actual = sha256_of(archive)
    if expected != [actual]:
        raise BackupError(
            f"The archive is damaged or not the one its checksum names: SHA-256 {actual}, "
            f"{sidecar.name} says {expected[0] if expected else 'nothing'}."
        )
    seen: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(archive, "r:") as tar:
            for info in tar:
                if not info.isfile() or not _member_name_is_safe(info.name) or info.name in seen:
                    raise BackupError(f"The archive holds an unexpected member: {info.name!r}.")
                handle = tar.extractfile(info)
                digest = hashlib.sha256()
                chunks = []
                target = None if extract_to is None or info.name == MANIFEST else extract_to / info.name
                if target is not None:
                    target.parent.mkdir(parents=True, exist_ok=True)
                with open(target, "wb") if target is not None else contextlib.nullcontext() as sink:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        if sink is not None:
                            sink.write(chunk)
                        elif info.name == MANIFEST:
                            chunks.append(chunk)
                if info.name == MANIFEST:
                    manifest_bytes = b"".join(chunks)
                seen[info.name] = {"size": info.size, "sha256": digest.hexdigest()}
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"The archive cannot be read: {error}") from error
    if manifest_bytes is None:
        raise BackupError(f"The archive has no {MANIFEST}: it is not a Khizmat backup.")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as error:
        raise BackupError(f"{MANIFEST} is not valid JSON: {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Not a Khizmat backup of format {FORMAT_VERSION} "
            f"(format {manifest.get('format')!r}, version {manifest.get('format_version')!r})."
        )
    listed = {member["name"]: member for member in manifest["members"]}
    del seen[MANIFEST]
    if set(listed) != set(seen):
        missing, extra = sorted(set(listed) - set(seen)), sorted(set(seen) - set(listed))
        raise BackupError(
            f"The archive's members differ from its manifest (missing {missing}, extra {extra})."
        )
    for name, member in listed.items():
        if (member["size"], member["sha256"]) != (seen[name]["size"], seen[name]["sha256"]):
            raise BackupError(f"{name} in the archive does not match its SHA-256 in the manifest.")
    if manifest["database"]["member"] not in listed:
        raise BackupError("The archive has no database.")
    return manifest


# --- restore ------------------------------------------------------------------------------------------------


def _tables(using: str) -> list[str]:
    connection = connections[using]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _clear_postgresql(using: str) -> None:
    """Drops every table, view and free sequence of the connection's schema (``--force``); tables first, which takes
    their identity sequences with them."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for kinds, word in (
            (("r", "p"), "TABLE"),
            (("m",), "MATERIALIZED VIEW"),
            (("v",), "VIEW"),
            (("S",), "SEQUENCE"),
        ):
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = ANY(%s)",
                [list(kinds)],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP {word} IF EXISTS {connection.ops.quote_name(name)} CASCADE")


def restore_backup(archive: Path, *, using: str = "default", force: bool = False, stdout=None) -> dict:
    """Verifies the archive, then restores the database into ``using`` (which must be empty unless ``force``) and the
    media files into MEDIA_ROOT. Returns the manifest."""
    vendor = _vendor(using)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="khizmat-restore-") as tmp:
        work = Path(tmp)
        manifest = verify_archive(archive, extract_to=work)
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"The archive holds a {manifest['database']['vendor']} database; the target is {vendor}. "
                "Restore into the same kind of database."
            )
        # Migrations of installed apps that this code does not have (rows of apps since removed are left aside).
        installed = {config.label for config in apps.get_app_configs()}
        archived = {tuple(m) for m in manifest["migrations"] if m[0] in installed}
        newer = sorted(archived - known_migrations())
        if newer:
            names = ", ".join(f"{app}.{name}" for app, name in newer[:5]) + (" …" if len(newer) > 5 else "")
            raise BackupError(
                f"This backup was made by a newer version of Khizmat (Khizmat {manifest.get('khizmat')}): "
                f"{len(newer)} of its migrations are unknown here ({names}). Install that version or a newer one, "
                "then restore again."
            )
        if vendor == "sqlite":
            name = str(connections[using].settings_dict["NAME"])
            if not name.startswith("file:") and name != ":memory:":
                Path(name).parent.mkdir(parents=True, exist_ok=True)
        tables = _tables(using)
        existing_media = media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*"))
        if (tables or existing_media) and not force:
            what = []
            if tables:
                what.append(
                    f"the database {connections[using].settings_dict['NAME']} has {len(tables)} tables"
                )
            if existing_media:
                what.append(f"{media_root} holds files")
            raise BackupError(
                f"Restore needs an empty target: {' and '.join(what)}. Restore into a new, empty database "
                "(and an empty MEDIA_ROOT), or pass --force to replace the database's content."
            )
        started = time.monotonic()
        if vendor == "sqlite":
            _restore_sqlite(using, work / manifest["database"]["member"])
        else:
            if tables:
                _clear_postgresql(using)
            connections[using].close()
            _run(
                [
                    _pg_tool("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    f"--dbname={connections[using].settings_dict['NAME']}",
                    str(work / manifest["database"]["member"]),
                ],
                _pg_env(using),
            )
        for member in manifest["members"]:
            if member["name"].startswith(MEDIA_PREFIX):
                target = media_root / member["name"][len(MEDIA_PREFIX) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(work / member["name"], target)
        manifest["restore_seconds"] = round(time.monotonic() - started, 1)
    connections[using].close()
    return manifest


def _restore_sqlite(using: str, member: Path) -> None:
    copy = member.with_suffix("")  # database.sqlite3
    with gzip.open(member, "rb") as source, open(copy, "wb") as sink:
        shutil.copyfileobj(source, sink, CHUNK)
    connection = connections[using]
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)  # replaces every page of the target at once
    finally:
        source.close()
    connection.close()


def default_output_dir() -> Path:
    value = os.environ.get("BACKUP_DIR")
    if value:
        return Path(value)
    data_dir = getattr(settings, "DATA_DIR", None)
    if data_dir is None:
        raise ImproperlyConfigured("Set BACKUP_DIR or pass --output-dir.")
    return Path(data_dir) / "backups"
