"""The dispatcher's pages (the day's routes, the optimize form, the plan with its progress, a route) and the driver's
phone pages: who sees what, and bad input answered with a clear error."""

import re

import pytest
from django.urls import reverse

from khizmat.fieldwork import services
from khizmat.fieldwork.choices import PlanStatus
from khizmat.fieldwork.models import RoutePlan
from khizmat.fieldwork.tests.factories import RoutePlanFactory
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_day_page_lists_routes_and_optimizing_opens_the_plan(
    fleet, client, django_capture_on_commit_callbacks
):
    services.routes_draw_by_street(actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday)
    client.force_login(fleet.dispatcher)
    url = reverse("fieldwork:day_routes")

    page = client.get(url, {"date": fleet.monday}, **EN)
    assert page.status_code == 200
    assert (
        "03 451 AKB" in page.content.decode()
        and "12 collection points are scheduled" in page.content.decode()
    )

    form = {
        "date": fleet.monday,
        "scope": "scheduled",
        "vehicles": [v.pk for v in fleet.vehicles],
        "shift_hours": "9",
        "shift_start": "07:00",
        "max_seconds": "2",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form, **EN)
    plan = RoutePlan.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "fieldwork:routeplan_detail", args=[plan.pk]
    )

    shown = client.get(response.url, **EN).content.decode()
    assert "Routes drawn by hand" in shown and 'id="apply-plan"' in shown
    applied = client.post(reverse("fieldwork:routeplan_apply", args=[plan.pk]), **EN)
    assert applied.status_code == 302
    assert RoutePlan.objects.get().status == PlanStatus.APPLIED


def test_the_optimize_form_carries_the_day_in_any_language(fleet, client):
    client.force_login(fleet.dispatcher)
    for language in ("ky", "ru", "uz", "uz-cyrl", "en"):
        fleet.dispatcher.language = language  # the interface speaks the user's language
        fleet.dispatcher.save(update_fields=["language"])
        page = client.get(reverse("fieldwork:day_routes"), {"date": fleet.monday})
        assert f'lang="{language}"' in page.content.decode()
        # <input type="date"> takes ISO dates only, whatever the interface language.
        [plan_day] = re.findall(r'<input[^>]*id="id_date"[^>]*>', page.content.decode())
        assert 'value="2026-12-07"' in plan_day


def test_a_bad_optimize_form_is_answered_with_errors(fleet, client):
    client.force_login(fleet.dispatcher)
    response = client.post(
        reverse("fieldwork:day_routes"),
        {"date": "2026-13-45", "scope": "scheduled", "shift_hours": "99", "max_seconds": "5"},
        **EN,
    )
    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()
    assert not RoutePlan.objects.exists()


def test_a_running_plan_shows_its_progress_and_polls(fleet, client):
    plan = RoutePlanFactory(organization=fleet.organization, status=PlanStatus.RUNNING, progress=40)
    client.force_login(fleet.dispatcher)

    partial = client.get(reverse("fieldwork:routeplan_detail", args=[plan.pk]), HTTP_HX_REQUEST="true", **EN)

    body = partial.content.decode()
    assert 'value="40"' in body and 'hx-trigger="every 1s"' in body and "<html" not in body


def test_auditors_see_the_day_but_cannot_optimize(fleet, client, member):
    client.force_login(member(fleet.organization, Role.AUDITOR))
    url = reverse("fieldwork:day_routes")
    assert client.get(url).status_code == 200
    assert 'id="optimize"' not in client.get(url).content.decode()
    assert client.post(url, {"date": fleet.monday}).status_code == 403


def test_the_driver_sees_only_their_routes(fleet, client):
    services.routes_draw_by_street(actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday)
    mine = fleet.vehicles[0].routes.get()
    other = fleet.vehicles[1].routes.get()
    client.force_login(fleet.driver)

    page = client.get(reverse("fieldwork:driver_route", args=[mine.pk]), **EN)
    assert page.status_code == 200
    body = page.content.decode()
    assert (
        'id="route-data"' in body
        and "Leaving the depot" in body
        and body.count('data-action="done"') == mine.stops.count() > 0
    )
    assert client.get(reverse("fieldwork:driver_route", args=[other.pk])).status_code == 404
    assert client.get(reverse("fieldwork:day_routes")).status_code == 403  # drivers do not plan
    assert client.get(reverse("fieldwork:driver_home")).status_code == 200


def test_the_route_page_shows_the_marks_and_the_report(fleet, client):
    services.routes_draw_by_street(actor=fleet.dispatcher, organization=fleet.organization, date=fleet.monday)
    route = fleet.vehicles[0].routes.get()
    client.force_login(fleet.dispatcher)
    body = client.get(reverse("fieldwork:route_detail", args=[route.pk]), **EN).content.decode()
    assert 'id="route-stops"' in body and "TOK-" in body
