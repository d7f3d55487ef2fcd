"""Marks from the driver's phone: each id is applied once however often it arrives, each mark on its own (a bad one
does not hold back the rest), a skipped point becomes a citizen report, and the trip log follows the day."""

import base64
import io
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from PIL import Image

from khizmat.fieldwork import services
from khizmat.fieldwork.choices import RouteStatus, SkipReason, StopStatus
from khizmat.fieldwork.models import DriverEvent, RouteStop, Trip, TripLoad
from khizmat.fieldwork.tests.factories import RouteFactory
from khizmat.reports.choices import ReportSource
from khizmat.reports.models import Report
from khizmat.reports.tests.factories import ReportTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def route(fleet):
    services.routes_draw_by_street(actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday)
    route = fleet.vehicles[0].routes.get(date=fleet.monday)
    assert route.driver == fleet.driver
    return route


def mark(route, kind, **fields):
    return {
        "id": str(uuid.uuid4()),
        "route": route.pk,
        "kind": kind,
        "at": "2026-12-07T08:15:00+06:00",
        **fields,
    }


def send(fleet, *marks):
    return services.driver_marks_receive(
        actor=fleet.driver, organization=fleet.organization, marks=list(marks)
    )


def jpeg_data_url() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_a_mark_sent_twice_is_applied_once(fleet, route):
    stop = route.stops.order_by("sequence").first()
    done = mark(route, "stop_done", stop=stop.pk)

    assert send(fleet, done) == [{"id": done["id"], "status": "applied", "message": ""}]
    assert send(fleet, done) == [{"id": done["id"], "status": "duplicate", "message": ""}]

    stop.refresh_from_db()
    assert stop.status == StopStatus.DONE and stop.marked_by == fleet.driver
    assert DriverEvent.objects.filter(client_id=done["id"]).count() == 1
    route.refresh_from_db()
    assert route.status == RouteStatus.STARTED


def test_a_skipped_point_raises_a_missed_pickup_report_with_the_photo(fleet, route):
    ReportTypeFactory(organization=fleet.organization, code="missed-pickup", name="Missed pickup")
    stop = route.stops.select_related("point").order_by("sequence").first()

    [answer] = send(
        fleet,
        mark(
            route,
            "stop_skipped",
            stop=stop.pk,
            reason=SkipReason.BLOCKED,
            note="Cars parked",
            photo=jpeg_data_url(),
        ),
    )

    assert answer["status"] == "applied"
    stop.refresh_from_db()
    assert stop.status == StopStatus.SKIPPED and stop.photo
    report = Report.objects.get(pk=stop.report_id)
    assert report.source == ReportSource.CREW
    assert (report.latitude, report.longitude) == (stop.point.latitude, stop.point.longitude)
    assert "Cars parked" in report.description and report.photo


def test_nothing_to_collect_raises_no_report(fleet, route):
    ReportTypeFactory(organization=fleet.organization, code="missed-pickup")
    stop = route.stops.first()

    send(fleet, mark(route, "stop_skipped", stop=stop.pk, reason=SkipReason.NO_WASTE))

    stop.refresh_from_db()
    assert stop.status == StopStatus.SKIPPED and stop.report is None
    assert not Report.objects.exists()


def test_a_bad_mark_is_refused_with_a_reason_and_the_others_are_applied(fleet, route):
    first, second = route.stops.order_by("sequence")[:2]
    answers = send(
        fleet,
        mark(route, "stop_skipped", stop=first.pk),  # no reason
        mark(route, "stop_done", stop=second.pk),
        mark(route, "stop_done", stop=first.pk, photo="data:text/html;base64,PGI+"),
        {"kind": "stop_done"},
        "not a mark",
    )

    assert [a["status"] for a in answers] == ["refused", "applied", "refused", "refused", "refused"]
    assert all(a["message"] for a in answers if a["status"] == "refused")
    statuses = dict(RouteStop.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "status"))
    assert statuses == {first.pk: StopStatus.PENDING, second.pk: StopStatus.DONE}
    assert DriverEvent.objects.count() == 1


