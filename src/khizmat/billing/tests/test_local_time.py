"""The cash desk works in the organization's own time: a payment at 07:35 in Toktogul prints 07:35 on its receipt
(first print and reprint), in the API and on the day's list, and the cash day turns over at local midnight — not at
the server's (Asia/Tashkent, or UTC) midnight."""

import datetime
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from khizmat.billing import services
from khizmat.billing.choices import PaymentMethod
from khizmat.billing.tests.factories import CashDeskFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

BISHKEK = ZoneInfo("Asia/Bishkek")


@pytest.fixture
def day():
    # Yesterday in Bishkek, so that logins made with the real clock stay valid under a patched one.
    return timezone.localdate(timezone.now(), BISHKEK) - datetime.timedelta(days=1)


@pytest.fixture
def desk(org_b):
    return CashDeskFactory(organization=org_b)


def pay(cashier, desk, at: datetime.datetime, key: str):
    account = SubscriberFactory(organization=desk.organization)
    payment, _ = services.payment_post(
        actor=cashier,
        subscriber=account,
        amount=Decimal("100.00"),
        method=PaymentMethod.CASH,
        desk=desk,
        idempotency_key=key,
        received_at=at,
    )
    return payment


class _Html:
    """Stands in for WeasyPrint: the "PDF" is the HTML it was given, so the printed text can be read."""

    def __init__(self, string):
        self.string = string

    def write_pdf(self):
        return self.string.encode()


@override_settings(TIME_ZONE="Asia/Tashkent")
def test_a_morning_payment_in_toktogul_prints_local_time_everywhere(client, cashier_b, org_b, desk, day):
    payment = pay(cashier_b, desk, datetime.datetime.combine(day, datetime.time(7, 35), tzinfo=BISHKEK), "a")
    assert payment.received_on == day
    client.force_login(cashier_b)
    with mock.patch("weasyprint.HTML", _Html):
        for _print in ("receipt", "reprint"):
            receipt = client.get(f"/billing/payments/{payment.pk}/receipt.pdf").content.decode()
            assert "07:35" in receipt and "06:35" not in receipt
    detail = client.get(f"/billing/payments/{payment.pk}/").content.decode()
    assert "07:35" in detail
    closing = client.get(f"/billing/cash/closing/?desk={desk.pk}&date={day:%Y-%m-%d}").content.decode()
    assert "07:35" in closing
    # The request's zone does not leak into the next one (the worker serves other organizations too).
    assert timezone.get_current_timezone_name() == "Asia/Tashkent"

    api = APIClient()
    api.force_login(cashier_b)
    body = api.get(f"/api/v1/payments/{payment.pk}/", HTTP_X_KHIZMAT_ORGANIZATION=org_b.code).json()
    assert body["received_at"] == f"{day:%Y-%m-%d}T07:35:00+06:00"


@override_settings(TIME_ZONE="Asia/Tashkent")
def test_the_cash_day_turns_over_at_local_midnight(client, cashier_b, desk, day):
    evening = pay(cashier_b, desk, datetime.datetime.combine(day, datetime.time(23, 50), tzinfo=BISHKEK), "a")
    next_day = day + datetime.timedelta(days=1)
    after_midnight = datetime.datetime.combine(next_day, datetime.time(0, 30), tzinfo=BISHKEK)
    night = pay(cashier_b, desk, after_midnight, "b")
    assert (evening.received_on, night.received_on) == (day, next_day)
    assert services.cash_day_summary(desk=desk, date=day)["payments_count"] == 1
    assert services.cash_day_summary(desk=desk, date=next_day)["payments_count"] == 1

    # At 00:40 in Bishkek the cash desk's page opens on the new day (the server's zone still says yesterday).
    client.force_login(cashier_b)
    at_00_40 = after_midnight + datetime.timedelta(minutes=10)
    with mock.patch("django.utils.timezone.now", return_value=at_00_40):
        page = client.get(f"/billing/cash/closing/?desk={desk.pk}")
    assert page.context["date"] == next_day
    assert page.context["summary"]["payments_count"] == 1
