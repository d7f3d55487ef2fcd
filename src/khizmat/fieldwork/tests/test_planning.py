"""Route planning: the solver on a synthetic day in Toktogul, the distance providers, the benchmark adapter.

Solver runs are short (under 2 s here) and bounded by iterations, so their results do not depend on the machine's
speed or load; the time limit is only a ceiling.
"""

import importlib.util
import json
import random
import threading
import urllib.parse
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import translation

from khizmat.fieldwork.planning import (
    DistanceError,
    ExplicitMatrix,
    Location,
    OsrmTable,
    PlanningError,
    PlanningProblem,
    Stop,
    StraightLineWithCircuity,
    Vehicle,
    check_plan,
    route_cost,
    solve,
)
from khizmat.fieldwork.planning.distances import haversine_m

TOKTOGUL = (41.8725, 72.9400)
HOUR = 3600


def day(
    *, stops=30, capacity=8000, shift=10 * HOUR, windows=False, vehicles=None, seed=7, **changes
) -> PlanningProblem:
    """Container sites around Toktogul, two trucks, the landfill north-east of town."""
    rnd = random.Random(seed)
    sites = [
        Stop(
            f"site-{n:02d}",
            TOKTOGUL[0] + rnd.uniform(-0.02, 0.02),
            TOKTOGUL[1] + rnd.uniform(-0.03, 0.03),
            demand=rnd.randint(200, 900),
            service_seconds=rnd.choice([120, 180, 300]),
            window=((2 * HOUR, 4 * HOUR) if n % 5 == 0 else None) if windows else None,
        )
        for n in range(stops)
    ]
    trucks = (
        vehicles
        if vehicles is not None
        else [
            Vehicle("KAMAZ-1", capacity=capacity, shift_seconds=shift, speed_kmh=20),
            Vehicle("KAMAZ-2", capacity=capacity, shift_seconds=shift, speed_kmh=20),
        ]
    )
    arguments = {
        "depot": Location("garage", TOKTOGUL[0] + 0.004, TOKTOGUL[1] - 0.006),
        "stops": sites,
        "vehicles": trucks,
        "landfills": [Location("landfill", 41.905, 72.985)],
        "unload_seconds": 20 * 60,
        "distances": StraightLineWithCircuity(factor=1.35, speed_kmh=25),
    } | changes
    return PlanningProblem(**arguments)


ITERATIONS = 1000
CEILING_S = 10


def planned(problem, **options):
    matrix = problem.matrix()
    options = {"max_seconds": CEILING_S, "max_iterations": ITERATIONS} | options
    plan = solve(problem, matrix=matrix, **options)
    return plan, check_plan(problem, plan, matrix)


def test_a_day_is_planned_and_the_checker_accepts_it():
    problem = day()
    plan, violations = planned(problem)
    assert plan.feasible
    assert violations == []
    visited = sorted(key for route in plan.routes for trip in route.trips for key in trip)
    assert visited == sorted(stop.key for stop in problem.stops)
    assert plan.distance_m == sum(route.distance_m for route in plan.routes) > 0
    assert plan.iterations > 0
    # Trucks unload before driving home.
    assert all(len(route.unloads) == len(route.trips) for route in plan.routes)


def test_capacity_forces_reloads_at_the_landfill():
    problem = day(capacity=3000)
    plan, violations = planned(problem)
    assert violations == []
    assert plan.feasible
    assert max(len(route.trips) for route in plan.routes) > 1
    assert sum(len(route.trips) for route in plan.routes) >= sum(s.demand for s in problem.stops) / 3000
    for route in plan.routes:
        assert all(0 < load <= 3000 for load in route.loads)
        assert set(route.unloads) == {"landfill"}


def test_trucks_may_drive_home_loaded_when_allowed():
    problem = day(capacity=3000, unload_before_return=False)
    plan, violations = planned(problem)
    assert violations == []
    assert any(len(route.unloads) == len(route.trips) - 1 for route in plan.routes)


