"""An independent check of a day's plan, written without the solver: drive each route through the matrix and list
what breaks the rules (every stop once, loads within capacity, windows kept, back within the shift, the reported
kilometres and times right).

The answer is a list of plain-English findings for logs and developers (empty: the plan is feasible). The same
walk computes the kilometres and time of manual routes (``solver.route_cost``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .problem import Matrix, Plan, PlanningProblem, Vehicle


def clock(seconds: int) -> str:
    """Seconds from the start of the shift as h:mm (finding texts)."""
    sign = "-" if seconds < 0 else ""
    minutes = abs(seconds) // 60
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


@dataclass
class RouteWalk:
    """What driving one route through the matrix gives: distance, duration from departure to return (waiting
    included), the return time, the load of each trip, and the rules it breaks."""

    distance_m: int = 0
    duration_s: int = 0
    end_s: int = 0
    loads: list[int] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def walk_route(
    problem: PlanningProblem,
    matrix: Matrix,
    vehicle: Vehicle,
    trips: Sequence[Sequence[str]],
    unloads: Sequence[str],
    start_s: int = 0,
) -> RouteWalk:
    """Drive depot → trip 1 → unloads[0] → trip 2 → … → depot, waiting at a stop that is not open yet."""
    stops = {stop.key: stop for stop in problem.stops}
    landfills = {landfill.key for landfill in problem.landfills}
    walk = RouteWalk()
    found = walk.violations
    if start_s < 0:
        found.append(f"leaves the depot at {clock(start_s)}, before the shift starts")
    if not len(trips) - 1 <= len(unloads) <= len(trips):
        found.append(f"has {len(unloads)} landfill visits for {len(trips)} trips")
    if problem.final_unload and len(unloads) < len(trips) and trips and trips[-1]:
        found.append("drives back to the depot loaded instead of unloading at a landfill first")

    position, time = 0, start_s

    def drive(to: int) -> None:
        nonlocal position, time
        metres = matrix.distance[position][to]
        walk.distance_m += metres
        time += vehicle.travel_seconds(metres, matrix.duration[position][to])
        position = to

    for number, trip in enumerate(trips, start=1):
        load = 0
        for key in trip:
            stop = stops.get(key)
            if stop is None:
                found.append(f"trip {number} visits {key!r}, which is not a stop of this problem")
                continue
            drive(matrix.index[key])
            if stop.window is not None:
                opens, closes = stop.window
                time = max(time, opens)
                if time > closes:
                    found.append(
                        f"starts at stop {key} at {clock(time)}, after its window closes at {clock(closes)}"
                    )
            time += stop.service_seconds
            load += stop.demand
        walk.loads.append(load)
        if load > vehicle.capacity:
            found.append(f"trip {number} carries {load}, more than the capacity of {vehicle.capacity}")
        if number <= len(unloads):
            landfill = unloads[number - 1]
            if landfill not in landfills:
                found.append(
                    f"unloads trip {number} at {landfill!r}, which is not a landfill of this problem"
                )
                continue
            drive(matrix.index[landfill])
            time += problem.unload_seconds
    drive(0)
    walk.end_s = time
    walk.duration_s = time - start_s
    if vehicle.shift_seconds is not None and time > vehicle.shift_seconds:
        found.append(f"returns at {clock(time)}, after its shift ends at {clock(vehicle.shift_seconds)}")
    return walk


def check_plan(problem: PlanningProblem, plan: Plan, matrix: Matrix | None = None) -> list[str]:
    """Every rule the plan breaks, as sentences; an empty list means the plan is feasible and its figures right."""
    matrix = matrix or problem.matrix()
    vehicles = {vehicle.key: vehicle for vehicle in problem.vehicles}
    found: list[str] = []

    visits = Counter(key for route in plan.routes for trip in route.trips for key in trip)
    for stop in problem.stops:
        if visits[stop.key] == 0:
            found.append(f"stop {stop.key} is not visited")
        elif visits[stop.key] > 1:
            found.append(f"stop {stop.key} is visited {visits[stop.key]} times")

    used = Counter(route.vehicle_key for route in plan.routes)
    for key, count in used.items():
        if count > 1:
            found.append(f"vehicle {key} drives {count} routes")

    distance = duration = 0
    for route in plan.routes:
        vehicle = vehicles.get(route.vehicle_key)
        if vehicle is None:
            found.append(f"vehicle {route.vehicle_key!r} is not a vehicle of this problem")
            continue
        walk = walk_route(problem, matrix, vehicle, route.trips, route.unloads, route.start_s)
        found += [f"vehicle {vehicle.key} {text}" for text in walk.violations]
        if route.distance_m != walk.distance_m:
            found.append(
                f"vehicle {vehicle.key} reports {route.distance_m} m but its route is {walk.distance_m} m"
            )
        if route.duration_s != walk.duration_s:
            found.append(
                f"vehicle {vehicle.key} reports {route.duration_s} s but its route takes {walk.duration_s} s"
            )
        if list(route.loads) != walk.loads:
            found.append(f"vehicle {vehicle.key} reports loads {list(route.loads)} but carries {walk.loads}")
        distance += walk.distance_m
        duration += walk.duration_s
    if plan.distance_m != distance:
        found.append(f"the plan reports {plan.distance_m} m in total but its routes add up to {distance} m")
    if plan.duration_s != duration:
        found.append(f"the plan reports {plan.duration_s} s in total but its routes add up to {duration} s")
    return found
