"""A citizen reports a problem with a photo on the portal; a dispatcher sees it on the map and resolves it; the
citizen reads the public note."""

import pytest
from playwright.sync_api import expect

from khizmat.reports.tests.factories import ReportTypeFactory
from khizmat.reports.tests.test_portal_and_inbox import jpeg_with_gps
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import TEST_PASSWORD, SettlementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_report_resolve_and_read_the_note(live_server, browser, org_b, member, tmp_path, settings):
    settings.MAP_TILE_URL = ""  # no internet here: the map works without tiles
    base = live_server.url
    org_b.settlement = SettlementFactory(name="Toktogul", latitude="41.872000", longitude="72.941000")
    org_b.save()
    ReportTypeFactory(organization=org_b, code="missed-pickup", name="Missed pickup")
    member(org_b, Role.DISPATCHER, username="aibek.dispatcher", language="en")
    photo = tmp_path / "pickup.jpg"
    photo.write_bytes(jpeg_with_gps())

    citizen = browser.new_page(viewport={"width": 360, "height": 740})
    citizen.goto(f"{base}/report/{org_b.code}/")
    citizen.select_option("#id_report_type", label="Missed pickup")
    citizen.locator("#picker").click(position={"x": 150, "y": 120})  # a point on the map
    expect(citizen.locator("#picked")).not_to_be_empty()
    citizen.fill("#id_description", "Container full since Monday")
    citizen.set_input_files("#id_photo", str(photo))
    citizen.get_by_role("button", name="Send the report").click()
    number = citizen.locator("h1").inner_text().split()[0]
    assert number.startswith("R-")

    staff = browser.new_page(viewport={"width": 1366, "height": 768})
    staff.goto(f"{base}/accounts/login/")
    staff.fill("#id_username", "aibek.dispatcher")
    staff.fill("#id_password", TEST_PASSWORD)
    staff.locator("form.form button[type=submit]").click()
    staff.goto(f"{base}/reports/")
    expect(staff.locator("#inbox-map .leaflet-marker-icon")).to_have_count(1)
    staff.locator("#inbox-map .leaflet-marker-icon").click()
    staff.locator(".leaflet-popup-content a").click()
    expect(staff.locator("h1")).to_contain_text(number)
    expect(staff.locator("img.report-photo")).to_be_visible()
    staff.select_option("#id_status", "resolved")
    staff.fill("#id_public_note", "Container emptied, thank you")
    staff.get_by_role("button", name="Save").first.click()
    expect(staff.locator("h1 .status")).to_have_text("Resolved")

    citizen.reload()
    expect(citizen.locator(".public-note")).to_have_text("Container emptied, thank you")
