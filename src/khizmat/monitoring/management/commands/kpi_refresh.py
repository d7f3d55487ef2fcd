"""Refresh the stored KPI measures: the days the services marked, and the month-end stocks (run from cron)."""

from django.core.management.base import BaseCommand

from khizmat.monitoring import services


class Command(BaseCommand):
    help = (
        "Recompute the days the services marked as changed and the stocks of yesterday's and today's months "
        "(run every few minutes, and at least once after each midnight, from cron)."
    )

    def handle(self, *args, **options):
        marks = services.kpi_refresh_touched()
        organizations = services.kpi_refresh_stocks()
        self.stdout.write(
            f"{marks} changed days refreshed, stocks of {organizations} organizations refreshed"
        )
