"""Between the database and the route planner: a day's points, trucks, depot and landfills as a
:class:`~khizmat.fieldwork.planning.PlanningProblem`, and routes (drawn or planned) back as trips of point ids.

Keys in the problem: ``p<id>`` for collection points, ``v<id>`` for vehicles, ``f<id>`` for landfills, ``depot``.
Amounts are litres (m³ × 1000), so the solver works in whole numbers.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from itertools import groupby

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from khizmat.core.errors import DomainError
from khizmat.fieldwork.choices import FacilityKind, PlanScope, VehicleKind
from khizmat.fieldwork.models import CollectionPoint, Facility, PickupDay, Route, RouteStop, Vehicle
from khizmat.fieldwork.planning import Location, PlanningProblem, Stop
from khizmat.fieldwork.planning import Vehicle as PlanningVehicle
from khizmat.inventory.choices import EquipmentStatus

# The kinds that collect waste (a water tanker or a loader is not sent on a collection route).
COLLECTING_KINDS = (VehicleKind.COMPACTOR, VehicleKind.TIPPER, VehicleKind.TRACTOR)


def litres(m3) -> int:
    return int(round(float(m3) * 1000))


def collecting_vehicles(*, organization) -> list[Vehicle]:
    return list(
        Vehicle.objects.filter(
            organization=organization, equipment__status=EquipmentStatus.IN_USE, kind__in=COLLECTING_KINDS
        ).order_by("-capacity_m3", "plate")
    )


def points_for_day(*, organization, date: datetime.date, scope: str) -> list[CollectionPoint]:
    """The active points to serve on ``date``: all of them (a clean-up day), or those whose street (or whole
    settlement) has a pickup day on that weekday."""
    points = CollectionPoint.objects.filter(organization=organization, is_active=True)
    if scope != PlanScope.ALL:
        days = PickupDay.objects.filter(organization=organization, weekday=date.weekday())
        streets = Q(pk__in=[])
        for settlement_id, street in days.values_list("settlement_id", "street").distinct():
            streets |= (
                Q(settlement_id=settlement_id)
                if not street
                else Q(settlement_id=settlement_id, street=street)
            )
        points = points.filter(streets)
    return list(points.order_by("settlement__name", "street", "code"))


def _seconds(moment: datetime.time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def window(point: CollectionPoint, shift_start: datetime.time, shift_minutes: int) -> tuple[int, int] | None:
    """A point's serving hours as seconds from the start of the shift (``None``: any time); refuses hours that fall
    outside the shift."""
    if point.open_from is None and point.open_until is None:
        return None
    start = _seconds(shift_start)
    earliest = max(0, _seconds(point.open_from) - start) if point.open_from else 0
    latest = _seconds(point.open_until) - start if point.open_until else shift_minutes * 60
    if latest < earliest or earliest > shift_minutes * 60:
        raise DomainError(
            _("Point %(point)s is served from %(start)s to %(end)s, outside the shift.")
            % {
                "point": point.code,
                "start": point.open_from.strftime("%H:%M") if point.open_from else "—",
                "end": point.open_until.strftime("%H:%M") if point.open_until else "—",
            },
            code="window_outside_shift",
        )
    return earliest, latest


def build_problem(
    *,
    organization,
    points: Sequence[CollectionPoint],
    vehicles: Sequence[Vehicle],
    shift_minutes: int,
    shift_start: datetime.time = datetime.time(7, 0),
) -> PlanningProblem:
    """The planning problem of a day; refuses (DomainError) when the depot or a landfill is missing, or a point's
    serving hours fall outside the shift."""
    facilities = list(Facility.objects.filter(organization=organization, is_active=True).order_by("pk"))
    depot = next((f for f in facilities if f.kind == FacilityKind.DEPOT), None)
    landfills = [f for f in facilities if f.kind in (FacilityKind.LANDFILL, FacilityKind.TRANSFER)]
    if depot is None:
        raise DomainError(_("Record the depot (the yard the trucks start from) first."), code="no_depot")
    if not landfills:
        raise DomainError(_("Record at least one landfill where the trucks unload."), code="no_landfill")
    return PlanningProblem(
        depot=Location("depot", float(depot.latitude), float(depot.longitude)),
        stops=[
            Stop(
                f"p{p.pk}",
                float(p.latitude),
                float(p.longitude),
                demand=litres(p.expected_m3),
                service_seconds=p.service_minutes * 60,
                window=window(p, shift_start, shift_minutes),
            )
            for p in points
        ],
        vehicles=[
            PlanningVehicle(
                f"v{v.pk}",
                capacity=litres(v.capacity_m3),
                shift_seconds=shift_minutes * 60,
                speed_kmh=settings.FIELDWORK_TRUCK_SPEED_KMH,
            )
            for v in vehicles
        ],
        landfills=[Location(f"f{f.pk}", float(f.latitude), float(f.longitude)) for f in landfills],
        unload_seconds=max((f.unload_minutes for f in landfills), default=0) * 60,
    )


def key_id(key: str) -> int:
    return int(key[1:])


def route_trips(route: Route) -> list[list[int]]:
    """A stored route's point ids, one list per load, in order."""
    stops = RouteStop.objects.filter(organization=route.organization_id, route=route).order_by("sequence")
    return [
        [stop.point_id for stop in group]
        for _number, group in groupby(stops.only("point_id", "trip_number"), key=lambda s: s.trip_number)
    ]


def manual_trips(
    points: Sequence[CollectionPoint], vehicles: Sequence[Vehicle]
) -> dict[int, list[list[int]]]:
    """Routes as a dispatcher draws them by hand: the points by settlement and street, shared among the trucks in
    proportion to what they carry, each truck going street by street and unloading when full.

    The demo's manual routes come from here; they are what the optimizer is compared with.
    """
    ordered = sorted(points, key=lambda p: (p.settlement_id, p.street, p.code))
    total_capacity = sum(float(v.capacity_m3) for v in vehicles) or 1.0
    routes: dict[int, list[list[int]]] = {}
    start = 0
    for index, vehicle in enumerate(vehicles):
        share = float(vehicle.capacity_m3) / total_capacity
        end = len(ordered) if index == len(vehicles) - 1 else start + round(share * len(ordered))
        trips: list[list[int]] = [[]]
        load = 0
        capacity = litres(vehicle.capacity_m3)
        for point in ordered[start:end]:
            demand = litres(point.expected_m3)
            if trips[-1] and load + demand > capacity:
                trips.append([])
                load = 0
            trips[-1].append(point.pk)
            load += demand
        if trips[-1]:
            routes[vehicle.pk] = trips
        start = end
    return routes


def keys(trips: Iterable[Iterable[int]]) -> list[list[str]]:
    return [[f"p{pk}" for pk in trip] for trip in trips]
