"""Field work in headless Chromium: a dispatcher optimizes tomorrow's routes and puts them to use; a driver marks
points on a phone-sized screen, also while the connection is gone, and every mark reaches the server once."""

import datetime

import pytest
from playwright.sync_api import expect

from khizmat.fieldwork import services
from khizmat.fieldwork.choices import RouteSource, StopStatus
from khizmat.fieldwork.models import DriverEvent, Route, RouteStop, Vehicle
from khizmat.fieldwork.tests.fleet import make_fleet
from khizmat.tenancy.localtime import local_today
from tests.browser.journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_dispatcher_optimizes_tomorrows_routes(live_server, browser, org_b, member, settings):
    settings.MAP_TILE_URL = ""  # no internet here: the maps work without tiles
    tomorrow = local_today(org_b) + datetime.timedelta(days=1)
    make_fleet(org_b, member, weekday=tomorrow.weekday(), dispatcher={"username": "gulnara.dispatcher"})
    base = live_server.url

    page = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(page, base, "gulnara.dispatcher")
    page.goto(f"{base}/fieldwork/routes/")
    page.locator("#draw-routes").click()
    expect(page.locator("#day-routes tbody tr")).to_have_count(2)
    page.fill("#id_max_seconds", "2")
    page.locator("#optimize").click()

    expect(page.locator("#plan-state")).to_have_text("Ready", timeout=30_000)
    expect(page.locator("#feasible")).to_contain_text("yes")
    expect(page.locator("#manual-km")).to_contain_text("km")
    expect(page.locator("#plan-map path.leaflet-interactive").first).to_be_attached()
    page.locator("#apply-plan").click()

    expect(page.locator("#day-routes")).to_contain_text("Optimized")
    assert set(Route.objects.filter(date=tomorrow).values_list("source", flat=True)) == {
        RouteSource.OPTIMIZED
    }

    # The same dispatcher keeps the fleet in the app (one browser session: a browser test's flush is costly).
    _adds_a_truck_and_its_maintenance(page, base, org_b)


def _adds_a_truck_and_its_maintenance(page, base, organization):
    page.goto(f"{base}/fieldwork/fleet/")
    page.get_by_role("link", name="Add a vehicle").click()
    page.fill("#id_plate", "03 900 kgz")
    page.select_option("#id_kind", "compactor")
    page.fill("#id_make_model", "KAMAZ 53605")
    page.fill("#id_capacity_m3", "12")
    page.fill("#id_capacity_kg", "7000")
    page.fill("#id_fuel_norm", "32")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("03 900 KGZ")

    page.get_by_role("link", name="Add a service to the plan").click()
    page.fill("#id_name", "Engine oil and filters")
    page.fill("#id_every_days", "90")
    page.fill("#id_every_km", "10000")
    page.fill("#id_start_date", (local_today(organization) - datetime.timedelta(days=95)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#maintenance-plan")).to_contain_text("overdue")

    page.get_by_role("link", name="Record maintenance").click()
    page.fill("#id_date", local_today(organization).isoformat())
    page.select_option("#id_rule", label="03 900 KGZ · Engine oil and filters")
    page.fill("#id_odometer_km", "15200")
    page.fill("#id_cost", "4500")
    page.fill("#id_description", "Oil and filters changed")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#maintenance-log")).to_contain_text("Oil and filters changed")
    expect(page.locator("#maintenance-plan")).to_contain_text("planned")
    vehicle = Vehicle.objects.get(organization=organization, plate="03 900 KGZ")
    assert vehicle.services.get().rule.name == "Engine oil and filters"


def test_a_driver_marks_points_on_a_phone_also_offline(live_server, browser, org_b, member, settings):
    settings.MAP_TILE_URL = ""
    today = local_today(org_b)
    fleet = make_fleet(org_b, member, weekday=today.weekday(), driver={"username": "bakyt.driver"})
    services.routes_draw_by_street(actor=fleet.dispatcher, organization=org_b, date=today)
    route = fleet.vehicles[0].routes.get(date=today)
    first, second, third = route.stops.order_by("sequence")[:3]
    base = live_server.url

    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    log_in(phone, base, "bakyt.driver")
    phone.goto(f"{base}/driver/")
    phone.locator(".driver-routes a").first.click()
    expect(phone.locator("#driver-map .leaflet-interactive").first).to_be_attached()

    phone.locator(f'li[data-stop="{first.pk}"] .done-button').click()
    expect(phone.locator("#sync-state")).to_have_text("All marks sent.")

    context.set_offline(True)
    phone.locator(f'li[data-stop="{second.pk}"] .done-button').click()
    stop = phone.locator(f'li[data-stop="{third.pk}"]')
    stop.locator(".skip-button").click()
    stop.locator("select[name=reason]").select_option("blocked")
    stop.locator("input[name=note]").fill("Road works")
    stop.get_by_role("button", name="Mark as skipped").click()
    expect(phone.locator("#sync-state")).to_contain_text("2")
    expect(stop.locator(".stop-state")).to_have_text("Skipped")
    assert RouteStop.objects.get(pk=second.pk).status == StopStatus.PENDING  # still only on the phone

    context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.locator("#sync-state")).to_have_text("All marks sent.", timeout=10_000)
    statuses = dict(RouteStop.objects.filter(route=route).values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[third.pk]) == ("done", "done", "skipped")
    assert DriverEvent.objects.filter(route=route).count() == 3

    phone.reload()  # what the server has now shows after a reload, and nothing is sent again
    expect(phone.locator(f'li[data-stop="{third.pk}"] .stop-state')).to_have_text("Skipped")
    expect(phone.locator("#sync-state")).to_have_text("All marks sent.")
    assert DriverEvent.objects.filter(route=route).count() == 3
    context.close()
