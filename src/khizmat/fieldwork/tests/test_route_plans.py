"""A dispatcher's "optimize": the plan is queued, searched in the background with progress, checked independently,
compared with the routes drawn by hand, and applied as the day's routes; what cannot be planned is refused."""

import datetime

import pytest

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.fieldwork import dayplan, services
from khizmat.fieldwork.choices import PlanScope, PlanStatus, RouteSource, RouteStatus
from khizmat.fieldwork.models import Facility, Route, RoutePlan, RouteStop
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def optimize(fleet, django_capture_on_commit_callbacks, **options):
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_request(
            actor=fleet.dispatcher,
            organization=fleet.organization,
            date=fleet.monday,
            max_seconds=options.pop("max_seconds", 2),
            **options,
        )
    plan.refresh_from_db()
    return plan


def test_the_plan_runs_in_the_background_and_visits_every_point_once(
    fleet, django_capture_on_commit_callbacks
):
    plan = optimize(fleet, django_capture_on_commit_callbacks)

    assert plan.status == PlanStatus.DONE and plan.progress == 100
    assert plan.feasible is True and plan.violations == []
    visited = [pk for route in plan.result["routes"] for trip in route["trips"] for pk in trip]
    assert sorted(visited) == sorted(p.pk for p in fleet.points)
    assert {route["vehicle"] for route in plan.result["routes"]} <= {v.pk for v in fleet.vehicles}
    assert plan.planned_distance_m > 0 and plan.point_count == 12
    assert plan.manual_distance_m is None  # nothing drawn by hand that day


def test_the_plan_is_compared_with_the_routes_drawn_by_hand(fleet, django_capture_on_commit_callbacks):
    drawn = services.routes_draw_by_street(
        actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday
    )
    assert drawn == 2

    plan = optimize(fleet, django_capture_on_commit_callbacks)

    assert plan.manual_distance_m > 0
    assert plan.planned_distance_m <= plan.manual_distance_m
    assert plan.saving_percent >= 0


def test_applying_replaces_the_days_routes_and_gives_them_to_the_drivers(
    fleet, django_capture_on_commit_callbacks
):
    services.routes_draw_by_street(actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday)
    plan = optimize(fleet, django_capture_on_commit_callbacks)

    routes = services.plan_apply(actor=fleet.dispatcher, plan=plan)

    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPLIED
    assert {r.source for r in routes} == {RouteSource.OPTIMIZED}
    # A truck the plan leaves in the yard loses its hand-drawn route: the day holds the plan's routes only.
    day = Route.objects.filter(organization=fleet.organization, date=fleet.monday)
    assert set(day.values_list("source", flat=True)) == {RouteSource.OPTIMIZED}
    assert day.count() == len(plan.result["routes"])
    stops = RouteStop.objects.filter(organization=fleet.organization, route__date=fleet.monday)
    assert sorted(stops.values_list("point_id", flat=True)) == sorted(p.pk for p in fleet.points)
    first = Route.objects.filter(vehicle=fleet.vehicles[0], date=fleet.monday).first()
    if first is not None:
        assert first.driver == fleet.driver
    with pytest.raises(DomainError) as refused:
        services.plan_apply(actor=fleet.dispatcher, plan=plan)
    assert refused.value.code == "plan_not_ready"


def test_a_started_route_is_not_replaced_and_nothing_changes(fleet, django_capture_on_commit_callbacks):
    services.routes_draw_by_street(actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday)
    started = Route.objects.get(vehicle=fleet.vehicles[0], date=fleet.monday)
    started.status = RouteStatus.STARTED
    started.save()
    before = sorted(RouteStop.objects.values_list("route_id", "point_id"))
    plan = optimize(fleet, django_capture_on_commit_callbacks)

    with pytest.raises(DomainError) as refused:
        services.plan_apply(actor=fleet.dispatcher, plan=plan)

    assert refused.value.code == "route_started"
    assert sorted(RouteStop.objects.values_list("route_id", "point_id")) == before
    assert RoutePlan.objects.get(pk=plan.pk).status == PlanStatus.DONE


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"vehicle_ids": []}, "no_vehicles"),
        ({"max_seconds": 0}, "bad_search_time"),
        ({"shift_minutes": 20}, "bad_shift"),
        ({"scope": "everything"}, "bad_scope"),
    ],
)
def test_bad_requests_are_refused(fleet, options, code):
    with pytest.raises(DomainError) as refused:
        services.plan_request(
            actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday, **options
        )
    assert refused.value.code == code
    assert not RoutePlan.objects.exists()


