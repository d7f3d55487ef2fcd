"""Concurrent writers on PostgreSQL: OS processes post payments at one desk with overlapping idempotency keys while
another process runs a billing run. Each key posts once, receipts stay 1..N, the run bills every account once.
"""

import datetime
import multiprocessing
import queue
import time
import traceback
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db import connection, connections

from khizmat.billing import selectors, services
from khizmat.billing.choices import EntryKind, PaymentMethod, RunStatus, SubscriberStatus
from khizmat.billing.models import Invoice, LedgerEntry, Payment, PaymentRequest
from khizmat.billing.tests.factories import (
    BillingPeriodFactory,
    BillingRunFactory,
    CashDeskFactory,
    SubscriberCategoryFactory,
    SubscriberFactory,
    TariffFactory,
)
from khizmat.tenancy.roles import Role

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks between processes"
    ),
    # serialized_rollback like every transactional test here: its flush then skips post_migrate, whose recreated
    # content types would clash with the next serialized test's restore.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAYERS = 4
ROUNDS = 25
# Round r pairs the payers (0, 1) and (2, 3) on even rounds, (0, 2) and (1, 3) on odd ones: each key is posted by
# exactly two processes at about the same moment, and every pair of processes shares some keys.
PAIRINGS = [((0, 1), (2, 3)), ((0, 2), (1, 3))]
TIMEOUT = 60


def keys_of(payer: int) -> list[str]:
    keys = []
    for r in range(ROUNDS):
        for j, pair in enumerate(PAIRINGS[r % 2]):
            if payer in pair:
                keys.append(f"round-{r}-pair-{j}")
    return keys


def body_of(key: str, accounts: list[int]) -> tuple[int, Decimal]:
    """Both processes posting a key send the same body: the account and amount follow from the key."""
    r, j = int(key.split("-")[1]), int(key.split("-")[3])
    return accounts[(r * 2 + j) % len(accounts)], Decimal(10 + r) + Decimal(j) / 4


def _payer(payer: int, cashier_id: int, desk_id: int, accounts: list[int], results) -> None:
    connections.close_all()  # never touch the parent's sockets: open this process's own connection
    try:
        from django_scopes import scopes_disabled

        from khizmat.billing.models import CashDesk, Subscriber
        from khizmat.tenancy.models import User

        posted = []
        with scopes_disabled():
            cashier = User.objects.get(pk=cashier_id)
            desk = CashDesk.objects.select_related("organization").get(pk=desk_id)
            for key in keys_of(payer):
                account_id, amount = body_of(key, accounts)
                subscriber = Subscriber.objects.select_related("organization").get(pk=account_id)
                in_flight, give_up = 0, time.monotonic() + TIMEOUT / 2
                while True:
                    try:
                        payment, replayed = services.payment_post(
                            actor=cashier,
                            subscriber=subscriber,
                            amount=amount,
                            method=PaymentMethod.CASH,
                            desk=desk,
                            idempotency_key=key,
                        )
                        break
                    except services.PaymentInFlight:
                        # The other process holds the key: wait a moment and retry, as a client would.
                        in_flight += 1
                        assert time.monotonic() < give_up, f"{key} stayed in flight"
                        time.sleep(0.005)
                posted.append((key, payment.pk, replayed, payment.receipt_number, in_flight))
        results.put(("payer", payer, posted))
    except BaseException:
        results.put(("error", payer, traceback.format_exc()))
    finally:
        connections.close_all()


def _biller(run_id: int, results) -> None:
    connections.close_all()
    try:
        from django_scopes import scopes_disabled

        with scopes_disabled():
            run = services.billing_run_execute(run_id=run_id, chunk_size=2)
        results.put(("biller", run_id, run.status))
    except BaseException:
        results.put(("error", "biller", traceback.format_exc()))
    finally:
        connections.close_all()


