"""Citizens' feedback as monitoring measures and KPIs (khizmat.monitoring.registry): ratings and complaints."""

from collections import defaultdict

from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from khizmat.feedback.choices import CaseKind
from khizmat.feedback.models import FeedbackCase, Rating
from khizmat.monitoring.registry import (
    HISTOGRAM,
    SERVICE_CENTER,
    Count,
    Kpi,
    Mean,
    Measure,
    Median,
    Source,
    daily_rows,
    first_local_day,
    register_kpi,
    register_measure,
    register_source,
)

SOURCE = "feedback"
ANSWER_HOURS_CAP = 24 * 90


def _first_day(organization_ids):
    days = [
        first_local_day(Rating.objects.filter(organization_id__in=organization_ids), "created_at"),
        first_local_day(FeedbackCase.objects.filter(organization_id__in=organization_ids), "created_at"),
    ]
    days = [day for day in days if day is not None]
    return min(days) if days else None


def _ratings(window):
    """Sum of scores (1–5) and number of ratings, by the day given."""
    return daily_rows(Rating.objects.all(), "created_at", window, total=Sum("score"))


def _complaints(window):
    return daily_rows(FeedbackCase.objects.filter(kind=CaseKind.COMPLAINT), "created_at", window)


def _answer_hours(window):
    """Histogram of whole hours from a complaint to its answer, by the day it was answered."""
    rows = (
        FeedbackCase.objects.filter(
            organization_id__in=window.organization_ids,
            kind=CaseKind.COMPLAINT,
            answered_at__gte=window.start,
            answered_at__lt=window.end,
        )
        .annotate(local_day=TruncDate("answered_at", tzinfo=window.zone))
        .values("organization_id", "local_day", "created_at", "answered_at")
        .order_by()
    )
    histogram = defaultdict(int)
    for row in rows:  # a day's answered complaints: a handful per organization
        hours = int((row["answered_at"] - row["created_at"]).total_seconds() // 3600)
        histogram[(row["organization_id"], row["local_day"], max(0, min(hours, ANSWER_HOURS_CAP)))] += 1
    for (organization_id, day, bucket), count in histogram.items():
        yield organization_id, day, bucket, count


register_source(Source(SOURCE, _("Citizens' feedback"), _first_day))
register_measure(Measure("feedback.ratings", SOURCE, _("Ratings (sum of scores)"), _ratings))
register_measure(Measure("feedback.complaints", SOURCE, _("Written complaints"), _complaints))
register_measure(
    Measure("feedback.answer_hours", SOURCE, _("Hours to answer a complaint"), _answer_hours, kind=HISTOGRAM)
)

register_kpi(
    Kpi(
        "feedback.satisfaction",
        SERVICE_CENTER,
        _("Satisfaction score"),
        _("average rating given at the counter or by QR code (1 to 5)"),
        "score",
        Mean("feedback.ratings"),
        public=True,
    )
)
register_kpi(
    Kpi(
        "feedback.complaints",
        SERVICE_CENTER,
        _("Complaints"),
        _("written complaints received in the period"),
        "count",
        Count("feedback.complaints"),
        better="lower",
    )
)
register_kpi(
    Kpi(
        "feedback.answer_time",
        SERVICE_CENTER,
        _("Median answer time"),
        _("median of hours from a complaint to its answer, over complaints answered in the period"),
        "hours",
        Median("feedback.answer_hours"),
        better="lower",
    )
)
