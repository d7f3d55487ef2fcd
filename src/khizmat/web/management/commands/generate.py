"""``khizmat generate --scale national``: synthetic data at a country's size, for benchmarks (see docs/benchmarks.md)."""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khizmat.core.demo import DEMO_PASSWORD
from khizmat.core.generate import AGENCY_CODE, MONITOR_USERNAME, SCALES, generate, org_code
from khizmat.tenancy.generate import generated_already


class Command(BaseCommand):
    help = (
        "Generate synthetic organizations, accounts, invoices, payments, applications and citizen reports at the "
        "chosen scale (tiny, small, regional, national) with set-based inserts, reproducible from --seed. For "
        "benchmarks and load tests, never for a production database: every generated login has the demo password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same rows (default 1)."
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the generated year ends (YYYY-MM-DD; default today).",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing (and succeed) when the database already holds generated data.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Generate although DEBUG is off (a benchmark server)."
        )

    def handle(self, *args, scale: str, seed: int, as_of, if_missing: bool, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production server. Generated logins share a published "
                "password; add --force if this really is a benchmark server."
            )
        if generated_already():
            if if_missing:
                self.stdout.write(f"Generated data is already here ({org_code(1)}…): nothing to do.")
                return
            raise CommandError(
                "This database already holds generated data: use a fresh database (or --if-missing to reuse it)."
            )
        started = time.monotonic()
        gen = generate(
            scale=SCALES[scale], seed=seed, as_of=as_of or timezone.localdate(), stdout=self.stdout
        )
        self.stdout.write("Statements:")
        for label, seconds, rows in gen.timings:
            self.stdout.write(f"  {label:<40} {rows:>12,} rows {seconds:>8.1f} s")
        self.stdout.write(
            f"Generated scale {scale} (seed {seed}) in {time.monotonic() - started:.0f} s. Logins (password "
            f"{DEMO_PASSWORD}): {org_code(1)}.manager / .cashier / .dispatcher (an enterprise), {org_code(2)}.manager "
            f"/ .operator / .dispatcher (a service center), {MONITOR_USERNAME} (monitor of {AGENCY_CODE})."
        )
