from django.db import models
from django.utils.translation import gettext_lazy as _


class VehicleKind(models.TextChoices):
    COMPACTOR = "compactor", _("Compactor truck")
    TIPPER = "tipper", _("Tipper truck")
    TRACTOR = "tractor", _("Tractor with trailer")
    LOADER = "loader", _("Loader")
    WATER_TANKER = "water_tanker", _("Water tanker")
    SWEEPER = "sweeper", _("Street sweeper")
    OTHER = "other", _("Other vehicle")


class VehicleStatus(models.TextChoices):
    ACTIVE = "active", _("In service")
    REPAIR = "repair", _("In repair")
    RETIRED = "retired", _("Retired")


class ServiceKind(models.TextChoices):
    SERVICE = "service", _("Scheduled service")
    REPAIR = "repair", _("Repair")
    INSPECTION = "inspection", _("Technical inspection")
    TYRES = "tyres", _("Tyres")


class FacilityKind(models.TextChoices):
    DEPOT = "depot", _("Depot (garage)")
    LANDFILL = "landfill", _("Landfill")
    TRANSFER = "transfer", _("Transfer station")


class PointKind(models.TextChoices):
    CONTAINER_SITE = "container_site", _("Container site")
    STREET_SEGMENT = "street_segment", _("Street (door-to-door)")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Shift(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")