def test_the_trip_log_follows_the_day(fleet, route):
    answers = send(
        fleet,
        mark(route, "trip_start", odometer="45210"),
        mark(route, "load", facility=fleet.landfill.pk, volume_m3="7.5"),
        mark(route, "load", facility=fleet.landfill.pk, volume_m3="6.25"),
        mark(route, "trip_end", odometer="45262", fuel_litres="19.5"),
    )

    assert {a["status"] for a in answers} == {"applied"}
    trip = Trip.objects.get(route=route)
    assert (trip.odometer_start_km, trip.odometer_end_km, trip.distance_km) == (45210, 45262, Decimal("52"))
    assert trip.fuel_litres == Decimal("19.5") and trip.started_at and trip.ended_at
    assert sorted(TripLoad.objects.filter(trip=trip).values_list("volume_m3", flat=True)) == [
        Decimal("6.25"),
        Decimal("7.50"),
    ]
    route.refresh_from_db()
    assert route.status == RouteStatus.FINISHED


def test_an_odometer_going_backwards_or_a_load_too_big_is_refused(fleet, route):
    send(fleet, mark(route, "trip_start", odometer="45210"))
    answers = send(
        fleet,
        mark(route, "trip_end", odometer="45000"),
        mark(route, "load", facility=fleet.landfill.pk, volume_m3="900"),
        mark(route, "load", facility=fleet.depot.pk, volume_m3="5"),
    )
    assert [a["status"] for a in answers] == ["refused"] * 3
    assert Trip.objects.get(route=route).odometer_end_km is None


def test_a_driver_marks_only_their_own_routes(fleet, route, org_a):
    other = fleet.vehicles[1].routes.get(date=fleet.monday)
    foreign = RouteFactory(organization=org_a)
    answers = send(
        fleet,
        mark(other, "stop_done", stop=other.stops.first().pk),
        mark(foreign, "trip_start"),
    )
    assert [a["status"] for a in answers] == ["refused", "refused"]
    assert not DriverEvent.objects.exists()


def test_the_phone_sends_marks_as_json(fleet, route, client):
    client.force_login(fleet.driver)
    stop = route.stops.first()
    done = mark(route, "stop_done", stop=stop.pk)
    url = reverse("fieldwork:driver_sync")

    response = client.post(url, {"marks": [done]}, content_type="application/json")
    again = client.post(url, {"marks": [done]}, content_type="application/json")

    assert response.json() == {"results": [{"id": done["id"], "status": "applied", "message": ""}]}
    assert again.json()["results"][0]["status"] == "duplicate"
    bad = client.post(url, "{not json", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "JSON" in bad.json()["error"]


def test_an_oversized_batch_is_refused_whole(fleet, route, client):
    client.force_login(fleet.driver)
    marks = [mark(route, "trip_start") for _ in range(501)]

    response = client.post(
        reverse("fieldwork:driver_sync"),
        {"marks": marks},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400 and "at most 500" in response.json()["error"]
    assert not DriverEvent.objects.exists()


def test_a_second_start_beyond_the_recorded_end_is_refused_not_a_crash(fleet, route):
    # The phone's queue may send a late "start" after the end: the start would pass the end (a database check).
    send(fleet, mark(route, "trip_start", odometer="45210"), mark(route, "trip_end", odometer="45262"))
    answers = send(
        fleet, mark(route, "trip_start", odometer="45300"), mark(route, "trip_start", odometer="45230")
    )
    assert [a["status"] for a in answers] == ["refused", "applied"]
    trip = Trip.objects.get(route=route)
    assert (trip.odometer_start_km, trip.odometer_end_km, trip.distance_km) == (45230, 45262, Decimal("32"))


def test_moving_all_points_off_a_route_with_a_logged_trip_keeps_that_route(fleet, route):
    # A load marked before the trip's start logs a trip on a route still "planned"; the dispatcher then gives all of
    # its points to another truck. The emptied route stays for its trip log (it used to fail on the protected key).
    send(fleet, mark(route, "load", facility=fleet.landfill.pk, volume_m3="5"))
    assert Trip.objects.filter(route=route).exists()
    route.refresh_from_db()
    assert route.status == RouteStatus.PLANNED
    points = list(route.stops.values_list("point_id", flat=True))
    services.route_save(actor=fleet.dispatcher, vehicle=fleet.vehicles[1], date=fleet.monday, trips=[points])
    route.refresh_from_db()
    assert not route.stops.exists() and Trip.objects.filter(route=route).exists()
    assert set(
        fleet.vehicles[1].routes.get(date=fleet.monday).stops.values_list("point_id", flat=True)
    ) >= set(points)
