"""``khizmat billing_check [--organization CODE]``: verify that every billing document reached the ledger exactly
once with its amount. Exits with status 1 when a problem is found (for cron and monitoring)."""

from django.core.management.base import BaseCommand, CommandError

from khizmat.billing.checks import ledger_problems
from khizmat.billing.models import Subscriber
from khizmat.tenancy.models import Organization
from khizmat.tenancy.scoping import scopes_disabled


class Command(BaseCommand):
    help = "Check that the billing ledger matches its documents (invoices, payments, reversals, adjustments)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--organization", help="Organization code (default: every organization with accounts)."
        )

    def handle(self, *args, organization=None, **options):
        with scopes_disabled():
            organizations = Organization.objects.filter(
                pk__in=Subscriber.objects.values("organization_id").distinct()
            ).order_by("code")
            if organization:
                organizations = organizations.filter(code=organization)
                if not organizations.exists():
                    raise CommandError(f"No organization with accounts has the code {organization!r}.")
            failed = False
            for org in organizations:
                problems = ledger_problems(organization=org)
                if problems:
                    failed = True
                    self.stdout.write(self.style.ERROR(f"{org.code}:"))
                    for problem in problems:
                        self.stdout.write(f"  - {problem}")
                else:
                    self.stdout.write(f"{org.code}: ledger consistent")
        if failed:
            raise CommandError("The ledger does not match its documents.", returncode=1)
