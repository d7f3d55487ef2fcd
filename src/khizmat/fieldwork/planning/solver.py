"""Plan a day's collection routes with PyVRP (iterated local search, state of the art for capacitated routing).

The problem becomes one PyVRP model: the depot where the trucks start, the landfills as reload depots (unloading is
their service time), each stop a client whose pickup is its demand, identical trucks as one vehicle type, one
routing profile per truck speed. When trucks must unload before driving home, routes end at a copy of the depot
reached through the nearest landfill (by distance), so the final unload is part of every edge into it. The plan
minimises kilometres (plus each truck's fixed cost); shifts and time windows are hard constraints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .checker import check_plan, clock, walk_route
from .errors import PlanningError
from .problem import Matrix, Plan, PlannedRoute, PlanningProblem, Vehicle

if TYPE_CHECKING:
    import numpy as np  # imported where used: a web worker that plans nothing does not hold numpy

Progress = Callable[[float, int | None], None]
PROGRESS_INTERVAL_S = 0.25
INFEASIBLE_COST = 1 << 62  # PyVRP reports the cost of an infeasible best solution as a huge number


def solve(
    problem: PlanningProblem,
    *,
    max_seconds: float,
    seed: int = 1,
    progress: Progress | None = None,
    matrix: Matrix | None = None,
    max_iterations: int | None = None,
) -> Plan:
    """Search for the shortest feasible routes for ``max_seconds`` (wall time, model building included).

    ``progress(fraction_done, best_cost)`` is called a few times per second (``best_cost`` is ``None`` while no
    feasible plan is known) and once at the end with 1.0. ``matrix`` saves asking the distance provider again.
    Raises ``PlanningError`` for inputs no plan can satisfy; returns a plan with ``feasible=False`` when the search
    found none in the time given (e.g. too few trucks for the shifts and windows). With ``max_iterations`` the search
    also stops after that many iterations: the same seed then gives the same plan on any machine.
    """
    import pyvrp

    started = time.perf_counter()
    matrix = matrix or problem.matrix()
    validate(problem, matrix)
    if not problem.stops:
        return Plan([], 0, 0, time.perf_counter() - started, 0, True)
    model = _Model(problem, matrix)
    budget = _Budget(started, max_seconds, progress, max_iterations)
    result = pyvrp.solve(model.data, budget, seed=seed, collect_stats=False, display=False)
    plan = model.plan(result.best, result.num_iterations, time.perf_counter() - started)
    if progress is not None:
        progress(1.0, plan.distance_m if plan.feasible else None)
    return plan


def route_cost(
    problem: PlanningProblem,
    vehicle_key: str,
    trips: Sequence[Sequence[str]],
    *,
    unloads: Sequence[str] | None = None,
    matrix: Matrix | None = None,
) -> PlannedRoute:
    """Kilometres, time and loads of a route a dispatcher drew by hand, with the same distances as the planner.

    Without ``unloads`` each trip is unloaded at the landfill that adds the least distance (and, when trucks unload
    before driving home, the last one too). The rules it breaks are not checked here: ``checker.walk_route``.
    """
    matrix = matrix or problem.matrix()
    vehicle = next((vehicle for vehicle in problem.vehicles if vehicle.key == vehicle_key), None)
    if vehicle is None:
        raise PlanningError(
            _("There is no vehicle %(vehicle)s."), code="unknown_vehicle", params={"vehicle": vehicle_key}
        )
    stops = {stop.key for stop in problem.stops}
    for key in (key for trip in trips for key in trip):
        if key not in stops:
            raise PlanningError(_("There is no stop %(stop)s."), code="unknown_stop", params={"stop": key})
    trips = [list(trip) for trip in trips]
    if unloads is None:
        unloads = _nearest_unloads(problem, matrix, trips)
    walk = walk_route(problem, matrix, vehicle, trips, unloads)
    return PlannedRoute(vehicle.key, trips, list(unloads), walk.loads, walk.distance_m, walk.duration_s)


def validate(problem: PlanningProblem, matrix: Matrix) -> None:
    """Refuse, with a reason the dispatcher can act on, what no plan can satisfy."""
    if not problem.vehicles:
        raise PlanningError(_("There are no vehicles to plan with."), code="no_vehicles")
    keys = [vehicle.key for vehicle in problem.vehicles]
    if len(set(keys)) != len(keys):
        raise PlanningError(_("Two vehicles have the same name."), code="duplicate_vehicle")
    for vehicle in problem.vehicles:
        if (
            vehicle.capacity <= 0
            or (vehicle.shift_seconds is not None and vehicle.shift_seconds <= 0)
            or (vehicle.speed_kmh is not None and vehicle.speed_kmh <= 0)
        ):
            raise PlanningError(
                _("Vehicle %(vehicle)s needs a positive capacity, shift length and speed."),
                code="invalid_vehicle",
                params={"vehicle": vehicle.key},
            )
    if problem.unload_seconds < 0:
        raise PlanningError(_("The unloading time cannot be negative."), code="invalid_unload")
    largest = max(vehicle.capacity for vehicle in problem.vehicles)
    for stop in problem.stops:
        if stop.demand < 0 or stop.service_seconds < 0:
            raise PlanningError(
                _("Stop %(stop)s has a negative amount or service time."),
                code="invalid_stop",
                params={"stop": stop.key},
            )
        if stop.window is not None and not 0 <= stop.window[0] <= stop.window[1]:
            raise PlanningError(
                _("The time window of stop %(stop)s ends before it starts."),
                code="invalid_window",
                params={"stop": stop.key},
            )
        if stop.demand > largest:
            raise PlanningError(
                _(
                    "Stop %(stop)s has %(demand)s to collect, more than the largest vehicle holds (%(capacity)s)."
                ),
                code="stop_too_large",
                params={"stop": stop.key, "demand": stop.demand, "capacity": largest},
            )
    if not problem.landfills:
        total = sum(stop.demand for stop in problem.stops)
        fleet = sum(vehicle.capacity for vehicle in problem.vehicles)
        if total > fleet:
            raise PlanningError(
                _(
                    "The stops have %(demand)s to collect but the vehicles hold %(capacity)s together and there is "
                    "no landfill to unload at."
                ),
                code="fleet_too_small",
                params={"demand": total, "capacity": fleet},
            )
    _check_reachable(problem, matrix)


def _check_reachable(problem: PlanningProblem, matrix: Matrix) -> None:
    """Each stop must be servable by some truck alone: reached within its window, and the truck back in time."""
    home = _home_legs(problem, matrix)
    for number, stop in enumerate(problem.stops, start=1):
        in_window = False
        for vehicle in problem.vehicles:
            begin = vehicle.travel_seconds(matrix.distance[0][number], matrix.duration[0][number])
            if stop.window is not None:
                if begin > stop.window[1]:
                    continue
                begin = max(begin, stop.window[0])
            in_window = True
            back = begin + stop.service_seconds + _leg_home(problem, matrix, vehicle, number, home)
            if vehicle.shift_seconds is None or back <= vehicle.shift_seconds:
                break
        else:
            if not in_window:
                raise PlanningError(
                    _("No vehicle can reach stop %(stop)s before its time window closes at %(closes)s."),
                    code="window_unreachable",
                    params={"stop": stop.key, "closes": clock(stop.window[1])},
                )
            raise PlanningError(
                _("No vehicle can serve stop %(stop)s and be back at the depot within its shift."),
                code="beyond_shift",
                params={"stop": stop.key},
            )


def _home_legs(problem: PlanningProblem, matrix: Matrix) -> list[int | None]:
    """For each place, the landfill (matrix index) on the shortest way home when trucks unload before returning."""
    if not problem.final_unload:
        return [None] * len(matrix.keys)
    first = len(problem.stops) + 1
    landfills = range(first, first + len(problem.landfills))
    distance = matrix.distance
    return [
        None if place in landfills else min(landfills, key=lambda k, i=place: distance[i][k] + distance[k][0])
        for place in range(len(matrix.keys))
    ]


def _leg_home(
    problem: PlanningProblem, matrix: Matrix, vehicle: Vehicle, place: int, home: list[int | None]
) -> int:
    """Seconds from ``place`` back to the depot, through the landfill of ``home`` if it names one."""
    landfill = home[place]
    if landfill is None:
        return vehicle.travel_seconds(matrix.distance[place][0], matrix.duration[place][0])
    return (
        vehicle.travel_seconds(matrix.distance[place][landfill], matrix.duration[place][landfill])
        + problem.unload_seconds
        + vehicle.travel_seconds(matrix.distance[landfill][0], matrix.duration[landfill][0])
    )


def _nearest_unloads(problem: PlanningProblem, matrix: Matrix, trips: list[list[str]]) -> list[str]:
    """The cheapest landfill after each trip of a manual route (none without landfills)."""
    if not problem.landfills:
        return []
    first = len(problem.stops) + 1
    landfills = range(first, first + len(problem.landfills))
    distance, index = matrix.distance, matrix.index
    unloads = []
    position = 0
    for number, trip in enumerate(trips):
        if trip:
            position = index[trip[-1]]
        if number + 1 < len(trips):
            following = index[trips[number + 1][0]] if trips[number + 1] else 0
        elif problem.unload_before_return:
            following = 0
        else:
            break
        best = min(landfills, key=lambda k, a=position, b=following: distance[a][k] + distance[k][b])
        unloads.append(matrix.keys[best])
        position = best
    return unloads


class _Budget:
    """PyVRP's stopping criterion (called before each iteration with the best cost): stop when the wall-time
    budget or the iterations are spent; report progress on the way."""

    def __init__(
        self, started: float, max_seconds: float, progress: Progress | None, max_iterations: int | None = None
    ):
        self.started = started
        self.max_seconds = max(0.0, max_seconds)
        self.progress = progress
        self.reported = -PROGRESS_INTERVAL_S
        self.iterations_left = max_iterations

    def __call__(self, best_cost: int) -> bool:
        if self.iterations_left is not None:
            if self.iterations_left <= 0:
                return True
            self.iterations_left -= 1
        elapsed = time.perf_counter() - self.started
        if self.progress is not None and elapsed - self.reported >= PROGRESS_INTERVAL_S:
            self.reported = elapsed
            fraction = min(1.0, elapsed / self.max_seconds) if self.max_seconds else 1.0
            self.progress(fraction, None if best_cost >= INFEASIBLE_COST else int(best_cost))
        return elapsed >= self.max_seconds


@dataclass
class _Fleet:
    """Identical trucks, one PyVRP vehicle type."""

    vehicles: list[Vehicle]
    profile: int


class _Model:
    """The PyVRP data of one problem, and the way back from a PyVRP solution to stop and vehicle keys."""

    def __init__(self, problem: PlanningProblem, matrix: Matrix):
        import numpy as np
        from pyvrp import Model

        self.problem, self.matrix = problem, matrix
        stops, landfills = problem.stops, problem.landfills
        size = len(matrix.keys)
        self.first_landfill = len(stops) + 1
        self.home = _home_legs(problem, matrix)

        model = Model()
        locations = [
            model.add_location(x=place.lon, y=place.lat, name=place.key) for place in problem.places()
        ]
        depot = model.add_depot(locations[0], name=problem.depot.key)
        reloads = [
            model.add_depot(
                locations[self.first_landfill + k], service_duration=problem.unload_seconds, name=landfill.key
            )
            for k, landfill in enumerate(landfills)
        ]
        end = depot
        if problem.final_unload:
            # The same garage, reached through a landfill: see the module docstring.
            at_home = model.add_location(
                x=problem.depot.lon, y=problem.depot.lat, name=f"{problem.depot.key}/end"
            )
            end = model.add_depot(at_home, name=f"{problem.depot.key}/end")
        self.end_depot = len(landfills) + 1 if problem.final_unload else 0

        for number, stop in enumerate(stops, start=1):
            window = {"tw_early": stop.window[0], "tw_late": stop.window[1]} if stop.window else {}
            model.add_client(
                locations[number],
                pickup=stop.demand,
                service_duration=stop.service_seconds,
                name=stop.key,
                **window,
            )

        speeds = list(dict.fromkeys(vehicle.speed_kmh for vehicle in problem.vehicles))
        profiles = [
            model.add_profile(name="matrix" if speed is None else f"{speed:g} km/h") for speed in speeds
        ]
        fleets: dict[tuple, _Fleet] = {}
        for vehicle in problem.vehicles:
            kind = (vehicle.capacity, vehicle.shift_seconds, vehicle.speed_kmh, vehicle.fixed_cost)
            fleets.setdefault(kind, _Fleet([], speeds.index(vehicle.speed_kmh))).vehicles.append(vehicle)
        self.fleets = list(fleets.values())
        for fleet in self.fleets:
            vehicle = fleet.vehicles[0]
            shift = {}
            if vehicle.shift_seconds is not None:
                shift = {"tw_late": vehicle.shift_seconds, "shift_duration": vehicle.shift_seconds}
            model.add_vehicle_type(
                num_available=len(fleet.vehicles),
                capacity=vehicle.capacity,
                start_depot=depot,
                end_depot=end,
                fixed_cost=vehicle.fixed_cost,
                profile=profiles[fleet.profile],
                reload_depots=reloads,
                name=",".join(v.key for v in fleet.vehicles),
                **shift,
            )

        # One truck per speed stands for its profile: travel times depend on nothing else.
        drivers = [next(v for v in problem.vehicles if v.speed_kmh == speed) for speed in speeds]
        distance = np.array(matrix.distance, dtype=np.int64)
        durations = [self._durations(driver, size) for driver in drivers]
        if problem.final_unload:
            distance = self._with_end(distance, None)
            durations = [
                self._with_end(duration, driver) for driver, duration in zip(drivers, durations, strict=True)
            ]
        base = model.data()
        self.data = base.replace(distance_matrices=[distance] * len(speeds), duration_matrices=durations)

    def _durations(self, vehicle: Vehicle, size: int) -> np.ndarray:
        import numpy as np

        distance, duration = self.matrix.distance, self.matrix.duration
        return np.array(
            [
                [vehicle.travel_seconds(distance[i][j], duration[i][j]) for j in range(size)]
                for i in range(size)
            ],
            dtype=np.int64,
        )

    def _with_end(self, values: np.ndarray, vehicle: Vehicle | None) -> np.ndarray:
        """Add the end depot: from a stop, through its landfill home (unloading included in time); from a landfill,
        straight home; nobody leaves it."""
        import numpy as np

        size = len(values)
        extended = np.zeros((size + 1, size + 1), dtype=np.int64)
        extended[:size, :size] = values
        extended[size, :size] = values[0]
        for place in range(size):
            landfill = self.home[place]
            if landfill is None:
                extended[place, size] = values[place, 0]
            elif vehicle is None:
                extended[place, size] = values[place, landfill] + values[landfill, 0]
            else:
                extended[place, size] = (
                    values[place, landfill] + self.problem.unload_seconds + values[landfill, 0]
                )
        return extended

    def plan(self, solution, iterations: int, seconds: float) -> Plan:
        stops, landfills = self.problem.stops, self.problem.landfills
        waiting = [iter(fleet.vehicles) for fleet in self.fleets]
        routes = []
        for route in solution.routes():
            vehicle = next(waiting[route.vehicle_type()])
            trips: list[list[str]] = [[]]
            loads = [0]
            unloads: list[str] = []
            last_place = 0
            for activity in route.schedule()[1:]:
                if activity.is_client():
                    stop = stops[activity.idx]
                    trips[-1].append(stop.key)
                    loads[-1] += stop.demand
                    last_place = activity.idx + 1
                elif 1 <= activity.idx <= len(landfills):  # a reload at a landfill
                    unloads.append(landfills[activity.idx - 1].key)
                    trips.append([])
                    loads.append(0)
                    last_place = self.first_landfill + activity.idx - 1
                elif trips[-1]:  # home, after the last stop
                    if activity.idx == self.end_depot and self.problem.final_unload:
                        unloads.append(self.matrix.keys[self.home[last_place]])
                elif len(trips) > 1:  # home, straight from a landfill
                    trips.pop()
                    loads.pop()
            routes.append(
                PlannedRoute(
                    vehicle.key,
                    trips,
                    unloads,
                    loads,
                    int(route.distance()),
                    int(route.duration()),
                    int(route.start_time()),
                )
            )
        return Plan(
            routes,
            sum(route.distance_m for route in routes),
            sum(route.duration_s for route in routes),
            seconds,
            iterations,
            bool(solution.is_feasible()),
        )


@dataclass(frozen=True)
class CheckedPlan:
    """A plan with the independent checker's findings (empty: feasible)."""

    plan: Plan
    violations: list[str]

    @property
    def feasible(self) -> bool:
        return self.plan.feasible and not self.violations


def plan_and_check(
    problem: PlanningProblem,
    *,
    max_seconds: float,
    seed: int = 1,
    progress: Progress | None = None,
    matrix: Matrix | None = None,
    max_iterations: int | None = None,
) -> CheckedPlan:
    """What the dispatcher's "optimize" runs (and the benchmark with it): search, then check independently."""
    matrix = matrix or problem.matrix()
    plan = solve(
        problem,
        max_seconds=max_seconds,
        seed=seed,
        progress=progress,
        matrix=matrix,
        max_iterations=max_iterations,
    )
    return CheckedPlan(plan, check_plan(problem, plan, matrix))
