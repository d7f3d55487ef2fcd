"""Acceptance of the route optimizer on the demo: all 300 Toktogul points in one day with its four collecting
trucks. The plan the dispatcher's button produces is feasible by the independent checker (every point once, loads
within capacity, back within the shift), shorter than the demo's manual routes of that day, and found in under 30 s."""

import datetime
import time

import pytest

from khizmat.fieldwork import dayplan, services
from khizmat.fieldwork.choices import PlanScope, PlanStatus, RouteSource
from khizmat.fieldwork.models import Route
from khizmat.fieldwork.planning import Plan, PlannedRoute, check_plan
from khizmat.tenancy.models import Organization, User

pytestmark = pytest.mark.django_db


def stored_plan(plan) -> Plan:
    """The plan as stored for the dispatcher, rebuilt for the checker (nothing of the solver's own verdict)."""
    routes = [
        PlannedRoute(
            vehicle_key=f"v{item['vehicle']}",
            trips=[[f"p{pk}" for pk in trip] for trip in item["trips"]],
            unloads=[f"f{pk}" for pk in item["unloads"]],
            loads=item["loads_l"],
            distance_m=item["distance_m"],
            duration_s=item["duration_s"],
            start_s=item["start_s"],
        )
        for item in plan.result["routes"]
    ]
    return Plan(routes, plan.planned_distance_m, plan.planned_duration_s, plan.solver_seconds, 0, True)


def test_the_demo_day_plan_is_feasible_shorter_than_manual_and_fast(
    demo_data, django_capture_on_commit_callbacks, settings
):
    settings.FIELDWORK_PLAN_MAX_ITERATIONS = None  # as in production: the search runs for the time asked
    organization = Organization.objects.get(code="ynguuluu-shart")
    dispatcher = User.objects.get(username="ynguuluu-shart.dispatcher")
    day = datetime.date.today() + datetime.timedelta(days=30)  # clear of the demo's own routes
    vehicles = dayplan.collecting_vehicles(organization=organization)
    points = dayplan.points_for_day(organization=organization, date=day, scope=PlanScope.ALL)
    assert len(vehicles) == 4 and len(points) == 300

    services.routes_draw_by_street(actor=dispatcher, organization=organization, date=day, scope=PlanScope.ALL)
    assert Route.objects.filter(organization=organization, date=day, source=RouteSource.MANUAL).count() == 4

    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_request(
            actor=dispatcher, organization=organization, date=day, scope=PlanScope.ALL, max_seconds=20
        )
    elapsed = time.perf_counter() - started
    plan.refresh_from_db()

    assert plan.status == PlanStatus.DONE
    problem = dayplan.build_problem(
        organization=organization, points=points, vehicles=vehicles, shift_minutes=plan.shift_minutes
    )
    assert check_plan(problem, stored_plan(plan), problem.matrix()) == []
    assert plan.planned_distance_m < plan.manual_distance_m
    assert elapsed < 30
