"""Payments post once per idempotency key, keep receipt numbers gap-free, reverse once, and close the cash day."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from khizmat.billing import selectors, services
from khizmat.billing.choices import EntryKind, PaymentMethod
from khizmat.billing.models import CashClosing, LedgerEntry, Payment, PaymentRequest
from khizmat.billing.money import quantize
from khizmat.billing.tests.factories import (
    CashDeskFactory,
    LedgerEntryFactory,
    PaymentRequestFactory,
    SubscriberFactory,
)
from khizmat.core.errors import DomainError
from khizmat.core.errors import PermissionDenied as DomainPermissionDenied
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db

PAYMENTS_URL = "/api/v1/payments/"


@pytest.fixture
def manager_b(member, org_b):
    return member(org_b, Role.MANAGER)


@pytest.fixture
def desk(org_b):
    return CashDeskFactory(organization=org_b)


@pytest.fixture
def account(org_b):
    account = SubscriberFactory(organization=org_b)
    LedgerEntryFactory(
        organization=org_b, subscriber=account, kind=EntryKind.ADJUSTMENT, amount=Decimal("500")
    )
    return account


def pay(actor, subscriber, amount="150.00", key="key-1", desk=None, method=PaymentMethod.CASH, **extra):
    return services.payment_post(
        actor=actor,
        subscriber=subscriber,
        amount=Decimal(amount),
        method=method,
        desk=desk,
        idempotency_key=key,
        **extra,
    )


def claim_fingerprint(subscriber, amount, method, desk) -> str:
    """The fingerprint payment_post computes for this body (to plant a claim of another, running request)."""
    return services.payment_fingerprint(
        subscriber.pk, quantize(Decimal(amount)), method, desk.pk if desk else ""
    )


def payment_entries(payment) -> list[tuple[str, Decimal]]:
    return sorted(LedgerEntry.objects.filter(payment=payment).values_list("kind", "amount"))


# --- Idempotency ---------------------------------------------------------------------------------------------------


def test_a_replay_returns_the_first_payment_and_posts_nothing(cashier_b, account, desk):
    first, replayed = pay(cashier_b, account, desk=desk)
    assert replayed is False
    assert first.receipt_number == 1
    assert payment_entries(first) == [(EntryKind.PAYMENT, Decimal("-150.00"))]

    again, replayed = pay(cashier_b, account, desk=desk)

    assert replayed is True
    assert again.pk == first.pk
    assert Payment.objects.filter(organization=account.organization).count() == 1
    assert LedgerEntry.objects.filter(subscriber=account, kind=EntryKind.PAYMENT).count() == 1
    assert selectors.subscriber_balance(subscriber=account) == Decimal("350.00")
    # The replay took no receipt number: the next payment is № 2.
    second, _ = pay(cashier_b, account, desk=desk, key="key-2", confirm_repeat=True)
    assert second.receipt_number == 2


@pytest.mark.parametrize(
    "change",
    [{"amount": "150.01"}, {"other_account": True}, {"method": PaymentMethod.BANK, "desk": None}],
    ids=["amount", "account", "method"],
)
def test_the_same_key_with_another_body_is_refused(cashier_b, org_b, account, desk, change):
    first, _ = pay(cashier_b, account, desk=desk)
    subscriber = SubscriberFactory(organization=org_b) if change.get("other_account") else account
    kwargs = {"desk": desk, **{k: v for k, v in change.items() if k != "other_account"}}

    with pytest.raises(DomainError) as error:
        pay(cashier_b, subscriber, **kwargs)

    assert error.value.code == "idempotency_key_reused"
    assert list(Payment.objects.filter(organization=org_b)) == [first]
    assert LedgerEntry.objects.filter(organization=org_b, kind=EntryKind.PAYMENT).count() == 1
    # The refused request did not disturb the claim: the original body still replays.
    assert pay(cashier_b, account, desk=desk) == (first, True)


def test_a_key_claimed_by_a_running_request_is_in_flight(cashier_b, org_b, account, desk):
    PaymentRequestFactory(
        organization=org_b,
        key="key-1",
        fingerprint=claim_fingerprint(account, "150.00", PaymentMethod.CASH, desk),
        locked_at=timezone.now(),
    )

    with pytest.raises(services.PaymentInFlight) as error:
        pay(cashier_b, account, desk=desk)

    assert error.value.code == "payment_in_flight"
    assert not Payment.objects.filter(organization=org_b).exists()
    # The other request's claim is left alone.
    claim = PaymentRequest.objects.get(organization=org_b, key="key-1")
    assert claim.payment_id is None and claim.locked_at is not None


def test_a_stale_claim_is_taken_over(cashier_b, org_b, account, desk):
    stale = timezone.now() - datetime.timedelta(minutes=2)
    PaymentRequestFactory(
        organization=org_b,
        key="key-1",
        fingerprint=claim_fingerprint(account, "150.00", PaymentMethod.CASH, desk),
        locked_at=stale,
    )

    payment, replayed = pay(cashier_b, account, desk=desk)

    assert replayed is False
    assert payment.receipt_number == 1
    claim = PaymentRequest.objects.get(organization=org_b, key="key-1")
    assert claim.payment_id == payment.pk and claim.locked_at is None
    assert pay(cashier_b, account, desk=desk) == (payment, True)


def test_a_failed_write_releases_the_key_for_a_retry(cashier_b, org_b, account, desk):
    desk.is_active = False
    desk.save(update_fields=["is_active"])

    with pytest.raises(DomainError) as error:
        pay(cashier_b, account, desk=desk)

    assert error.value.code == "desk_inactive"
    assert not PaymentRequest.objects.filter(organization=org_b, key="key-1").exists()
    assert not Payment.objects.filter(organization=org_b).exists()
    assert not LedgerEntry.objects.filter(organization=org_b, kind=EntryKind.PAYMENT).exists()

    desk.is_active = True
    desk.save(update_fields=["is_active"])
    payment, replayed = pay(cashier_b, account, desk=desk)

    assert replayed is False
    assert payment.receipt_number == 1  # the failed attempt used no number
    assert selectors.subscriber_balance(subscriber=account) == Decimal("350.00")


def test_a_key_released_while_a_retry_reads_it_is_not_a_server_error(
    cashier_b, org_b, account, desk, monkeypatch
):
    """Request A holds the key and fails, which deletes its claim; request B, a retry with the same key, met A's
    claim on INSERT and reads it just after the release. B must be told to retry (or post), not crash with
    PaymentRequest.DoesNotExist (HTTP 500). The release is placed in that window by wrapping the read."""
    PaymentRequestFactory(
        organization=org_b,
        key="key-1",
        fingerprint=claim_fingerprint(account, "150.00", PaymentMethod.CASH, desk),
        locked_at=timezone.now(),
    )
    claims = PaymentRequest.objects
    read = claims.select_related

    def released_meanwhile(*fields):
        PaymentRequest.objects.filter(organization=org_b, key="key-1", payment__isnull=True).delete()
        return read(*fields)

    monkeypatch.setattr(claims, "select_related", released_meanwhile)
    try:
        payment, replayed = pay(cashier_b, account, desk=desk)
    except services.PaymentInFlight:
        monkeypatch.undo()
        payment, replayed = pay(cashier_b, account, desk=desk)  # the client's retry
    assert replayed is False
    assert payment.receipt_number == 1


@pytest.mark.parametrize("key", ["", "   ", "k" * 101])
def test_a_payment_needs_a_usable_key(cashier_b, account, desk, key):
    with pytest.raises(DomainError) as error:
        pay(cashier_b, account, desk=desk, key=key)
    assert error.value.code == "bad_key"
    assert not PaymentRequest.objects.exists()


def test_a_cash_payment_needs_a_desk_of_the_organization(cashier_b, org_a, account):
    with pytest.raises(DomainError) as error:
        pay(cashier_b, account)
    assert error.value.code == "desk_required"
    with pytest.raises(DomainError) as error:
        pay(cashier_b, account, desk=CashDeskFactory(organization=org_a))
    assert error.value.code == "bad_desk"
    assert not PaymentRequest.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-5", "0.004", "100000000.01"])
def test_the_amount_must_be_positive_and_bounded(cashier_b, account, desk, amount):
    with pytest.raises(DomainError) as error:
        pay(cashier_b, account, desk=desk, amount=amount)
    assert error.value.code == "bad_amount"


# --- Permissions ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.MANAGER, Role.AUDITOR])
def test_a_role_without_the_cash_permission_is_refused(member, org_b, account, desk, role):
    with pytest.raises(DomainPermissionDenied):
        pay(member(org_b, role), account, desk=desk)
    assert not PaymentRequest.objects.exists()
    assert not Payment.objects.exists()


def test_a_cashier_of_another_organization_is_refused(member, org_a, account, desk):
    with pytest.raises(DomainPermissionDenied):
        pay(member(org_a, Role.CASHIER), account, desk=desk)
    assert not Payment.objects.exists()


# --- Reversal ------------------------------------------------------------------------------------------------------


def test_a_reversal_restores_the_balance_once(cashier_b, manager_b, account, desk):
    before = selectors.subscriber_balance(subscriber=account)
    payment, _ = pay(cashier_b, account, desk=desk, amount="120.50")
    assert selectors.subscriber_balance(subscriber=account) == before - Decimal("120.50")

    with pytest.raises(DomainPermissionDenied):
        services.payment_reverse(actor=cashier_b, payment=payment, reason="Wrong account")
    with pytest.raises(DomainError) as error:
        services.payment_reverse(actor=manager_b, payment=payment, reason="  ")
    assert error.value.code == "reason_required"

    reversed_ = services.payment_reverse(actor=manager_b, payment=payment, reason="Wrong account")

    assert reversed_.is_reversed and reversed_.reversed_by == manager_b
    assert reversed_.reversed_on == local_today(account.organization)
    assert payment_entries(payment) == sorted(
        [(EntryKind.PAYMENT, Decimal("-120.50")), (EntryKind.REVERSAL, Decimal("120.50"))]
    )
    assert selectors.subscriber_balance(subscriber=account) == before

    with pytest.raises(DomainError) as error:
        services.payment_reverse(actor=manager_b, payment=payment, reason="Again")
    assert error.value.code == "already_reversed"
    assert LedgerEntry.objects.filter(payment=payment).count() == 2
    assert selectors.subscriber_balance(subscriber=account) == before
    # The reversed payment keeps its key: a retry of the original request replays it, it does not post again.
    assert pay(cashier_b, account, desk=desk, amount="120.50") == (reversed_, True)


# --- Closing the cash day (Z-report) -------------------------------------------------------------------------------


def test_the_z_report_totals_the_day_and_closes_the_desk(cashier_b, manager_b, org_b, account, desk):
    other_desk = CashDeskFactory(organization=org_b)
    today = local_today(org_b)
    amounts = ["100.00", "250.50", "75.25", "40.00"]
    payments = [pay(cashier_b, account, desk=desk, amount=a, key=f"z-{i}")[0] for i, a in enumerate(amounts)]
    pay(cashier_b, account, desk=other_desk, amount="999.00", key="elsewhere")
    pay(cashier_b, account, amount="33.00", key="bank", method=PaymentMethod.BANK)
    services.payment_reverse(actor=manager_b, payment=payments[1], reason="Paid twice")

    summary = services.cash_day_summary(desk=desk, date=today)
    assert summary == {
        "payments_count": 4,
        "first_receipt": 1,
        "last_receipt": 4,
        "total_received": Decimal("465.75"),
        "reversals_count": 1,
        "total_reversed": Decimal("250.50"),
        "expected_cash": Decimal("215.25"),
        "gap_free": True,
    }

    with pytest.raises(DomainError) as error:
        services.cash_closing_create(actor=cashier_b, desk=desk, date=today, counted_cash=Decimal("215.00"))
    assert error.value.code == "cash_difference"
    assert not CashClosing.objects.exists()
    with pytest.raises(DomainPermissionDenied):
        services.cash_closing_create(actor=manager_b, desk=desk, date=today, counted_cash=Decimal("215.25"))

    closing = services.cash_closing_create(
        actor=cashier_b, desk=desk, date=today, counted_cash=Decimal("215.00"), note="25 tyiyn short"
    )

    closing.refresh_from_db()
    assert (closing.payments_count, closing.first_receipt, closing.last_receipt) == (4, 1, 4)
    assert (closing.total_received, closing.reversals_count, closing.total_reversed) == (
        Decimal("465.75"),
        1,
        Decimal("250.50"),
    )
    assert (closing.expected_cash, closing.counted_cash, closing.difference) == (
        Decimal("215.25"),
        Decimal("215.00"),
        Decimal("-0.25"),
    )
    assert closing.note == "25 tyiyn short" and closing.cashier == cashier_b
    assert closing.currency == org_b.currency

    with pytest.raises(DomainError) as error:
        services.cash_closing_create(actor=cashier_b, desk=desk, date=today, counted_cash=Decimal("215.25"))
    assert error.value.code == "already_closed"

    # After the closing the desk takes nothing more today, and the refused request leaves its key free.
    with pytest.raises(DomainError) as error:
        pay(cashier_b, account, desk=desk, key="late")
    assert error.value.code == "desk_closed"
    assert not PaymentRequest.objects.filter(organization=org_b, key="late").exists()
    assert Payment.objects.filter(organization=org_b, desk=desk).count() == 4
    with pytest.raises(DomainError) as error:
        services.payment_reverse(actor=manager_b, payment=payments[0], reason="Too late")
    assert error.value.code == "desk_closed"
    # Other desks and bank payments go on.
    assert pay(cashier_b, account, desk=other_desk, key="late-2")[0].receipt_number == 2
    assert pay(cashier_b, account, key="late-3", method=PaymentMethod.BANK)[0].receipt_number is None


def test_an_exact_count_closes_without_a_note(cashier_b, account, desk):
    pay(cashier_b, account, desk=desk, amount="10.00")
    closing = services.cash_closing_create(
        actor=cashier_b, desk=desk, date=local_today(desk.organization), counted_cash=Decimal("10.00")
    )
    assert closing.difference == Decimal("0.00") and closing.note == ""


def test_an_empty_day_closes_with_no_receipts(cashier_b, desk):
    closing = services.cash_closing_create(
        actor=cashier_b, desk=desk, date=local_today(desk.organization), counted_cash=Decimal("0")
    )
    assert (closing.payments_count, closing.first_receipt, closing.last_receipt) == (0, None, None)
    assert closing.expected_cash == Decimal("0.00")


# --- API -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def api(cashier_b):
    client = APIClient()
    client.force_login(cashier_b)
    return client


def post_payment(client, body, key: str | None = "api-1", **headers):
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(PAYMENTS_URL, body, format="json", **headers)


def cash_body(account, desk, amount="150.00"):
    return {"subscriber": account.pk, "amount": amount, "method": PaymentMethod.CASH, "desk": desk.pk}


def test_api_posts_once_and_replays(api, org_b, account, desk):
    created = post_payment(api, cash_body(account, desk), HTTP_X_KHIZMAT_ORGANIZATION=org_b.code)
    assert created.status_code == 201, created.content
    assert created["Idempotent-Replayed"] == "false"
    body = created.json()
    assert (body["receipt_number"], body["amount"], body["idempotency_key"]) == (1, "150.00", "api-1")

    replay = post_payment(api, cash_body(account, desk))

    assert replay.status_code == 200, replay.content
    assert replay["Idempotent-Replayed"] == "true"
    assert replay.json()["id"] == body["id"]
    assert LedgerEntry.objects.filter(subscriber=account, kind=EntryKind.PAYMENT).count() == 1

    reused = post_payment(api, cash_body(account, desk, amount="151.00"))
    assert reused.status_code == 409
    assert reused.json()["code"] == "idempotency_key_reused"


def test_api_requires_the_idempotency_key(api, account, desk):
    response = post_payment(api, cash_body(account, desk), key=None)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_key"
    assert post_payment(api, cash_body(account, desk), key="  ").status_code == 400
    assert not Payment.objects.exists() and not PaymentRequest.objects.exists()


def test_api_answers_409_while_the_key_is_in_flight(api, org_b, account, desk):
    PaymentRequestFactory(
        organization=org_b,
        key="api-1",
        fingerprint=claim_fingerprint(account, "150.00", PaymentMethod.CASH, desk),
        locked_at=timezone.now(),
    )
    response = post_payment(api, cash_body(account, desk))
    assert response.status_code == 409
    assert response.json()["code"] == "payment_in_flight"
    assert not Payment.objects.exists()


def test_api_refuses_another_tenants_account_and_desk(api, org_a, account, desk):
    foreign = SubscriberFactory(organization=org_a)
    response = post_payment(api, cash_body(foreign, desk))
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_subscriber"

    foreign_desk = CashDeskFactory(organization=org_a)
    response = post_payment(api, cash_body(account, foreign_desk))
    assert response.status_code == 422
    assert response.json()["code"] == "bad_desk"
    assert not Payment.objects.exists() and not PaymentRequest.objects.exists()


def test_api_refuses_a_role_without_the_cash_permission(member, org_b, account, desk):
    client = APIClient()
    client.force_login(member(org_b, Role.OPERATOR))
    response = post_payment(client, cash_body(account, desk))
    assert response.status_code == 403
    assert not Payment.objects.exists()


def test_api_reverses_a_payment(api, manager_b, cashier_b, account, desk):
    payment, _ = pay(cashier_b, account, desk=desk)
    url = f"{PAYMENTS_URL}{payment.pk}/reverse/"
    assert api.post(url, {"reason": "Wrong account"}, format="json").status_code == 403

    client = APIClient()
    client.force_login(manager_b)
    response = client.post(url, {"reason": "Wrong account"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["reversed_by"] == manager_b.pk
    again = client.post(url, {"reason": "Wrong account"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "already_reversed"
    assert selectors.subscriber_balance(subscriber=account) == Decimal("500.00")


# --- A resubmitted cash form, the receipt's balance, the day's closing ---------------------------------------------


def test_the_same_cash_again_under_a_new_key_needs_a_confirmation(cashier_b, account, desk):
    """Back, then submit again: the page came back with a new key; the server still takes the cash once."""
    first, _ = pay(cashier_b, account, desk=desk, key="form-1")
    with pytest.raises(DomainError) as error:
        pay(cashier_b, account, desk=desk, key="form-2")
    assert error.value.code == "possible_duplicate"
    assert Payment.objects.filter(subscriber=account).count() == 1
    assert not PaymentRequest.objects.filter(key="form-2").exists()  # the key is free for the confirmed retry
    # Another amount, or the cashier's confirmation, is another payment.
    assert pay(cashier_b, account, desk=desk, key="form-3", amount="20.00")[0].receipt_number == 2
    again, replayed = pay(cashier_b, account, desk=desk, key="form-2", confirm_repeat=True)
    assert not replayed and again.receipt_number == 3
    assert Payment.objects.filter(subscriber=account).count() == 3


def test_the_receipt_keeps_the_balance_after_its_payment(cashier_b, org_b, account, desk, client_of):
    from unittest.mock import patch

    from django.urls import reverse

    first, _ = pay(cashier_b, account, desk=desk, amount="150.00", key="b-1")
    pay(cashier_b, account, desk=desk, amount="100.00", key="b-2")
    first.refresh_from_db()
    assert first.balance_after == Decimal(
        "350.00"
    )  # 500 owed, 150 paid; the later 100 is not on this receipt
    with patch("khizmat.billing.views.cash.render_pdf", return_value=b"%PDF") as render:
        client_of(cashier_b).get(reverse("billing:payment_receipt", args=[first.pk]))
    assert render.call_args.args[1]["balance"] == Decimal("350.00")


def test_a_day_that_has_not_come_cannot_be_closed(cashier_b, org_b, desk):
    tomorrow = services.local_today(org_b) + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as error:
        services.cash_closing_create(actor=cashier_b, desk=desk, date=tomorrow, counted_cash=Decimal("0"))
    assert error.value.code == "closing_in_future"
    assert not CashClosing.objects.exists()


def test_api_asks_to_confirm_the_same_cash_under_a_new_key(api, account, desk):
    assert post_payment(api, cash_body(account, desk), key="api-a").status_code == 201
    repeated = post_payment(api, cash_body(account, desk), key="api-b")
    assert repeated.status_code == 409 and repeated.json()["code"] == "possible_duplicate"
    confirmed = post_payment(api, {**cash_body(account, desk), "confirm_repeat": True}, key="api-b")
    assert confirmed.status_code == 201
    assert Payment.objects.filter(subscriber=account).count() == 2
