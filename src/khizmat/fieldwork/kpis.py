"""Field work as monitoring measures and KPIs (khizmat.monitoring.registry): routes' points and the trip log.

Days are the routes' and trips' own dates (already the enterprise's local days). A **planned point** is a stop of a
route of that day; **collected**, a stop the crew marked collected. A **missed pickup** is a stop whose waste was
left behind: skipped for any reason but "nothing to collect" (the skips that file a missed-pickup report), or still
not marked when the route finished. A **trip** is a vehicle's working day in the trip log: km per trip over the
trips with a distance, m³ per trip over the trips that unloaded, and fuel against the norm over the trips with both
a distance and the fuel taken:

    fuel against norm = litres used ÷ (km × the vehicle's norm in l/100 km ÷ 100) × 100.

The norm is the vehicle's current one (``Vehicle.fuel_norm``): after a norm is corrected,
``khizmat kpi_rebuild --source fieldwork`` recomputes the past.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from khizmat.fieldwork.choices import SKIPS_WITHOUT_REPORT, RouteStatus, StopStatus
from khizmat.fieldwork.models import Route, RouteStop, Trip
from khizmat.monitoring.registry import (
    FIELDWORK,
    KM,
    M3,
    Kpi,
    Mean,
    Measure,
    Percent,
    Records,
    Source,
    Window,
    as_decimal,
    date_rows,
    register_kpi,
    register_measure,
    register_source,
)
from khizmat.monitoring.registry import (
    Count as CountOf,
)

SOURCE = "fieldwork"

MISSED = (Q(status=StopStatus.SKIPPED) & ~Q(skip_reason__in=list(SKIPS_WITHOUT_REPORT))) | Q(
    status=StopStatus.PENDING, route__status=RouteStatus.FINISHED
)
WITH_FUEL = Q(distance_km__isnull=False, fuel_litres__isnull=False)


def _first_day(organization_ids):
    days = [
        Route.objects.filter(organization_id__in=organization_ids)
        .order_by("date")
        .values_list("date")
        .first(),
        Trip.objects.filter(organization_id__in=organization_ids)
        .order_by("date")
        .values_list("date")
        .first(),
    ]
    days = [day[0] for day in days if day is not None]
    return min(days) if days else None


def _stops(window: Window, condition: Q | None = None):
    stops = RouteStop.objects.all() if condition is None else RouteStop.objects.filter(condition)
    return date_rows(stops, "route__date", window)


def _planned(window: Window):
    return _stops(window)


def _collected(window: Window):
    return _stops(window, Q(status=StopStatus.DONE))


def _missed(window: Window):
    return _stops(window, MISSED)


def _trip_km(window: Window):
    """Km driven (total) over the trips with a distance (count), by the trip's date."""
    return date_rows(Trip.objects.filter(distance_km__isnull=False), "date", window, total=Sum("distance_km"))


def _trip_m3(window: Window):
    """m³ unloaded (total) over the trips that unloaded (count), by the trip's date."""
    rows = (
        Trip.objects.filter(
            organization_id__in=window.organization_ids,
            date__gte=window.date_from,
            date__lte=window.date_to,
            loads__isnull=False,
        )
        .values("organization_id", "date")
        .annotate(t=Sum("loads__volume_m3"), n=Count("pk", distinct=True))
        .order_by()
    )
    for row in rows:
        yield row["organization_id"], row["date"], as_decimal(row["t"]), row["n"]


def _fuel_used(window: Window):
    return date_rows(Trip.objects.filter(WITH_FUEL), "date", window, total=Sum("fuel_litres"))


def _fuel_allowed(window: Window):
    """Litres the vehicles' norms allow for the km of the same trips: km × norm (l/100 km) ÷ 100."""
    allowed = ExpressionWrapper(
        F("distance_km") * F("vehicle__fuel_norm") / Decimal(100),
        output_field=DecimalField(max_digits=14, decimal_places=4),
    )
    return date_rows(Trip.objects.filter(WITH_FUEL), "date", window, total=Sum(allowed))


