"""``khizmat tasks_recover``: run again (or mark failed) the background tasks whose worker died mid-task.

Every worker does this for its machine when it starts; run it from cron every few minutes as well, with
``--stale-after`` above the longest task when workers run on several machines (docs/faults.md)."""

import datetime

from django.core.management.base import BaseCommand

from khizmat.core.taskrecovery import tasks_recover


class Command(BaseCommand):
    help = "Queue again the tasks left running by a dead worker (or mark them failed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-after",
            type=float,
            metavar="MINUTES",
            help="Also count tasks of other machines' workers as lost after running this many minutes.",
        )

    def handle(self, *args, stale_after=None, **options):
        recovery = tasks_recover(
            stale_after=datetime.timedelta(minutes=stale_after) if stale_after is not None else None
        )
        self.stdout.write(
            f"{len(recovery.requeued)} task(s) queued again, {len(recovery.failed)} marked failed."
        )
