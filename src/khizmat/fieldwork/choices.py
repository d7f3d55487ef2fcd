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


class CrewPosition(models.TextChoices):
    DRIVER = "driver", _("Driver")
    LOADER = "loader", _("Loader")


class RouteSource(models.TextChoices):
    MANUAL = "manual", _("Drawn by the dispatcher")
    OPTIMIZED = "optimized", _("Optimized")


class RouteStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    STARTED = "started", _("On the road")
    FINISHED = "finished", _("Finished")


class StopStatus(models.TextChoices):
    PENDING = "pending", _("Not yet")
    DONE = "done", _("Collected")
    SKIPPED = "skipped", _("Skipped")


class SkipReason(models.TextChoices):
    BLOCKED = "blocked", _("Access blocked (parked cars, road works)")
    NO_WASTE = "no_waste", _("Nothing to collect")
    CONTAINER_DAMAGED = "container_damaged", _("Container damaged or missing")
    VEHICLE_FULL = "vehicle_full", _("Truck full, no time to unload")
    BREAKDOWN = "breakdown", _("Vehicle breakdown")
    WEATHER = "weather", _("Weather or road closed")
    OTHER = "other", _("Other reason")


# A skipped point raises a citizen report (the waste is still there), unless there was nothing to collect.
SKIPS_WITHOUT_REPORT = frozenset({SkipReason.NO_WASTE})


class PlanStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Optimizing")
    DONE = "done", _("Ready")
    APPLIED = "applied", _("Routes created")
    FAILED = "failed", _("Planning failed")


class PlanScope(models.TextChoices):
    SCHEDULED = "scheduled", _("Points whose streets are scheduled that day")
    ALL = "all", _("All active points (clean-up day)")


class DriverEventKind(models.TextChoices):
    STOP_DONE = "stop_done", _("Point collected")
    STOP_SKIPPED = "stop_skipped", _("Point skipped")
    TRIP_START = "trip_start", _("Left the depot")
    LOAD = "load", _("Unloaded at the landfill")
    TRIP_END = "trip_end", _("Back at the depot")
