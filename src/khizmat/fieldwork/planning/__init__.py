"""Route planning for municipal field work: plain data in, a checked plan out (no Django models here).

problem = PlanningProblem(depot, stops, vehicles, landfills, unload_seconds=900)
matrix = problem.matrix()
plan = solve(problem, max_seconds=30, matrix=matrix, progress=report)
violations = check_plan(problem, plan, matrix)
# or both at once, as the dispatcher's "optimize" and the benchmark do:
checked = plan_and_check(problem, max_seconds=30, matrix=matrix, progress=report)
"""

from .checker import check_plan, walk_route
from .distances import (
    DistanceProvider,
    ExplicitMatrix,
    OsrmTable,
    StraightLineWithCircuity,
    provider_from_settings,
)
from .errors import DistanceError, PlanningError
from .problem import Location, Matrix, Plan, PlannedRoute, PlanningProblem, Stop, Vehicle
from .solver import CheckedPlan, plan_and_check, route_cost, solve

__all__ = [
    "CheckedPlan",
    "DistanceError",
    "DistanceProvider",
    "ExplicitMatrix",
    "Location",
    "Matrix",
    "OsrmTable",
    "Plan",
    "PlannedRoute",
    "PlanningError",
    "PlanningProblem",
    "Stop",
    "StraightLineWithCircuity",
    "Vehicle",
    "check_plan",
    "plan_and_check",
    "provider_from_settings",
    "route_cost",
    "solve",
    "walk_route",
]
