"""Citizens' ratings (1–5) after service and the complaints a manager must answer."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.feedback.choices import CaseKind, CaseStatus, RatingChannel
from khizmat.tenancy.scoping import TenantModel

LOW_RATING_AT_MOST = 2
ANSWER_WORKING_DAYS = 5


class Rating(TenantModel):
    """One rating of one visit: a ticket at the counter or an application through its QR code, never twice."""

    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    channel = models.CharField(_("channel"), max_length=10, choices=RatingChannel.choices)
    ticket = models.ForeignKey(
        "queue.QueueTicket",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket"),
    )
    application = models.ForeignKey(
        "services.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application"),
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    created_at = models.DateTimeField(_("given"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "ticket"],
                condition=Q(ticket__isnull=False),
                name="rating_one_per_ticket",
            ),
            models.UniqueConstraint(
                fields=["organization", "application"],
                condition=Q(application__isnull=False),
                name="rating_one_per_application",
            ),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]
        indexes = [models.Index(fields=["organization", "created_at"], name="rating_org_created")]

    def __str__(self) -> str:
        return f"{self.score}/5"


class FeedbackCase(TenantModel):
    """A low rating or a written complaint that a manager must answer by ``due_date``."""

    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    text = models.TextField(_("what the citizen wrote"), blank=True, max_length=4000)
    citizen_name = models.CharField(_("citizen's name"), max_length=255, blank=True)
    citizen_phone = models.CharField(_("citizen's phone"), max_length=20, blank=True)
    citizen_language = models.CharField(_("citizen's language"), max_length=10, blank=True)
    rating = models.ForeignKey(
        Rating, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("rating")
    )
    application = models.ForeignKey(
        "services.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application"),
    )
    created_at = models.DateTimeField(_("received"))
    due_date = models.DateField(_("answer by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["status", "due_date", "pk"]
        indexes = [models.Index(fields=["organization", "status", "due_date"], name="case_org_status_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}"

    def is_overdue(self, *, on: datetime.date) -> bool:
        return self.status == CaseStatus.OPEN and self.due_date < on
