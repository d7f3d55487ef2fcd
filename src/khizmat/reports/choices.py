from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    OPEN = "open", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_PROGRESS = "in_progress", _("Work in progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    DUPLICATE = "duplicate", _("Duplicate")


# Open311 knows two statuses.
OPEN311_OPEN = frozenset({ReportStatus.OPEN, ReportStatus.ACKNOWLEDGED, ReportStatus.IN_PROGRESS})


def open311_status(status: str) -> str:
    return "open" if status in OPEN311_OPEN else "closed"


class ReportSource(models.TextChoices):
    PORTAL = "portal", _("Citizen portal")
    OPEN311 = "open311", _("Open311 client")
    STAFF = "staff", _("Entered by staff")
    CREW = "crew", _("Reported by a collection crew")


class AttributeType(models.TextChoices):
    """Open311 attribute datatypes."""

    STRING = "string", _("Short text")
    NUMBER = "number", _("Number")
    DATETIME = "datetime", _("Date and time")
    TEXT = "text", _("Long text")
    SINGLE = "singlevaluelist", _("One of a list")
    MULTI = "multivaluelist", _("Several of a list")
