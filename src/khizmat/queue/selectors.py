import datetime

from django.db.models import Avg, Count, F, Q

from khizmat.queue.choices import ACTIVE_AT_COUNTER, TicketStatus
from khizmat.queue.models import Counter, QueueScreen, QueueTicket, ServiceGroup
from khizmat.tenancy.models import Organization


def group_list_active(*, organization: Organization):
    return ServiceGroup.objects.filter(organization=organization, is_active=True).order_by("letter")


def counter_list_active(*, organization: Organization):
    return Counter.objects.filter(organization=organization, is_active=True).order_by("number")


def board_calls(*, organization: Organization, day: datetime.date, limit: int = 6):
    """The latest calls for the display board: the ticket and its window, newest first."""
    return list(
        QueueTicket.objects.filter(
            organization=organization, day=day, status__in=ACTIVE_AT_COUNTER, last_called_at__isnull=False
        )
        .select_related("counter")
        .order_by("-last_called_at")[:limit]
    )


def waiting_by_group(*, organization: Organization, day: datetime.date) -> dict[int, int]:
    return dict(
        QueueTicket.objects.filter(organization=organization, day=day, status=TicketStatus.WAITING)
        .values_list("group_id")
        .annotate(total=Count("pk"))
        .order_by()
    )


def day_summary(*, organization: Organization, day: datetime.date) -> dict:
    """Tickets of the day by status, average wait and service time in minutes."""
    tickets = QueueTicket.objects.filter(organization=organization, day=day)
    totals = tickets.aggregate(
        issued=Count("pk"),
        waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
        served=Count("pk", filter=Q(status=TicketStatus.SERVED)),
        no_show=Count("pk", filter=Q(status=TicketStatus.NO_SHOW)),
        avg_wait=Avg(F("called_at") - F("issued_at"), filter=Q(called_at__isnull=False)),
        avg_service=Avg(F("finished_at") - F("serving_started_at"), filter=Q(status=TicketStatus.SERVED)),
    )
    for key in ("avg_wait", "avg_service"):
        value = totals[key]
        totals[key] = round(value.total_seconds() / 60, 1) if value is not None else None
    return totals


def waiting_tickets(*, organization: Organization, day: datetime.date):
    return (
        QueueTicket.objects.filter(organization=organization, day=day, status=TicketStatus.WAITING)
        .select_related("group", "counter")
        .order_by("waiting_since", "pk")
    )


def screen_get(*, organization: Organization, token: str, kind: str) -> QueueScreen | None:
    return QueueScreen.objects.filter(
        organization=organization, token=token, kind=kind, is_active=True
    ).first()
