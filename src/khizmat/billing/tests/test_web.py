"""The billing pages: cashier search and payment, receipt, Z-report, runs with progress, arrears, tariffs."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from khizmat.billing import services
from khizmat.billing.choices import PaymentMethod, RunStatus, SubscriberStatus
from khizmat.billing.models import BillingRun, CashClosing, LedgerEntry, Payment, Subscriber, Tariff
from khizmat.billing.tests.factories import (
    CashDeskFactory,
    SubscriberCategoryFactory,
    SubscriberFactory,
    TariffFactory,
)
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import SettlementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_b(member, org_b):
    return member(org_b, Role.MANAGER)


@pytest.fixture
def desk(org_b):
    return CashDeskFactory(organization=org_b, code="w1", name="Window 1")


@pytest.fixture
def account(org_b):
    return SubscriberFactory(organization=org_b, holder_name="Асанбеков Нурбек", street="Ленин", house="12")


def test_cashier_finds_an_account_in_either_script(client_of, cashier_b, account, org_b):
    SubscriberFactory(organization=org_b, holder_name="Осмонова Айгүл")
    client = client_of(cashier_b)
    for query in ("Асанбеков", "Asanbekov", "asanbekov nurbek", account.number):
        page = client.get(reverse("billing:cashier"), {"q": query})
        assert page.status_code == 200
        assert account.holder_name in page.content.decode(), query
        assert "Осмонова" not in page.content.decode()
    partial = client.get(reverse("billing:cashier"), {"q": "Asanbekov"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and account.number in partial.content.decode()


def test_a_double_submitted_payment_posts_once_and_prints_a_receipt(client_of, cashier_b, account, desk):
    client = client_of(cashier_b)
    form = client.get(reverse("billing:payment_add", args=[account.pk]))
    key = form.context["form"].initial["key"]
    data = {"amount": "150,00".replace(",", "."), "desk": desk.pk, "payer_name": "", "key": key}
    first = client.post(reverse("billing:payment_add", args=[account.pk]), data)
    second = client.post(reverse("billing:payment_add", args=[account.pk]), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    payment = Payment.objects.get(subscriber=account)
    assert payment.receipt_number == 1 and payment.amount == Decimal("150.00")
    assert LedgerEntry.objects.filter(subscriber=account).count() == 1
    receipt = client.get(reverse("billing:payment_receipt", args=[payment.pk]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_a_bad_amount_is_refused_with_a_message(client_of, cashier_b, account, desk):
    page = client_of(cashier_b).post(
        reverse("billing:payment_add", args=[account.pk]), {"amount": "-5", "desk": desk.pk, "key": "k-1"}
    )
    assert page.status_code == 400
    assert not Payment.objects.exists()


def test_the_day_closes_only_when_it_balances_or_is_explained(client_of, cashier_b, account, desk, org_b):
    services.payment_post(
        actor=cashier_b,
        subscriber=account,
        amount="100",
        method=PaymentMethod.CASH,
        desk=desk,
        idempotency_key="a",
    )
    client = client_of(cashier_b)
    today = local_today(desk.organization).isoformat()
    page = client.get(reverse("billing:cash_closing"), {"desk": desk.pk, "date": today})
    assert page.context["summary"]["expected_cash"] == Decimal("100.00")
    short = client.post(
        reverse("billing:cash_closing"), {"desk": desk.pk, "date": today, "counted_cash": "90", "note": ""}
    )
    assert short.status_code == 400 and not CashClosing.objects.exists()
    done = client.post(
        reverse("billing:cash_closing"), {"desk": desk.pk, "date": today, "counted_cash": "100"}
    )
    assert done.status_code == 302
    closing = CashClosing.objects.get()
    assert (closing.payments_count, closing.first_receipt, closing.last_receipt) == (1, 1, 1)
    assert client.get(done["Location"]).status_code == 200


def test_a_manager_runs_watches_and_approves_billing(client_of, manager_b, org_b):
    category = SubscriberCategoryFactory(organization=org_b)
    TariffFactory(organization=org_b, category=category)
    SubscriberFactory.create_batch(3, organization=org_b, category=category)
    client = client_of(manager_b)
    month = local_today(org_b).replace(day=1) - datetime.timedelta(days=1)
    response = client.post(reverse("billing:period_list"), {"month": month.strftime("%Y-%m")})
    assert response.status_code == 302
    run = BillingRun.objects.get()
    # Tests run tasks on commit; here (inside the test transaction) the worker's part is called directly.
    services.billing_run_execute(run_id=run.pk)
    progress = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'value="100"' in progress.content.decode() and "hx-trigger" not in progress.content.decode()
    client.post(reverse("billing:billingrun_approve", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED
    assert client.get(reverse("billing:period_list")).status_code == 200
    assert client.get(reverse("billing:collection")).status_code == 200


def test_a_running_run_polls_its_progress(client_of, manager_b, org_b):
    run = BillingRun.objects.create(
        organization=org_b,
        period=services.period_get_or_open(organization=org_b, month=datetime.date(2026, 1, 1)),
        requested_at=timezone.now(),
        status=RunStatus.RUNNING,
        total_accounts=10,
        processed_accounts=4,
    )
    page = client_of(manager_b).get(reverse("billing:billingrun_detail", args=[run.pk]))
    assert 'hx-trigger="every 1s"' in page.content.decode() and 'value="40"' in page.content.decode()


def test_debtors_and_their_notices(client_of, manager_b, org_b, account, django_capture_on_commit_callbacks):
    services.adjustment_post(actor=manager_b, subscriber=account, amount="250", reason="Debt carried over")
    account.language = "ru"
    account.save()
    client = client_of(manager_b)
    page = client.get(reverse("billing:debtors"))
    assert [d.subscriber for d in page.context["debtors"]] == [account]
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("billing:debtor_notices"))
    notices = client.get(asked["Location"] + "file/")
    assert notices["Content-Type"] == "application/pdf"
    assert b"".join(notices.streaming_content).startswith(b"%PDF")


def test_subscriber_register_edit_close_and_adjust(client_of, member, org_b):
    manager = member(org_b, Role.MANAGER)
    category = SubscriberCategoryFactory(organization=org_b)
    settlement = SettlementFactory(district__region=org_b.region)
    client = client_of(manager)
    data = {
        "kind": "household",
        "holder_name": "Жумабаев Эрлан",
        "holder_id_number": "",
        "phone": "+996 700 123 456",
        "language": "ky",
        "settlement": settlement.pk,
        "street": "Токтогул",
        "house": "5",
        "category": category.pk,
        "residents": "3",
        "units": "0",
        "contract_start": "2026-01-01",
    }
    response = client.post(reverse("billing:subscriber_add"), data)
    assert response.status_code == 302, response.context["form"].errors
    subscriber = Subscriber.objects.get(holder_name="Жумабаев Эрлан")
    assert subscriber.number and subscriber.phone == "+996700123456"
    assert client.get(response["Location"]).status_code == 200
    client.post(
        reverse("billing:subscriber_status", args=[subscriber.pk]), {"status": "closed", "on": "2026-03-15"}
    )
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CLOSED and subscriber.contract_end == datetime.date(
        2026, 3, 15
    )
    client.post(
        reverse("billing:subscriber_adjust", args=[subscriber.pk]), {"amount": "-10", "reason": "Dispute"}
    )
    assert LedgerEntry.objects.get(subscriber=subscriber).amount == Decimal("-10.00")


def test_a_tariff_is_recorded_from_a_month(client_of, manager_b, org_b):
    category = SubscriberCategoryFactory(organization=org_b)
    client = client_of(manager_b)
    data = {
        "category": category.pk,
        "service": "waste",
        "unit": "person",
        "price": "22.50",
        "effective_from": "2026-03-01",
        "decision_number": "7/12",
        "decision_date": "2026-02-10",
        "council": "Toktogul town council",
    }
    assert client.post(reverse("billing:tariff_add"), data).status_code == 302
    assert Tariff.objects.get().currency == "KGS"
    mid_month = client.post(reverse("billing:tariff_add"), {**data, "effective_from": "2026-04-15"})
    assert mid_month.status_code == 400
    assert client.get(reverse("billing:tariff_list")).status_code == 200


def test_back_and_submit_again_takes_the_cash_once(client_of, cashier_b, account, desk):
    """The form shown again after Back carries a new key: the second submit asks for a confirmation."""
    client = client_of(cashier_b)
    url = reverse("billing:payment_add", args=[account.pk])
    data = {"amount": "150.00", "desk": desk.pk, "payer_name": ""}
    assert client.post(url, {**data, "key": "render-1"}).status_code == 302
    again = client.post(url, {**data, "key": "render-2"})
    assert again.status_code == 400
    assert 'type="checkbox" name="confirm_repeat"' in again.content.decode()
    assert Payment.objects.filter(subscriber=account).count() == 1
    confirmed = client.post(url, {**data, "key": "render-2", "confirm_repeat": "on"})
    assert confirmed.status_code == 302
    assert Payment.objects.filter(subscriber=account).count() == 2