def test_concurrent_payments_and_a_billing_run(org_b, member):
    cashier = member(org_b, Role.CASHIER)
    desk = CashDeskFactory(organization=org_b)
    category = SubscriberCategoryFactory(organization=org_b)
    TariffFactory(organization=org_b, category=category, price=Decimal("25.00"))
    accounts = SubscriberFactory.create_batch(40, organization=org_b, category=category, residents=2)
    SubscriberFactory(organization=org_b, category=category, status=SubscriberStatus.SUSPENDED)
    SubscriberFactory(organization=org_b, category=category, residents=0)  # nothing to bill
    account_ids = [a.pk for a in accounts]
    # A queued run, created directly: billing_run_start would enqueue it on commit, and the test settings'
    # immediate task backend would then run it here, before the processes start.
    period = BillingPeriodFactory(organization=org_b, month=datetime.date(2026, 1, 1))
    run = BillingRunFactory(organization=org_b, period=period, status=RunStatus.QUEUED)

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    connections.close_all()  # the children must not inherit an open connection
    processes = [
        context.Process(target=_payer, args=(p, cashier.pk, desk.pk, account_ids, results))
        for p in range(PAYERS)
    ]
    processes.append(context.Process(target=_biller, args=(run.pk, results)))
    started = time.monotonic()
    for process in processes:
        process.start()
    try:
        reports = [results.get(timeout=TIMEOUT) for _ in processes]
    except queue.Empty:
        pytest.fail(f"a process did not report; exit codes: {[p.exitcode for p in processes]}")
    for process in processes:
        process.join(timeout=TIMEOUT)
    elapsed = time.monotonic() - started
    errors = [r[2] for r in reports if r[0] == "error"]
    assert not errors, "\n".join(errors)
    assert all(p.exitcode == 0 for p in processes), [p.exitcode for p in processes]

    # Every attempt got the key's one payment: one process posted it, the other got a replay.
    attempts = defaultdict(list)
    for kind, _who, payload in reports:
        if kind == "payer":
            for key, payment_id, replayed, receipt, _waits in payload:
                attempts[key].append((payment_id, replayed, receipt))
    keys = {key for p in range(PAYERS) for key in keys_of(p)}
    assert set(attempts) == keys and len(keys) == ROUNDS * 2
    for key, seen in attempts.items():
        assert len(seen) == 2, key
        assert len({payment_id for payment_id, _r, _n in seen}) == 1, (key, seen)
        assert sorted(replayed for _p, replayed, _n in seen) == [False, True], (key, seen)

    payments = list(Payment.objects.filter(organization=org_b))
    assert sorted(p.idempotency_key for p in payments) == sorted(keys)
    for payment in payments:
        assert (payment.subscriber_id, payment.amount) == body_of(payment.idempotency_key, account_ids)
    entries = Counter(
        LedgerEntry.objects.filter(organization=org_b, kind=EntryKind.PAYMENT).values_list(
            "payment_id", flat=True
        )
    )
    assert entries == Counter({p.pk: 1 for p in payments})
    assert not LedgerEntry.objects.filter(organization=org_b).exclude(kind=EntryKind.PAYMENT).exists()
    assert sorted(p.receipt_number for p in payments) == list(range(1, len(keys) + 1))
    assert set(PaymentRequest.objects.filter(organization=org_b).values_list("payment_id", flat=True)) == {
        p.pk for p in payments
    }

    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    billed = list(Invoice.objects.filter(run=run).values_list("subscriber_id", "amount"))
    assert sorted(billed) == sorted((pk, Decimal("50.00")) for pk in account_ids)
    assert (run.invoice_count, run.total_amount) == (40, Decimal("2000.00"))

    for account in accounts:
        total = sum(
            LedgerEntry.objects.filter(organization=org_b, subscriber=account).values_list(
                "amount", flat=True
            ),
            Decimal("0.00"),
        )
        paid = sum((p.amount for p in payments if p.subscriber_id == account.pk), Decimal("0.00"))
        assert selectors.subscriber_balance(subscriber=account) == total == -paid
    assert elapsed < TIMEOUT
