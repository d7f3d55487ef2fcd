"""The dispatcher adjusts a drawn or planned route by hand: a point moves within its route or to another truck's
route of the day; both routes are split into loads and measured again; started routes stay as they are."""

import pytest
from django.urls import reverse

from khizmat.core.errors import DomainError
from khizmat.fieldwork import services
from khizmat.fieldwork.choices import RouteSource, RouteStatus
from khizmat.fieldwork.models import Route, RouteStop

pytestmark = pytest.mark.django_db


@pytest.fixture
def routes(fleet):
    services.routes_draw_by_street(actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday)
    return [vehicle.routes.get(date=fleet.monday) for vehicle in fleet.vehicles]


def order(route):
    return list(RouteStop.objects.filter(route=route).order_by("sequence").values_list("point_id", flat=True))


def test_a_point_moves_to_another_trucks_route(fleet, routes):
    first, second = routes
    stop = first.stops.order_by("sequence").last()
    before_first, before_second = order(first), order(second)

    services.route_stop_move(actor=fleet.dispatcher, stop=stop, route=second, position=1)

    assert order(first) == before_first[:-1]
    assert order(second) == [stop.point_id, *before_second]
    for route in (first, second):
        route.refresh_from_db()
        sequences = list(route.stops.order_by("sequence").values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1))
        assert route.source == RouteSource.MANUAL and route.planned_distance_m > 0


def test_a_point_moves_within_its_route_and_loads_are_split_again(fleet, routes):
    route = routes[0]
    points = order(route)
    stop = route.stops.get(point_id=points[0])

    services.route_stop_move(actor=fleet.dispatcher, stop=stop, route=route, position=99)

    assert order(route) == [*points[1:], points[0]]
    capacity = fleet.vehicles[0].capacity_m3
    loads: dict[int, object] = {}
    for s in route.stops.select_related("point"):
        loads[s.trip_number] = loads.get(s.trip_number, 0) + s.point.expected_m3
    assert all(volume <= capacity for volume in loads.values())


def test_a_started_route_is_not_changed(fleet, routes):
    first, second = routes
    Route.objects.filter(pk=second.pk).update(status=RouteStatus.STARTED)
    stop = first.stops.first()
    with pytest.raises(DomainError) as refused:
        services.route_stop_move(actor=fleet.dispatcher, stop=stop, route=second, position=1)
    assert refused.value.code == "route_started"
    assert RouteStop.objects.get(pk=stop.pk).route_id == first.pk


def test_the_route_page_moves_a_point(fleet, routes, client):
    first, second = routes
    stop = first.stops.order_by("sequence").first()
    client.force_login(fleet.dispatcher)
    page = client.get(reverse("fieldwork:route_detail", args=[first.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("fieldwork:routestop_move", args=[stop.pk]) in page.content.decode()

    moved = client.post(
        reverse("fieldwork:routestop_move", args=[stop.pk]), {"route": second.pk, "position": 2}
    )
    bad = client.post(reverse("fieldwork:routestop_move", args=[stop.pk]), {"route": "x", "position": 0})

    assert moved.status_code == 302 and moved.url == reverse("fieldwork:route_detail", args=[second.pk])
    assert order(second)[1] == stop.point_id
    assert bad.status_code == 302
    assert order(second)[1] == stop.point_id
