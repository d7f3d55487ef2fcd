"""``khizmat billing_balances_rebuild [--organization CODE]``: rewrite the balance table (one row per account and
month) from the ledger, e.g. after ``billing_check`` reported a difference. One transaction per organization."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from khizmat.billing import balances
from khizmat.billing.models import Subscriber
from khizmat.tenancy.models import Organization
from khizmat.tenancy.scoping import scopes_disabled


class Command(BaseCommand):
    help = "Rewrite the billing balance table (per account and month) from the ledger."

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
            for org in organizations:
                started = time.monotonic()
                with transaction.atomic():
                    # Payments and runs of the organization wait meanwhile: each writer locks its accounts first.
                    balances.lock_organization(organization_id=org.pk)
                    count = balances.rebuild(organization_ids=[org.pk])
                self.stdout.write(f"{org.code}: {count} account months in {time.monotonic() - started:.1f} s")
