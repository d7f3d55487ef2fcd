"""``khizmat restore ARCHIVE [--force]``: checks the archive's SHA-256 and every member's, then restores the database
into an empty database and the uploaded files into MEDIA_ROOT (khizmat.core.backup, docs/deploy.md "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.db.migrations.loader import MigrationLoader

from khizmat.core import backup


class Command(BaseCommand):
    help = "Restore a backup made by `khizmat backup` into an empty database (stop the app and the worker first)."
    requires_system_checks = []  # the target database is empty: nothing to check yet

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The khizmat-….tar file (its .sha256 beside it).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the content of a database that is not empty (every table is dropped first).",
        )
        parser.add_argument(
            "--verify-only", action="store_true", help="Check the archive and its checksums, restore nothing."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, archive, force=False, verify_only=False, database=DEFAULT_DB_ALIAS, **options):
        try:
            if verify_only:
                manifest = backup.verify_archive(archive)
                self.stdout.write(
                    f"{archive.name}: every checksum matches ({len(manifest['members'])} members)."
                )
                return
            manifest = backup.restore_backup(archive, using=database, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        media = sum(1 for m in manifest["members"] if m["name"].startswith(backup.MEDIA_PREFIX))
        self.stdout.write(
            f"Restored {archive.name} (made {manifest['created_at']} by Khizmat {manifest['khizmat']}): "
            f"the database and {media} media files, in {manifest['restore_seconds']} s."
        )
        pending = MigrationLoader(None, ignore_no_migrations=True).disk_migrations.keys() - {
            tuple(m) for m in manifest["migrations"]
        }
        if pending:
            self.stdout.write(
                f"The backup predates {len(pending)} migrations of this version: run `khizmat migrate`, "
                "then `khizmat kpi_rebuild`."
            )