def test_without_landfills_each_truck_makes_one_trip():
    problem = day(landfills=[], capacity=20000)
    plan, violations = planned(problem)
    assert violations == []
    assert all(len(route.trips) == 1 and route.unloads == [] for route in plan.routes)


def test_shift_length_is_respected():
    # 20 stops of 15 minutes each: 5 hours of service alone, more than one 5-hour shift holds.
    shift = 5 * HOUR
    problem = day(stops=20, shift=shift)
    problem = replace(problem, stops=[replace(stop, service_seconds=900) for stop in problem.stops])
    plan, violations = planned(problem)
    assert violations == []
    assert plan.feasible
    assert len(plan.routes) == 2
    assert all(route.start_s >= 0 and route.start_s + route.duration_s <= shift for route in plan.routes)


def test_time_windows_are_respected():
    problem = day(windows=True)
    plan, violations = planned(problem)
    assert violations == []
    assert plan.feasible


def test_trucks_of_different_speeds_and_costs():
    vehicles = [
        Vehicle("KAMAZ-1", capacity=8000, shift_seconds=8 * HOUR, speed_kmh=18, fixed_cost=5000),
        Vehicle("GAZ-1", capacity=3000, shift_seconds=6 * HOUR, speed_kmh=30),
        Vehicle("GAZ-2", capacity=3000, shift_seconds=6 * HOUR, speed_kmh=30),
    ]
    problem = day(vehicles=vehicles, windows=True)
    plan, violations = planned(problem)
    assert violations == []
    assert {route.vehicle_key for route in plan.routes} <= {"KAMAZ-1", "GAZ-1", "GAZ-2"}


def test_progress_is_reported_until_done():
    calls = []
    plan, _ = planned(day(), max_seconds=0.8, max_iterations=None, progress=lambda f, c: calls.append((f, c)))
    fractions = [fraction for fraction, _ in calls]
    assert fractions == sorted(fractions) and all(0 <= f <= 1 for f in fractions)
    assert calls[-1] == (1.0, plan.distance_m)
    assert all(cost is None or cost >= plan.distance_m for _, cost in calls)


def test_the_same_seed_gives_the_same_plan():
    problem = day()
    first, _ = planned(problem, seed=5, max_iterations=300)
    second, _ = planned(problem, seed=5, max_iterations=300)
    assert first == replace(second, solver_seconds=first.solver_seconds)


def test_no_stops_is_an_empty_plan():
    plan = solve(day(stops=0), max_seconds=1)
    assert plan.routes == [] and plan.feasible and plan.distance_m == 0


def test_manual_routes_are_measured_like_planned_ones():
    problem = day()
    matrix = problem.matrix()
    plan = solve(problem, max_seconds=CEILING_S, max_iterations=ITERATIONS, matrix=matrix)
    for route in plan.routes:
        manual = route_cost(problem, route.vehicle_key, route.trips, matrix=matrix)
        assert manual.distance_m == route.distance_m
        assert manual.unloads == route.unloads
        assert manual.loads == route.loads
    by_key = route_cost(problem, "KAMAZ-1", [[stop.key for stop in problem.stops]], matrix=matrix)
    assert by_key.distance_m > min(route.distance_m for route in plan.routes)
    assert by_key.unloads == ["landfill"]
    with pytest.raises(PlanningError):
        route_cost(problem, "KAMAZ-1", [["garage"]], matrix=matrix)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"vehicles": []}, "no_vehicles"),
        ({"vehicles": [Vehicle("A", 8000), Vehicle("A", 8000)]}, "duplicate_vehicle"),
        ({"vehicles": [Vehicle("A", 0)]}, "invalid_vehicle"),
        ({"vehicles": [Vehicle("A", 500)]}, "stop_too_large"),
        ({"landfills": [], "vehicles": [Vehicle("A", 8000)]}, "fleet_too_small"),
        ({"vehicles": [Vehicle("A", 8000, shift_seconds=600, speed_kmh=20)]}, "beyond_shift"),
        ({"unload_seconds": -1}, "invalid_unload"),
        ({"landfills": [Location("site-03", 41.9, 72.9)]}, "duplicate_key"),
    ],
)
def test_impossible_days_are_refused_with_a_reason(changes, code):
    with pytest.raises(PlanningError) as refused:
        solve(day(**changes), max_seconds=1)
    assert refused.value.code == code
    assert str(refused.value)


