"""Photos from the driver's phone: a bad one refuses its own mark (never the batch, never a 500), a good one is
stored without its metadata, and it opens from the route page for the organization only."""

import base64
import io

import pytest
from django.urls import reverse
from PIL import Image

from khizmat.core.tests import crafted
from khizmat.fieldwork import services
from khizmat.fieldwork.choices import StopStatus
from khizmat.fieldwork.models import RouteStop
from khizmat.fieldwork.tests.test_driver_marks import mark, send
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def route(fleet):
    services.routes_draw_by_street(actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday)
    return fleet.vehicles[0].routes.get(date=fleet.monday)


def data_url(content: bytes, kind: str = "png") -> str:
    return f"data:image/{kind};base64," + base64.b64encode(content).decode()


def test_a_bomb_or_a_broken_photo_refuses_its_mark_only(fleet, route):
    first, second, third = route.stops.order_by("sequence")[:3]
    answers = send(
        fleet,
        mark(route, "stop_done", stop=first.pk, photo=data_url(crafted.png_bomb())),
        mark(route, "stop_done", stop=second.pk, photo=data_url(crafted.jpeg_with_metadata()[:300], "jpeg")),
        mark(route, "stop_done", stop=third.pk),
    )
    assert [a["status"] for a in answers] == ["refused", "refused", "applied"]
    assert "megapixels" in answers[0]["message"] and answers[1]["message"]
    statuses = dict(RouteStop.objects.filter(pk__in=[first.pk, third.pk]).values_list("pk", "status"))
    assert statuses == {first.pk: StopStatus.PENDING, third.pk: StopStatus.DONE}


def test_the_sync_page_answers_a_bomb_without_an_error(fleet, route, client):
    client.force_login(fleet.driver)
    stop = route.stops.order_by("sequence").first()
    response = client.post(
        reverse("fieldwork:driver_sync"),
        {"marks": [mark(route, "stop_done", stop=stop.pk, photo=data_url(crafted.png_bomb()))]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "refused"


def test_a_photo_is_stored_without_metadata_and_opens_from_the_route_page(
    fleet, route, client, member, org_a
):
    stop = route.stops.order_by("sequence").first()
    [answer] = send(
        fleet, mark(route, "stop_done", stop=stop.pk, photo=data_url(crafted.jpeg_with_metadata(), "jpeg"))
    )
    assert answer["status"] == "applied"
    stop.refresh_from_db()
    stored = Image.open(io.BytesIO(stop.photo.read()))
    assert not stored.getexif() and "comment" not in stored.info

    client.force_login(fleet.dispatcher)
    page = client.get(reverse("fieldwork:route_detail", args=[route.pk])).content.decode()
    link = reverse("fieldwork:routestop_photo", args=[stop.pk])
    assert link in page
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"

    client.force_login(member(org_a, Role.ADMIN))
    assert client.get(link).status_code == 404


def test_the_route_page_tells_the_phone_the_request_limit(fleet, route, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 123456
    client.force_login(fleet.driver)
    response = client.get(reverse("fieldwork:driver_route", args=[route.pk]))
    assert '"maxRequestBytes": 123456' in response.content.decode()
