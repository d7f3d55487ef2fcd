"""``khizmat billing_resume``: queue every unfinished billing run again (run it after restarting the workers).

Safe to run at any time: a run continues from its last committed chunk, and two workers on one run take turns
chunk by chunk under the run's row lock."""

from django.core.management.base import BaseCommand
from django.db import transaction

from khizmat.billing.choices import RunStatus
from khizmat.billing.models import BillingRun
from khizmat.billing.tasks import execute_billing_run
from khizmat.tenancy.scoping import scopes_disabled


class Command(BaseCommand):
    help = "Queue unfinished billing runs again; each continues where it stopped."

    def handle(self, *args, **options):
        with scopes_disabled():
            runs = list(
                BillingRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).values_list(
                    "pk", flat=True
                )
            )
        for run_id in runs:
            transaction.on_commit(lambda run_id=run_id: execute_billing_run.enqueue(run_id=run_id))
        self.stdout.write(f"{len(runs)} billing run(s) queued again.")
