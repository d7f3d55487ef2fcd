"""The counter queue as monitoring measures and KPIs (khizmat.monitoring.registry): waiting and service times."""

from decimal import Decimal

from django.db.models import DurationField, ExpressionWrapper, F, Sum
from django.utils.translation import gettext_lazy as _

from khizmat.monitoring.registry import (
    SERVICE_CENTER,
    Count,
    Kpi,
    Mean,
    Measure,
    Source,
    daily_rows,
    first_local_day,
    register_kpi,
    register_measure,
    register_source,
)
from khizmat.queue.models import QueueTicket

SOURCE = "queue"
MINUTES_PER_SECOND = Decimal(1) / Decimal(60)


def _seconds(later: str, earlier: str):
    return Sum(ExpressionWrapper(F(later) - F(earlier), output_field=DurationField()))


def _first_day(organization_ids):
    return first_local_day(QueueTicket.objects.filter(organization_id__in=organization_ids), "issued_at")


def _issued(window):
    return daily_rows(QueueTicket.objects.all(), "issued_at", window)


def _wait(window):
    """Seconds from the ticket to the first call, over tickets called, by the day of the call."""
    return daily_rows(
        QueueTicket.objects.all(), "called_at", window, total=_seconds("called_at", "issued_at")
    )


def _service(window):
    """Seconds at the counter, over tickets served to the end, by the day service ended."""
    served = QueueTicket.objects.filter(serving_started_at__isnull=False)
    return daily_rows(served, "finished_at", window, total=_seconds("finished_at", "serving_started_at"))


register_source(Source(SOURCE, _("Counter queue"), _first_day))
register_measure(Measure("queue.issued", SOURCE, _("Tickets issued"), _issued))
register_measure(Measure("queue.wait_seconds", SOURCE, _("Seconds waited until called"), _wait))
register_measure(Measure("queue.service_seconds", SOURCE, _("Seconds of service at the counter"), _service))

register_kpi(
    Kpi(
        "queue.visitors",
        SERVICE_CENTER,
        _("Queue tickets"),
        _("tickets issued in the period"),
        "count",
        Count("queue.issued"),
        better="",
    )
)
register_kpi(
    Kpi(
        "queue.average_wait",
        SERVICE_CENTER,
        _("Average wait"),
        _("minutes from the ticket to the first call, averaged over the tickets called"),
        "minutes",
        Mean("queue.wait_seconds", scale=MINUTES_PER_SECOND),
        better="lower",
        public=True,
    )
)
register_kpi(
    Kpi(
        "queue.average_service",
        SERVICE_CENTER,
        _("Average service time"),
        _("minutes at the counter, averaged over the tickets served"),
        "minutes",
        Mean("queue.service_seconds", scale=MINUTES_PER_SECOND),
        better="",
    )
)
