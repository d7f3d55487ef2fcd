from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    CLOSED = "closed", _("Closed")


class WorkUnit(models.TextChoices):
    CUBIC_METRE = "m3", _("m³")
    KILOMETRE = "km", _("km")
    SQUARE_METRE = "m2", _("m²")
    PIECE = "pcs", _("pcs")
    TRIP = "trip", _("trips")
    HOUR = "hour", _("hours")


class WorkSource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    TRIP_LOADS = "trip_loads", _("From the loads of the trip log")


class LoadScope(models.TextChoices):
    """Which loads of the trip log a work item counts: the work it names, not every truck's household rounds."""

    PUBLIC_AREAS = "public", _("Public areas only (squares, parks, bazaars)")
    ALL_POINTS = "all", _("Every collection point")


class ActStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for acceptance")
    DISPUTED = "disputed", _("Disputed")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted")


class LineStatus(models.TextChoices):
    OK = "ok", _("Not disputed")
    DISPUTED = "disputed", _("Disputed")
    ANSWERED = "answered", _("Answered")
