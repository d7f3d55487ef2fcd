"""A day's collection routes as plain data: the places, the trucks, and the plan that comes back.

Times are whole seconds from the start of the shift, distances whole metres, amounts whole litres or kilograms
(one unit for the whole problem). Nothing here knows about Django models or about the solver.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .errors import PlanningError

if TYPE_CHECKING:
    from .distances import DistanceProvider


@dataclass(frozen=True)
class Location:
    """A fixed place: the truck depot (garage) or a landfill where trucks unload."""

    key: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Stop:
    """A collection point to serve once: ``demand`` is what the truck picks up there, ``window`` (if any) the
    earliest and latest start of service, in seconds from the start of the shift."""

    key: str
    lat: float
    lon: float
    demand: int = 0
    service_seconds: int = 0
    window: tuple[int, int] | None = None


@dataclass(frozen=True)
class Vehicle:
    """A truck: what it carries per load, how long its shift is (``None``: no limit), its average speed.

    ``speed_kmh`` set: travel times are distance ÷ speed (a garbage truck is slower than the routing profile);
    ``None``: the travel times of the distance provider. ``fixed_cost`` is counted once if the truck goes out, in
    metres of driving (the plan minimises distance).
    """

    key: str
    capacity: int
    shift_seconds: int | None = None
    speed_kmh: float | None = None
    fixed_cost: int = 0

    def travel_seconds(self, distance_m: int, matrix_seconds: int) -> int:
        """Seconds this truck needs for one leg (the rule the solver, the checker and manual routes share)."""
        if self.speed_kmh is None:
            return int(matrix_seconds)
        return round(distance_m * 3.6 / self.speed_kmh)


@dataclass(frozen=True)
class Matrix:
    """Road distances (m) and travel times (s) between the problem's places, in ``PlanningProblem.places()``
    order: the depot, then the stops, then the landfills."""

    keys: tuple[str, ...]
    distance: list[list[int]]
    duration: list[list[int]]
    index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "index", {key: i for i, key in enumerate(self.keys)})


@dataclass(frozen=True)
class PlanningProblem:
    """One day of one organization's collection: every stop must be visited once by one of the vehicles.

    ``landfills`` are reload places: a full truck drives to one, unloads (``unload_seconds``) and goes on. With
    ``unload_before_return`` (the default) a truck also unloads at a landfill before driving back to the depot.
    No landfills: each truck makes one trip, as in the classic capacitated vehicle routing problem.
    ``distances`` defaults to the provider named by ``FIELDWORK_DISTANCE_PROVIDER``.
    """

    depot: Location
    stops: Sequence[Stop]
    vehicles: Sequence[Vehicle]
    landfills: Sequence[Location] = ()
    unload_seconds: int = 0
    unload_before_return: bool = True
    distances: DistanceProvider | None = None

    def __post_init__(self):
        object.__setattr__(self, "stops", tuple(self.stops))
        object.__setattr__(self, "vehicles", tuple(self.vehicles))
        object.__setattr__(self, "landfills", tuple(self.landfills))
        if self.distances is None:
            from .distances import provider_from_settings

            object.__setattr__(self, "distances", provider_from_settings())

    @property
    def final_unload(self) -> bool:
        """Whether every route ends with unloading at a landfill before the depot."""
        return bool(self.landfills) and self.unload_before_return

    def places(self) -> list[Location | Stop]:
        """The depot, the stops, the landfills: the order of the matrix."""
        return [self.depot, *self.stops, *self.landfills]

    def matrix(self) -> Matrix:
        """Ask the distance provider once for the whole matrix and check its shape."""
        places = self.places()
        keys = tuple(place.key for place in places)
        duplicates = [key for key, count in Counter(keys).items() if count > 1]
        if duplicates:
            raise PlanningError(
                _("Two places share the key %(key)s."), code="duplicate_key", params={"key": duplicates[0]}
            )
        distance, duration = self.distances.matrix(places)
        size = len(places)
        for name, rows in (("distance", distance), ("duration", duration)):
            if len(rows) != size or any(len(row) != size for row in rows):
                raise ValueError(f"The {name} matrix is not {size} × {size}.")
        return Matrix(
            keys,
            [[int(value) for value in row] for row in distance],
            [[int(value) for value in row] for row in duration],
        )


@dataclass(frozen=True)
class PlannedRoute:
    """One truck's day: its trips (stop keys in order, one list per load), the landfill where each trip is unloaded
    (``unloads[k]`` after ``trips[k]``; one fewer than the trips when the truck drives home loaded), the load of each
    trip, when it leaves the depot (``start_s``), and its distance and duration (waiting included)."""

    vehicle_key: str
    trips: list[list[str]]
    unloads: list[str]
    loads: list[int]
    distance_m: int
    duration_s: int
    start_s: int = 0


@dataclass(frozen=True)
class Plan:
    """The answer for the day: the routes of the trucks that go out, the totals, and how the search went.

    ``feasible`` is the solver's own verdict; ``checker.check_plan`` verifies the plan independently.
    """

    routes: list[PlannedRoute]
    distance_m: int
    duration_s: int
    solver_seconds: float
    iterations: int
    feasible: bool