def test_a_stop_out_of_reach_is_named():
    problem = day()
    stops = list(problem.stops)
    stops[3] = replace(stops[3], window=(0, 30))
    with pytest.raises(PlanningError) as refused:
        solve(replace(problem, stops=stops), max_seconds=1)
    assert refused.value.code == "window_unreachable"
    assert "site-03" in str(refused.value) and "0:00" in str(refused.value)
    stops[3] = replace(stops[3], window=(600, 300))
    with pytest.raises(PlanningError, match="site-03"):
        solve(replace(problem, stops=stops), max_seconds=1)
    stops[3] = replace(stops[3], window=None, demand=-5)
    with pytest.raises(PlanningError, match="site-03"):
        solve(replace(problem, stops=stops), max_seconds=1)


# Distances


def test_haversine_matches_known_distances():
    # One degree along the equator on the mean sphere, and London Heathrow – New York JFK (≈ 5,554 km geodesic).
    assert haversine_m(0, 0, 0, 1) == pytest.approx(111_195, rel=0.001)
    assert haversine_m(51.4700, -0.4543, 40.6413, -73.7781) == pytest.approx(5_554_000, rel=0.01)


def test_straight_line_provider_applies_the_circuity_factor_and_speed():
    places = [Location("a", *TOKTOGUL), Location("b", TOKTOGUL[0] + 0.01, TOKTOGUL[1])]
    distance, duration = StraightLineWithCircuity(factor=1.35, speed_kmh=36).matrix(places)
    straight = haversine_m(*TOKTOGUL, TOKTOGUL[0] + 0.01, TOKTOGUL[1])
    assert distance[0][1] == distance[1][0] == round(straight * 1.35)
    assert duration[0][1] == round(distance[0][1] / 10)  # 36 km/h = 10 m/s
    assert distance[0][0] == duration[1][1] == 0


def test_providers_follow_the_settings(settings):
    settings.FIELDWORK_ROAD_CIRCUITY = 1.5
    settings.FIELDWORK_TRUCK_SPEED_KMH = 18
    provider = StraightLineWithCircuity()
    assert (provider.factor, provider.speed_kmh) == (1.5, 18)
    settings.FIELDWORK_DISTANCE_PROVIDER = "khizmat.fieldwork.planning.distances.OsrmTable"
    settings.FIELDWORK_OSRM_URL = "http://osrm.example:5000/"
    problem = day(distances=None)
    assert isinstance(problem.distances, OsrmTable)
    assert problem.distances.base_url == "http://osrm.example:5000"
    settings.FIELDWORK_OSRM_URL = ""
    with pytest.raises(DistanceError):
        OsrmTable()


def test_explicit_matrix_must_fit_the_places():
    with pytest.raises(ValueError):
        ExplicitMatrix([[0, 1], [1, 0]]).matrix([Location("a", 0, 0)])


class FakeOsrm(BaseHTTPRequestHandler):
    """Answers /table/v1/driving/… like OSRM: 1 km per 0.01° of longitude, 100 s per km; 0.0° is unreachable."""

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        self.server.requests.append(self.path)
        if self.server.fail:
            return self.answer(500, {"code": "InvalidQuery", "message": "Query string malformed"})
        points = [tuple(map(float, pair.split(","))) for pair in url.path.rsplit("/", 1)[1].split(";")]
        query = urllib.parse.parse_qs(url.query)
        assert query["annotations"] == ["distance,duration"]
        sources = (
            [int(i) for i in query["sources"][0].split(";")] if "sources" in query else range(len(points))
        )
        targets = (
            [int(i) for i in query["destinations"][0].split(";")] if "destinations" in query else sources
        )

        def metres(i, j):
            if 0.0 in (points[i][0], points[j][0]) and i != j:
                return None
            return abs(points[i][0] - points[j][0]) * 100_000 + 0.4

        distances = [[metres(i, j) for j in targets] for i in sources]
        durations = [[None if d is None else d / 10 for d in row] for row in distances]
        self.answer(200, {"code": "Ok", "distances": distances, "durations": durations})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def osrm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    server.requests, server.fail = [], False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def places(*longitudes):
    return [Location(f"p{n}", 41.87, lon) for n, lon in enumerate(longitudes)]


