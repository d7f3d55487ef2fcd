"""``khizmat backup [--output-dir DIR] [--keep N] [--no-media]``: one archive with the database and the uploaded
files, and its SHA-256 beside it (khizmat.core.backup, docs/deploy.md "Backups")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from khizmat.core import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files (MEDIA_ROOT) into one checked archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="Folder of the archives (default: $BACKUP_DIR, else backups/ in the data folder).",
        )
        parser.add_argument(
            "--keep", type=int, help="Keep only the newest N archives of the folder (this one included)."
        )
        parser.add_argument(
            "--no-media", action="store_true", help="Leave out the uploaded files (database only)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, output_dir=None, keep=None, no_media=False, database=DEFAULT_DB_ALIAS, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be 1 or more.")
        try:
            result = backup.create_backup(
                output_dir=output_dir or backup.default_output_dir(),
                using=database,
                media=not no_media,
                keep=keep,
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        media = sum(1 for m in result.manifest["members"] if m["name"].startswith(backup.MEDIA_PREFIX))
        self.stdout.write(
            f"{result.path} ({result.size / 1e6:.1f} MB: {result.manifest['database']['server']} database, "
            f"{media} media files)\nSHA-256 {result.sha256} in {backup.checksum_path(result.path).name}"
        )
        for old in result.removed:
            self.stdout.write(f"Removed the older {old.name}")
