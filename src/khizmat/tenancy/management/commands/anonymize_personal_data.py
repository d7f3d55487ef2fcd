from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khizmat.tenancy.privacy import anonymize


class Command(BaseCommand):
    help = (
        "Anonymize citizens' names, ID numbers, phones, e-mails and addresses in closed applications, complaints, "
        "citizen reports and SMS older than PERSONAL_DATA_RETENTION_DAYS, and in their history rows. Billing "
        "subscribers and money records are kept. Safe to run again; --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; write nothing.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention in days (default: PERSONAL_DATA_RETENTION_DAYS).",
        )

    def handle(self, *args, dry_run, days, **options):
        days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("The retention period must be at least one day.")
        counts = anonymize(retention_days=days, dry_run=dry_run)
        verb = "would be anonymized" if dry_run else "anonymized"
        for table, count in counts.items():
            self.stdout.write(f"{table}: {count} {verb}")
        self.stdout.write(f"Total: {sum(counts.values())} rows {verb} (older than {days} days).")
