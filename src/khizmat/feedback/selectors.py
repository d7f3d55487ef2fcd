import datetime

from django.db.models import Avg, Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from khizmat.feedback.choices import CaseStatus
from khizmat.feedback.models import FeedbackCase, Rating
from khizmat.queue.choices import TicketStatus
from khizmat.queue.models import Counter, QueueTicket
from khizmat.tenancy.localtime import local_day_start, local_today, organization_zone
from khizmat.tenancy.models import Organization, User

TABLET_WINDOW_MINUTES = 15


def case_list(*, organization: Organization, status: str = ""):
    cases = FeedbackCase.objects.filter(organization=organization).select_related("rating", "application")
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("status", "due_date", "pk")


def case_list_overdue(*, organization: Organization, today: datetime.date):
    return case_list(organization=organization, status=CaseStatus.OPEN).filter(due_date__lt=today)


def ticket_awaiting_rating(*, counter: Counter) -> QueueTicket | None:
    """The ticket just served at this window and not rated yet (within the last few minutes)."""
    since = timezone.now() - datetime.timedelta(minutes=TABLET_WINDOW_MINUTES)
    rated = Rating.objects.filter(organization=counter.organization_id, ticket__isnull=False).values(
        "ticket_id"
    )
    return (
        QueueTicket.objects.filter(
            organization=counter.organization_id,
            counter=counter,
            status=TicketStatus.SERVED,
            finished_at__gte=since,
        )
        .exclude(pk__in=rated)
        .order_by("-finished_at")
        .first()
    )


def monthly_scores(*, organization: Organization, months: int = 6) -> dict:
    """Average score and count per month for the organization and for each operator."""
    zone = organization_zone(organization)
    since = (local_today(organization).replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(
        day=1
    )
    ratings = Rating.objects.filter(
        organization=organization, created_at__gte=local_day_start(since, organization)
    )
    overall = list(
        ratings.annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("month")
        .annotate(average=Avg("score"), total=Count("pk"))
        .order_by("month")
    )
    per_operator = list(
        ratings.filter(operator__isnull=False)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values("operator_id", "month")
        .annotate(average=Avg("score"), total=Count("pk"))
        .order_by("operator_id", "month")
    )
    users = User.objects.in_bulk({row["operator_id"] for row in per_operator})
    months_seen = sorted({row["month"] for row in overall})
    table: dict[int, dict] = {}
    for row in per_operator:
        entry = table.setdefault(row["operator_id"], {"user": users.get(row["operator_id"]), "months": {}})
        entry["months"][row["month"]] = (round(row["average"], 2), row["total"])
    operators = [
        {"user": entry["user"], "cells": [entry["months"].get(month) for month in months_seen]}
        for entry in sorted(table.values(), key=lambda e: str(e["user"]))
    ]
    return {
        "months": months_seen,
        "overall": [(row["month"], round(row["average"], 2), row["total"]) for row in overall],
        "operators": operators,
    }
