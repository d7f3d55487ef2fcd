from django.core.management.base import BaseCommand

from khizmat.notifications.services import sms_enqueue_due
from khizmat.tenancy.scoping import scopes_disabled


class Command(BaseCommand):
    help = "Enqueue SMS whose retry time has come (run every minute from cron when the task backend cannot delay)."

    def handle(self, *args, **options):
        with scopes_disabled():
            count = sms_enqueue_due()
        self.stdout.write(f"{count} SMS enqueued.")