def test_a_water_tanker_or_a_day_without_points_is_refused(fleet):
    tanker = fleet.organization and fleet.vehicles[0].__class__.objects.get(plate="03 453 AKB")
    with pytest.raises(DomainError) as refused:
        services.plan_request(
            actor=fleet.dispatcher,
            organization=fleet.organization,
            date=fleet.monday,
            vehicle_ids=[tanker.pk],
        )
    assert refused.value.code == "bad_vehicle"
    tuesday = fleet.monday.replace(day=fleet.monday.day + 1)
    with pytest.raises(DomainError) as refused:
        services.plan_request(actor=fleet.dispatcher, organization=fleet.organization, date=tuesday)
    assert refused.value.code == "no_points"
    assert services.plan_request(
        actor=fleet.dispatcher,
        organization=fleet.organization,
        date=tuesday,
        scope=PlanScope.ALL,
        max_seconds=1,
    )


def test_only_dispatchers_plan(fleet, member):
    with pytest.raises(PermissionDenied):
        services.plan_request(
            actor=member(fleet.organization, Role.AUDITOR), organization=fleet.organization, date=fleet.monday
        )
    with pytest.raises(PermissionDenied):
        services.plan_request(actor=fleet.driver, organization=fleet.organization, date=fleet.monday)


def test_without_a_landfill_the_plan_fails_with_a_reason(fleet, django_capture_on_commit_callbacks):
    Facility.objects.filter(pk=fleet.landfill.pk).update(is_active=False)

    plan = optimize(fleet, django_capture_on_commit_callbacks)

    assert plan.status == PlanStatus.FAILED
    assert "landfill" in plan.error


def test_running_a_plan_twice_searches_once(fleet, django_capture_on_commit_callbacks):
    plan = optimize(fleet, django_capture_on_commit_callbacks)
    finished_at = plan.finished_at

    again = services.plan_execute(plan_id=plan.pk)

    assert again.finished_at == finished_at and again.status == PlanStatus.DONE


def test_a_shift_too_short_for_any_plan_fails_with_a_reason(fleet, django_capture_on_commit_callbacks):
    plan = optimize(fleet, django_capture_on_commit_callbacks, shift_minutes=60)

    assert plan.status == PlanStatus.FAILED
    assert plan.error


def test_an_infeasible_plan_cannot_be_applied(fleet, django_capture_on_commit_callbacks):
    plan = optimize(fleet, django_capture_on_commit_callbacks)
    RoutePlan.objects.filter(pk=plan.pk).update(feasible=False)  # as when the search ran out of time

    with pytest.raises(DomainError) as refused:
        services.plan_apply(actor=fleet.dispatcher, plan=plan)

    assert refused.value.code == "plan_infeasible"
    assert not Route.objects.filter(source=RouteSource.OPTIMIZED).exists()


def test_serving_hours_are_kept(fleet, django_capture_on_commit_callbacks):
    early = fleet.points[0]
    early.open_until = datetime.time(7, 40)  # before the bazaar opens
    early.save()

    plan = optimize(fleet, django_capture_on_commit_callbacks)

    assert plan.status == PlanStatus.DONE and plan.feasible and plan.violations == []
    problem = dayplan.build_problem(
        organization=fleet.organization, points=fleet.points, vehicles=fleet.vehicles, shift_minutes=540
    )
    assert problem.stops[0].window == (0, 40 * 60)


def test_serving_hours_outside_the_shift_fail_with_the_point(fleet, django_capture_on_commit_callbacks):
    late = fleet.points[3]
    late.open_from = datetime.time(20, 0)
    late.save()

    plan = optimize(fleet, django_capture_on_commit_callbacks)

    assert plan.status == PlanStatus.FAILED and late.code in plan.error
