from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingChannel(models.TextChoices):
    COUNTER = "counter", _("Tablet at the counter")
    QR = "qr", _("QR code on the receipt")


class CaseKind(models.TextChoices):
    LOW_RATING = "low_rating", _("Low rating")
    COMPLAINT = "complaint", _("Written complaint")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
