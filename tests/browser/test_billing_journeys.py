"""Billing in headless Chromium: the cashier's search, payment and receipt; a manager's billing run with its
progress bar; an Excel import with bad rows that shows every error and imports nothing."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from khizmat.billing.models import BillingRun, Payment, Subscriber
from khizmat.billing.tests.factories import (
    CashDeskFactory,
    SubscriberCategoryFactory,
    SubscriberFactory,
    TariffFactory,
)
from khizmat.tenancy.roles import Role
from tests.browser.journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_cashier_finds_an_account_in_both_scripts_and_takes_cash(live_server, browser, org_b, member):
    base = live_server.url
    member(org_b, Role.CASHIER, username="aigul.cashier", language="en")
    CashDeskFactory(organization=org_b, code="k1", name="Window 1")
    account = SubscriberFactory(organization=org_b, holder_name="Токтосунов Бакыт", street="Ленин", house="7")
    SubscriberFactory(organization=org_b, holder_name="Осмонова Айгүл", street="Ленин", house="9")

    page = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(page, base, "aigul.cashier")
    page.goto(f"{base}/billing/cash/")
    # Cyrillic, then Latin: the same account, without pressing Enter (htmx search as you type).
    page.fill("#cashier-q", "Токтосунов")
    expect(page.locator("#cashier-results")).to_contain_text(account.number)
    expect(page.locator("#cashier-results")).not_to_contain_text("Осмонова")
    page.fill("#cashier-q", "toktosunov bakyt")
    expect(page.locator("#cashier-results")).to_contain_text("Токтосунов Бакыт")
    page.locator("#cashier-results").get_by_role("link", name="Take a payment").click()

    page.fill("#id_amount", "250.50")
    page.get_by_role("button", name="Receive and print the receipt").click()
    expect(page.locator(".messages")).to_contain_text("Receipt № 1")
    expect(page.locator("#payment-amount")).to_contain_text("250.50")
    with page.expect_popup() as popup:
        page.locator("#print-receipt").click()
    receipt_url = popup.value.url
    response = page.request.get(receipt_url)
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    payment = Payment.objects.get(subscriber=account)
    assert (payment.amount, payment.receipt_number) == (Decimal("250.50"), 1)


def test_a_manager_runs_billing_and_watches_the_progress_bar(
    live_server, browser, org_b, member, monkeypatch
):
    from khizmat.billing import services, tasks

    base = live_server.url
    member(org_b, Role.MANAGER, username="nurbek.manager", language="en")
    category = SubscriberCategoryFactory(organization=org_b)
    TariffFactory(organization=org_b, category=category)
    SubscriberFactory.create_batch(30, organization=org_b, category=category)

    # Keep the run queued, as a busy worker would, so that the page shows it waiting and then moving.
    class HeldTask:
        def enqueue(self, **kwargs):
            return None

    monkeypatch.setattr(tasks, "execute_billing_run", HeldTask())
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(page, base, "nurbek.manager")
    page.goto(f"{base}/billing/periods/")
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    page.fill("#id_month", last_month.strftime("%Y-%m"))
    page.locator("#run-billing").click()
    expect(page.locator("#run-status")).to_have_text("Waiting to start")
    expect(page.locator("#run-bar")).to_have_attribute("value", "0")

    run = BillingRun.objects.get()
    services.billing_run_execute(run_id=run.pk, chunk_size=7)  # what the worker does
    # The page polls every second: the bar fills and the approval button appears without a reload.
    expect(page.locator("#run-bar")).to_have_attribute("value", "100", timeout=5000)
    expect(page.locator("#run-status")).to_contain_text("Draft")
    expect(page.locator("#run-invoices")).to_have_text("30")
    page.locator("#approve-run").click()
    expect(page.locator("#run-status")).to_have_text("Approved")
    run.refresh_from_db()
    assert run.status == "approved" and Subscriber.objects.filter(organization=org_b).count() == 30


def test_an_excel_import_with_bad_rows_shows_every_error_and_imports_nothing(
    live_server, browser, org_b, member, tmp_path
):
    import io

    from openpyxl import Workbook

    from khizmat.tenancy.tests.factories import DistrictFactory, SettlementFactory

    base = live_server.url
    member(org_b, Role.OPERATOR, username="erlan.operator", language="en")
    district = DistrictFactory(region=org_b.region, name="Toktogul district")
    SettlementFactory(district=district, name="Toktogul", name_ky="Токтогул")
    SubscriberCategoryFactory(organization=org_b, code="house", name="Private house", name_ru="Частный дом")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ФИО", "Населенный пункт", "Улица", "Дом", "Категория", "Кол-во жильцов", "Дата договора"])
    sheet.append(["Токтосунов Бакыт", "Токтогул", "Ленина", "1", "house", 4, "01.03.2021"])
    sheet.append(["", "Токтогул", "Ленина", "2", "house", 3, "01.03.2021"])  # no name
    sheet.append(["Осмонова Айгүл", "Атлантида", "Ленина", "3", "house", 2, "01.03.2021"])  # unknown place
    sheet.append(["Исаков Улан", "Токтогул", "Ленина", "4", "дача", "много", "32.13.2021"])  # three bad cells
    sheet.append(
        ["Сыдыков Эмил", "Токтогул", "Ленина", "1", "house", 2, "01.03.2021"]
    )  # same address as row 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "abonenty.xlsx"
    path.write_bytes(buffer.getvalue())

    page = browser.new_page(viewport={"width": 1366, "height": 768})
    log_in(page, base, "erlan.operator")
    page.goto(f"{base}/billing/imports/")
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("button", name="Check").click()
    errors = page.locator("#import-errors tr.import-error")
    expect(errors.first).to_be_visible()
    rows_with_errors = {int(text) for text in errors.locator("td:first-child").all_inner_texts()}
    assert rows_with_errors == {3, 4, 5, 6}, rows_with_errors
    assert errors.count() >= 6  # row 5 alone has three
    expect(page.get_by_role("button", name="Import 5 subscribers")).to_have_count(0)
    assert Subscriber.objects.filter(organization=org_b).count() == 0
