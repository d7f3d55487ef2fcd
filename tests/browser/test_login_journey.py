"""Browser journey in headless Chromium: log in, switch to Kyrgyz, see the translated home page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_login_switch_to_kyrgyz_and_see_the_translated_home(live_server, page, org_a, member):
    member(org_a, Role.MANAGER, username="aigul.manager", first_name="Aigul", language="")
    page.set_viewport_size({"width": 1366, "height": 768})

    page.goto(f"{live_server.url}/")  # the public landing: citizens' pages, and the staff's login
    page.locator(f"main a[href='{reverse('login')}']").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_username", "aigul.manager")
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name=re.compile(".+")).last.click()
    expect(page.locator("h1")).to_contain_text("Aigul")

    page.select_option("#language-select", "ky")

    with translation.override("ky"):
        heading = translation.gettext("What to do next")
        staff = translation.gettext("Staff")
    assert heading != "What to do next", "the Kyrgyz catalog is missing or not compiled"
    expect(page.locator("h2").first).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    expect(page.locator("nav.mainnav")).to_contain_text(staff)

    # Remembered for the user: a new visit shows Kyrgyz again.
    page.goto(f"{live_server.url}/")
    expect(page.locator("h2").first).to_have_text(heading)


def test_the_login_page_fits_a_phone(live_server, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/accounts/login/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    expect(page.locator("#id_username")).to_be_visible()


def test_the_token_page_and_the_queue_links_fit_a_phone(live_server, page, org_a, member):
    """Long tokens and secret links wrap on a 360 px phone instead of widening the page."""
    from khizmat.queue.services import screen_create
    from khizmat.tenancy.scoping import scope

    from .journeys import log_in

    manager = member(org_a, Role.MANAGER, username="aigul.manager", language="en")
    with scope(organization=[org_a.pk]):
        for kind in ("kiosk", "board"):
            screen_create(actor=manager, organization=org_a, kind=kind, name="Hall", language="ru")
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_server.url, "aigul.manager")
    for path in ("/accounts/token/", "/queue/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