def _missed_records(organization_ids, date_from, date_to):
    return (
        RouteStop.objects.filter(
            organization_id__in=list(organization_ids),
            route__date__gte=date_from,
            route__date__lte=date_to,
        )
        .filter(MISSED)
        .select_related("route", "route__vehicle", "point", "point__settlement", "organization")
        .order_by("route__date", "route__vehicle__plate", "sequence")
    )


STOP_COLUMNS = (
    (_("Date"), "route.date"),
    (_("Organization"), "organization.name"),
    (_("Vehicle"), "route.vehicle.plate"),
    (_("Collection point"), "point.code"),
    (_("Settlement"), "point.settlement.name"),
    (_("Status"), "get_status_display"),
    (_("Reason"), "get_skip_reason_display"),
)

register_source(Source(SOURCE, _("Routes and trip log"), _first_day))
register_measure(Measure("fieldwork.stops_planned", SOURCE, _("Points planned on routes"), _planned))
register_measure(Measure("fieldwork.stops_collected", SOURCE, _("Points collected"), _collected))
register_measure(Measure("fieldwork.stops_missed", SOURCE, _("Points left uncollected"), _missed))
register_measure(Measure("fieldwork.trip_km", SOURCE, _("Km driven per trip"), _trip_km, unit=KM))
register_measure(Measure("fieldwork.trip_m3", SOURCE, _("m³ unloaded per trip"), _trip_m3, unit=M3))
register_measure(Measure("fieldwork.fuel_used", SOURCE, _("Fuel used, litres"), _fuel_used))
register_measure(
    Measure("fieldwork.fuel_allowed", SOURCE, _("Fuel allowed by the norms, litres"), _fuel_allowed)
)

register_kpi(
    Kpi(
        "fieldwork.points_planned",
        FIELDWORK,
        _("Points planned"),
        _("stops on the routes of the period"),
        "count",
        CountOf("fieldwork.stops_planned"),
        better="",
    )
)
register_kpi(
    Kpi(
        "fieldwork.points_collected",
        FIELDWORK,
        _("Points collected"),
        _("collected stops ÷ planned stops × 100, over the routes of the period"),
        "percent",
        Percent("fieldwork.stops_collected", "fieldwork.stops_planned"),
        public=True,
    )
)
register_kpi(
    Kpi(
        "fieldwork.missed_pickups",
        FIELDWORK,
        _("Missed pickups"),
        _(
            "stops skipped with waste left behind (any reason but “nothing to collect”) or not marked when the "
            "route finished, over the routes of the period"
        ),
        "count",
        CountOf("fieldwork.stops_missed"),
        better="lower",
        records=Records(_missed_records, STOP_COLUMNS),
    )
)
register_kpi(
    Kpi(
        "fieldwork.missed_pickups_reported",
        FIELDWORK,
        _("Missed pickups reported by citizens"),
        _("reports of the missed-pickup type filed by citizens (not by the crews) in the period"),
        "count",
        CountOf("reports.missed_pickup_reports"),
        better="lower",
    )
)
register_kpi(
    Kpi(
        "fieldwork.km_per_trip",
        FIELDWORK,
        _("Km per trip"),
        _("km driven ÷ trips with a distance in the trip log"),
        KM,
        Mean("fieldwork.trip_km"),
        better="",
    )
)
register_kpi(
    Kpi(
        "fieldwork.m3_per_trip",
        FIELDWORK,
        _("m³ per trip"),
        _("m³ unloaded at landfills ÷ trips that unloaded"),
        M3,
        Mean("fieldwork.trip_m3"),
    )
)
register_kpi(
    Kpi(
        "fieldwork.fuel_against_norm",
        FIELDWORK,
        _("Fuel against norm"),
        _(
            "litres used ÷ litres allowed (km × the vehicle's norm per 100 km ÷ 100) × 100, over trips with both"
        ),
        "percent",
        Percent("fieldwork.fuel_used", "fieldwork.fuel_allowed", use_total=True),
        better="lower",
    )
)
