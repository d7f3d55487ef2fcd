"""The independent plan checker on a small hand-made day: a good plan passes, each kind of broken plan is caught."""

from dataclasses import replace

import pytest

from khizmat.fieldwork.planning import (
    ExplicitMatrix,
    Location,
    Plan,
    PlannedRoute,
    PlanningProblem,
    Stop,
    Vehicle,
    check_plan,
)

# Places in matrix order: depot, stops a b c d, landfill L. Distances in metres, times in seconds (1 m/s).
DISTANCE = [
    [0, 100, 200, 300, 400, 500],
    [100, 0, 100, 200, 300, 400],
    [200, 100, 0, 100, 200, 300],
    [300, 200, 100, 0, 100, 200],
    [400, 300, 200, 100, 0, 100],
    [500, 400, 300, 200, 100, 0],
]


def problem(**changes) -> PlanningProblem:
    stops = [
        Stop("a", 0, 0, demand=4, service_seconds=10),
        Stop("b", 0, 0, demand=4, service_seconds=10, window=(0, 1000)),
        Stop("c", 0, 0, demand=4, service_seconds=10),
        Stop("d", 0, 0, demand=4, service_seconds=10),
    ]
    arguments = {
        "depot": Location("depot", 0, 0),
        "stops": stops,
        "vehicles": [
            Vehicle("T1", capacity=8, shift_seconds=3600),
            Vehicle("T2", capacity=8, shift_seconds=3600),
        ],
        "landfills": [Location("L", 0, 0)],
        "unload_seconds": 300,
        "distances": ExplicitMatrix(DISTANCE, DISTANCE),
    } | changes
    return PlanningProblem(**arguments)


def good_plan() -> Plan:
    # T1: depot → a → b → L → c → d → L → depot: 100+100+300 + 200+100+100 + 500 = 1400 m;
    # time 1400 s driving + 40 s service + 600 s unloading = 2040 s.
    route = PlannedRoute("T1", [["a", "b"], ["c", "d"]], ["L", "L"], [8, 8], 1400, 2040)
    return Plan([route], 1400, 2040, 0.0, 0, True)


def plan_with(**changes) -> Plan:
    plan = good_plan()
    route = replace(plan.routes[0], **changes)
    return replace(plan, routes=[route], distance_m=route.distance_m, duration_s=route.duration_s)


def test_a_good_plan_passes():
    assert check_plan(problem(), good_plan()) == []


def test_a_duplicated_stop_is_caught():
    plan = plan_with(trips=[["a", "b"], ["c", "d", "a"]], loads=[8, 12])
    assert any("stop a is visited 2 times" in text for text in check_plan(problem(), plan))


def test_a_missing_stop_is_caught():
    plan = plan_with(trips=[["a", "b"], ["c"]], loads=[8, 4])
    assert any("stop d is not visited" in text for text in check_plan(problem(), plan))


def test_an_overloaded_trip_is_caught():
    plan = plan_with(trips=[["a", "b", "c"], ["d"]], loads=[12, 4], distance_m=1400, duration_s=2040)
    found = check_plan(problem(), plan)
    assert any("trip 1 carries 12, more than the capacity of 8" in text for text in found)


def test_a_route_longer_than_the_shift_is_caught():
    short = problem(vehicles=[Vehicle("T1", capacity=8, shift_seconds=2000)])
    found = check_plan(short, good_plan())
    assert any("after its shift ends at 0:33" in text for text in found)
    # Leaving later makes it worse, not better.
    late = plan_with(start_s=1700)
    assert any("returns at 1:02" in text for text in check_plan(problem(), late))


def test_a_wrong_distance_or_duration_is_caught():
    found = check_plan(problem(), plan_with(distance_m=1300))
    assert "vehicle T1 reports 1300 m but its route is 1400 m" in found
    found = check_plan(problem(), plan_with(duration_s=2000))
    assert "vehicle T1 reports 2000 s but its route takes 2040 s" in found
    found = check_plan(problem(), replace(good_plan(), distance_m=1000))
    assert any("the plan reports 1000 m in total" in text for text in found)


def test_wrong_loads_are_caught():
    assert any("reports loads [8, 7]" in text for text in check_plan(problem(), plan_with(loads=[8, 7])))


def test_a_closed_window_is_caught():
    # b opens until 150 s: the truck starts serving it at 210 s (100 m, 10 s at a, 100 m).
    strict = problem(
        stops=[replace(stop, window=(0, 150)) if stop.key == "b" else stop for stop in problem().stops]
    )
    found = check_plan(strict, good_plan())
    assert any("starts at stop b at 0:03, after its window closes at 0:02" in text for text in found)


def test_waiting_for_a_window_counts_in_the_duration():
    late = problem(
        stops=[replace(stop, window=(500, 900)) if stop.key == "b" else stop for stop in problem().stops]
    )
    # Arrives at b at 210 s, waits until 500 s: 290 s more than the good plan.
    assert check_plan(late, plan_with(duration_s=2330)) == []


def test_unloading_before_driving_home_is_required():
    # depot → a → b → L → c → d → depot: 100 + 100 + 300 + 200 + 100 + 400 = 1200 m, 1200 + 40 + 300 = 1540 s.
    plan = plan_with(unloads=["L"], distance_m=1200, duration_s=1540)
    found = check_plan(problem(), plan)
    assert found == ["vehicle T1 drives back to the depot loaded instead of unloading at a landfill first"]
    assert check_plan(problem(unload_before_return=False), plan) == []


def test_unknown_places_and_vehicles_are_caught():
    found = check_plan(problem(), plan_with(unloads=["L", "depot"]))
    assert any("unloads trip 2 at 'depot', which is not a landfill" in text for text in found)
    found = check_plan(problem(), plan_with(trips=[["a", "b"], ["c", "d", "zz"]]))
    assert any("visits 'zz', which is not a stop" in text for text in found)
    found = check_plan(problem(), plan_with(vehicle_key="T9"))
    assert "vehicle 'T9' is not a vehicle of this problem" in found


def test_a_vehicle_driving_two_routes_is_caught():
    first = PlannedRoute("T1", [["a", "b"]], ["L"], [8], 1000, 1320)
    second = PlannedRoute("T1", [["c", "d"]], ["L"], [8], 1000, 1320)
    found = check_plan(problem(), Plan([first, second], 2000, 2640, 0.0, 0, True))
    assert "vehicle T1 drives 2 routes" in found


@pytest.mark.parametrize("count", [3, 0])
def test_the_number_of_landfill_visits_must_fit_the_trips(count):
    found = check_plan(problem(), plan_with(unloads=["L"] * count))
    assert any(f"has {count} landfill visits for 2 trips" in text for text in found)
