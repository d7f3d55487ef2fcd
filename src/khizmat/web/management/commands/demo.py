"""``khizmat demo``: create or refresh the demo data of the pilot sites. Safe to re-run."""

import io

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction

from khizmat.core.demo import DEMO_PASSWORD, PLATFORM_ADMIN_USERNAME, format_logins, run_steps


class Command(BaseCommand):
    help = (
        "Create or refresh the demo data of the pilot sites (Uzbekistan and Kyrgyzstan) with one login per role "
        "per organization. Safe to re-run. Never run it on a production database: every demo login has the same "
        "published password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help="Print a one-line summary instead of the logins."
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the volume of generated history (applications, tickets…); e.g. 0.05 for a quick load.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo although DEBUG is off (a training server, never a production database).",
        )

    def handle(self, *args, quiet: bool = False, force: bool = False, scale: float = 1.0, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production server. The demo creates logins with a published "
                "password; add --force if this really is a training or test server."
            )
        progress = OutputWrapper(io.StringIO()) if quiet else self.stdout
        with transaction.atomic():
            logins = run_steps(stdout=progress, scale=max(scale, 0.0))
        if quiet:
            count = sum(len(login.usernames) for login in logins)
            self.stdout.write(
                f"Demo data ready: {len(logins)} organizations, {count} logins and the platform administrator "
                f"{PLATFORM_ADMIN_USERNAME} (password {DEMO_PASSWORD})."
            )
            return
        for line in format_logins(logins):
            self.stdout.write(line)
