"""A day at the counter in headless Chromium: ticket, call, application, issued, board, QR rating, manager's view."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from khizmat.queue.models import QueueScreen
from khizmat.queue.tests.factories import CounterFactory, QueueScreenFactory, ServiceGroupFactory
from khizmat.services.tests.factories import VALID_PINFL, ApplicationFactory, ServiceFactory
from khizmat.tenancy.roles import Role
from tests.browser.journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_day_at_the_counter(live_server, browser, org_a, member):
    base = live_server.url
    member(org_a, Role.OPERATOR, username="dilnoza.operator", language="en")
    member(org_a, Role.MANAGER, username="aziz.manager", language="en")
    group = ServiceGroupFactory(organization=org_a, letter="A", name="Civil registry")
    window = CounterFactory(organization=org_a, number=3, group_letters="A")
    board = QueueScreenFactory(organization=org_a, kind=QueueScreen.Kind.BOARD, language="en")
    ServiceFactory(organization=org_a, code="FHDY-01", name="Birth registration", deadline_working_days=1)
    overdue = ApplicationFactory(
        organization=org_a, number="OLD-2026-000001", due_date=datetime.date(2026, 1, 5)
    )

    operator = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(operator, base, "dilnoza.operator")
    operator.goto(f"{base}/queue/counters/{window.pk}/")
    operator.select_option("#desk-group", str(group.pk))
    operator.get_by_role("button", name="Issue ticket").click()
    expect(operator.locator(".messages")).to_contain_text("A-001")

    tv = browser.new_page(viewport={"width": 1280, "height": 720})
    tv.goto(f"{base}/q/{org_a.code}/{board.token}/board/")
    expect(tv.locator(".board-table")).to_contain_text("Please wait")
    # The clock runs (a static script: CSP forbids inline ones) and rewrites itself every second.
    tv.locator(".clock").evaluate("el => { el.textContent = '--:--'; }")
    expect(tv.locator(".clock")).to_have_text(re.compile(r"^\d\d:\d\d$"), timeout=3000)

    operator.get_by_role("button", name="Call the next ticket").click()
    expect(operator.locator(".current-ticket")).to_have_text("A-001")
    # The board polls every second: the call appears without a reload.
    expect(tv.locator("tr.latest")).to_contain_text("A-001", timeout=5000)
    expect(tv.locator("tr.latest .window")).to_have_text("3")

    operator.get_by_role("button", name="Citizen came: start").click()
    operator.get_by_role("link", name="Register an application for this citizen").click()
    operator.select_option("#id_service", label="FHDY-01 · Birth registration")
    operator.fill("#id_applicant_name", "Yusupova Malika Anvarovna")
    operator.fill("#id_applicant_id_number", VALID_PINFL)
    operator.fill("#id_applicant_phone", "+998901234567")
    operator.select_option("#id_fee_status", "paid")
    operator.get_by_role("button", name="Register").click()
    expect(operator.locator("h1 .status")).to_have_text("Received")
    number = operator.locator("h1").inner_text().split()[0]
    operator.get_by_role("button", name="Start review").click()
    expect(operator.locator("h1 .status")).to_have_text("In review")
    feedback_url = operator.locator("#feedback-link").get_attribute("href")

    manager = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(manager, base, "aziz.manager")
    manager.goto(f"{base}/applications/?q={number}")
    manager.get_by_role("link", name=number).click()
    manager.get_by_role("button", name="Approve").click()
    expect(manager.locator("h1 .status")).to_have_text("Approved")

    operator.reload()
    operator.get_by_role("button", name="Issue to the citizen").click()
    expect(operator.locator("h1 .status")).to_have_text("Issued to the citizen")

    citizen = browser.new_page(viewport={"width": 360, "height": 740})
    citizen.goto(feedback_url)
    citizen.locator("label", has_text="2").first.click()
    citizen.fill("#id_comment", "Long wait at the door")
    citizen.get_by_role("button", name="Send").click()
    expect(citizen.locator("h1")).to_have_text("Thank you!")

    manager.goto(f"{base}/feedback/scores/")
    expect(manager.locator("main")).to_contain_text("2.0")
    manager.goto(f"{base}/feedback/")
    expect(manager.locator("main")).to_contain_text("Long wait at the door")
    manager.goto(f"{base}/applications/overdue/")
    expect(manager.locator("main")).to_contain_text(overdue.number)
