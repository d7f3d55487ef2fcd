"""Recompute every stored KPI measure from the raw data (after an import, a restore or a formula change)."""

import resource
import time

from django.core.management.base import BaseCommand, CommandError

from khizmat.monitoring import registry, services
from khizmat.tenancy.models import Organization


class Command(BaseCommand):
    help = "Recompute the stored KPI measures (per organization, day and month) from the raw data."

    def add_arguments(self, parser):
        parser.add_argument(
            "--organization", action="append", default=[], help="organization code (repeatable)"
        )
        parser.add_argument("--source", action="append", default=[], help="only these sources (repeatable)")

    def handle(self, *args, **options):
        known = registry.sources()
        unknown = [code for code in options["source"] if code not in known]
        if unknown:
            raise CommandError(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        organization_ids = None
        if options["organization"]:
            found = dict(
                Organization.objects.filter(code__in=options["organization"]).values_list("code", "pk")
            )
            missing = sorted(set(options["organization"]) - set(found))
            if missing:
                raise CommandError(f"unknown organization(s): {', '.join(missing)}")
            organization_ids = sorted(found.values())
        started = time.monotonic()

        def progress(source, zone, day):
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {source} {zone} up to {day} ({time.monotonic() - started:.1f} s)")

        written = services.kpi_rebuild(
            organization_ids=organization_ids, sources=options["source"] or None, progress=progress
        )
        elapsed = time.monotonic() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for source, rows in sorted(written.items()):
            self.stdout.write(f"{source}: {rows} stored values")
        self.stdout.write(
            self.style.SUCCESS(f"KPI rebuild done in {elapsed:.1f} s, peak memory {peak:.0f} MB")
        )
