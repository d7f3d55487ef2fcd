"""``khizmat backup`` / ``khizmat restore``: a database with data of several apps and uploaded files comes back
identical, table by table and row by row, in an EMPTY database (SQLite: a temporary file; PostgreSQL: a scratch
database beside the test database); a damaged archive, an archive of a newer schema and a non-empty target are
refused before anything is touched."""

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import load_backend

from khizmat.billing.tests.factories import LedgerEntryFactory, PaymentFactory, SubscriberFactory
from khizmat.core import backup
from khizmat.reports.tests.factories import ReportFactory
from khizmat.services.tests.factories import ApplicationDocumentFactory, ApplicationFactory
from khizmat.tenancy.roles import Role

RESTORE = "restore"


@pytest.fixture
def media(tmp_path, settings):
    """Uploads on the file system (the suite otherwise keeps them in memory)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


@pytest.fixture
def empty_database(tmp_path):
    """A second, EMPTY database under the alias ``restore``: a SQLite file, or ``<test database>_restore``."""
    default = connections["default"]
    target = dict(default.settings_dict)
    if default.vendor == "postgresql":
        target["NAME"] = f"{default.settings_dict['NAME']}_restore"
        with default.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {target['NAME']} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {target['NAME']}")
    else:
        target["NAME"] = str(tmp_path / "restored.sqlite3")
    # Made by hand rather than declared in DATABASES: Django's test case lets such a connection through.
    connections[RESTORE] = load_backend(target["ENGINE"]).DatabaseWrapper(target, RESTORE)
    yield RESTORE
    connections[RESTORE].close()
    del connections[RESTORE]
    if default.vendor == "postgresql":
        with default.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {target['NAME']} WITH (FORCE)")


def _fill(org_a, member):
    """A little of everything: organization, staff, an application with its PDF, a citizen report with its photo,
    a subscriber with a payment and ledger entries (and the balance rows they keep), audit history."""
    operator = member(org_a, Role.OPERATOR, username="backup.operator")
    application = ApplicationFactory(organization=org_a, registered_by=operator)
    ApplicationDocumentFactory(organization=org_a, application=application, uploaded_by=operator)
    ReportFactory(organization=org_a)
    subscriber = SubscriberFactory(organization=org_a, holder_name="Жумабаев Азамат")
    PaymentFactory(organization=org_a, subscriber=subscriber)
    LedgerEntryFactory(organization=org_a, subscriber=subscriber)


def _tables(alias):
    connection = connections[alias]
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _rows(alias, table):
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return sorted(cursor.fetchall(), key=repr)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# pg_dump reads what is committed; serialized_rollback like every transactional test here, so that the flush leaves
# the reference rows of the migrations (and the content types) as the next tests expect them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_into_an_empty_database_give_every_row_back(
    org_a, member, media, empty_database, tmp_path, settings
):
    _fill(org_a, member)
    uploaded = _files(media)
    assert len(uploaded) == 2  # the application's PDF and the report's photo

    older = _stand_in_archive(tmp_path)
    call_command("backup", output_dir=older.parent, keep=1, stdout=io.StringIO())  # removes the older one
    (archive,) = backup.list_archives(older.parent)
    assert sorted(p.name for p in archive.parent.iterdir()) == [archive.name, f"{archive.name}.sha256"]

    settings.MEDIA_ROOT = tmp_path / "restored-media"
    assert _tables(empty_database) == []
    call_command("restore", archive, database=empty_database, stdout=io.StringIO())

    tables = _tables("default")
    assert _tables(empty_database) == tables
    compared = 0
    for table in tables:
        original = _rows("default", table)
        assert _rows(empty_database, table) == original, table
        compared += len(original)
    for table in (
        "tenancy_organization",
        "services_applicationdocument",
        "billing_payment",
        "billing_ledgerentry",
    ):
        assert _rows(empty_database, table), f"{table} should have rows to compare"
    assert compared > 100
    assert _files(tmp_path / "restored-media") == uploaded


def _rewrite(archive: Path, change) -> None:
    """Rebuilds the archive with ``change(name, data) -> data`` applied to each member, with a matching checksum."""
    with tarfile.open(archive) as tar:
        members = [(info.name, tar.extractfile(info).read()) for info in tar]
    with tarfile.open(archive, "w") as tar:
        for name, data in members:
            data = change(name, data)
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    backup.checksum_path(archive).write_text(f"{hashlib.sha256(archive.read_bytes()).hexdigest()}  x\n")


def _stand_in_archive(tmp_path):
    """An archive as ``khizmat backup`` writes it, of this database's migration state (its database member is a
    stand-in: every refusal below comes before the database is read)."""
    upload = tmp_path / "upload.txt"
    upload.write_text("an upload")
    stand_in = tmp_path / backup.SQLITE_MEMBER
    stand_in.write_bytes(b"not read")
    vendor = connections["default"].vendor
    return backup.write_archive(
        tmp_path / "backups",
        database_file=stand_in,
        database={"vendor": vendor, "server": vendor},
        migrations=[list(key) for key in sorted(backup.known_migrations())],
        media_files=[("media/upload.txt", upload)],
    ).path


@pytest.fixture
def archive(db, tmp_path):
    return _stand_in_archive(tmp_path)


def _restore(archive):
    """Into this (non-empty) database: each refusal below must come before the check for an empty target."""
    call_command("restore", archive, stdout=io.StringIO())


def test_an_archive_with_one_byte_flipped_is_refused(archive, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    data = bytearray(archive.read_bytes())
    data[len(data) // 3] ^= 0x01
    damaged = tmp_path / "damaged" / archive.name
    damaged.parent.mkdir()
    damaged.write_bytes(bytes(data))
    shutil.copy(backup.checksum_path(archive), backup.checksum_path(damaged))
    with pytest.raises(CommandError, match="damaged"):
        _restore(damaged)
    # A changed upload with the checksum file rewritten to match: the member's own SHA-256 still refuses it.
    _rewrite(archive, lambda name, data: data.replace(b"an upload", b"an uploaD"))
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        _restore(archive)
    assert not (tmp_path / "restored-media").exists()


def test_an_archive_of_a_newer_schema_is_refused(archive, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    def future(name, data):
        if name != backup.MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["migrations"].append(["billing", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    _rewrite(archive, future)
    with pytest.raises(CommandError, match=r"newer version of Khizmat.*billing\.9999_from_the_future"):
        _restore(archive)
    assert not (tmp_path / "restored-media").exists()


def test_a_database_that_is_not_empty_is_refused_without_force(archive, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    with pytest.raises(CommandError, match="needs an empty target"):
        call_command("restore", archive, stdout=io.StringIO())


def test_keep_leaves_the_newest_archives(archive):
    folder = archive.parent
    stand_in = folder.parent / backup.SQLITE_MEMBER
    newer = [
        backup.write_archive(
            folder, database_file=stand_in, database={"vendor": "sqlite"}, migrations=[], media_files=[]
        ).path
        for _ in range(2)
    ]
    assert backup.prune(folder, 2) == [archive]
    assert backup.list_archives(folder) == newer
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [a.name for a in newer] + [backup.checksum_path(a).name for a in newer]
    )