def test_osrm_table_is_read(osrm):
    provider = OsrmTable(f"http://127.0.0.1:{osrm.server_port}", timeout=5)
    distance, duration = provider.matrix(places(72.93, 72.94, 72.96))
    assert distance == [[0, 1000, 3000], [1000, 0, 2000], [3000, 2000, 0]]
    assert duration == [[0, 100, 300], [100, 0, 200], [300, 200, 0]]
    assert osrm.requests[0].startswith("/table/v1/driving/72.930000,41.870000;72.940000,41.870000;")


def test_a_large_osrm_table_is_read_in_blocks(osrm):
    provider = OsrmTable(f"http://127.0.0.1:{osrm.server_port}", timeout=5, max_table_size=4)
    longitudes = [72.91, 72.92, 72.94, 72.97, 72.99]
    distance, _ = provider.matrix(places(*longitudes))
    assert distance == [
        [round(abs(a - b) * 100_000 + 0.4) if a != b else 0 for b in longitudes] for a in longitudes
    ]
    assert len(osrm.requests) == 9  # 3 × 3 blocks of at most 2 sources and 2 destinations


def test_osrm_failures_raise_a_clear_error(osrm):
    osrm.fail = True
    provider = OsrmTable(f"http://127.0.0.1:{osrm.server_port}", timeout=5)
    with pytest.raises(DistanceError) as failed:
        provider.matrix(places(72.93, 72.94))
    assert failed.value.code == "osrm_unavailable"
    assert "HTTP 500 Query string malformed" in str(failed.value)
    assert f"127.0.0.1:{osrm.server_port}" in str(failed.value)


def test_osrm_no_road_names_the_places(osrm):
    provider = OsrmTable(f"http://127.0.0.1:{osrm.server_port}", timeout=5)
    with pytest.raises(DistanceError) as failed:
        provider.matrix(places(72.93, 0.0))
    assert failed.value.code == "osrm_no_route"
    assert "p0" in str(failed.value) and "p1" in str(failed.value)


def test_an_unreachable_osrm_server_raises_a_clear_error():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsrm)
    port = server.server_port
    server.server_close()  # nothing listens there any more
    with pytest.raises(DistanceError) as failed:
        OsrmTable(f"http://127.0.0.1:{port}", timeout=2).matrix(places(72.93, 72.94))
    assert failed.value.code == "osrm_unavailable"
    # The message names the server, in the reader's language.
    assert f"127.0.0.1:{port}" in str(failed.value)
    with translation.override("en"):
        assert "did not answer" in str(failed.value.message)


# The benchmark's VRPLIB adapter

BENCH = Path(__file__).resolve().parents[4] / "bench" / "cvrp_bench.py"


@pytest.fixture(scope="module")
def cvrp_bench():
    spec = importlib.util.spec_from_file_location("cvrp_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not (module.DATA / "X-n101-k25.vrp").exists():
        pytest.skip(f"the CVRP X instances are not in {module.DATA}")
    return module


def test_the_vrplib_adapter_reproduces_the_best_known_cost(cvrp_bench):
    problem, best_known = cvrp_bench.load_problem("X-n101-k25")
    plan = cvrp_bench.best_known_plan("X-n101-k25", problem)
    assert check_plan(problem, plan) == []
    assert plan.distance_m == best_known == 27591


def test_the_planner_on_x_n101_k25(cvrp_bench):
    row = cvrp_bench.run_instance("X-n101-k25", seconds=CEILING_S, max_iterations=3000)
    assert row["feasible"], row["violations"]
    assert row["gap"] <= 3.0
