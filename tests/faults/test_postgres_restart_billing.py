"""PostgreSQL restarted during a billing run: the run keeps exactly its committed chunks and stays resumable; run
again it bills every account once, to the tiyin of an uninterrupted run — and the background task does that by
itself, reconnecting after the restart.

The restart is simulated by terminating every backend of the test database (tests/faults/helpers.py) at a chosen
statement of the run: inside a chunk (its invoices inserted, its checkpoint not yet moved) or between two chunks.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import OperationalError
from django.test import override_settings

from khizmat.billing import services
from khizmat.billing.choices import BillingService, RunStatus, SubscriberStatus, TariffUnit
from khizmat.billing.models import BillingRun, Invoice, Subscriber
from khizmat.billing.money import prorated_amount
from khizmat.billing.tasks import execute_billing_run
from khizmat.billing.tests.factories import (
    BillingPeriodFactory,
    BillingRunFactory,
    SubscriberCategoryFactory,
    TariffFactory,
)
from khizmat.tenancy.tests.factories import SettlementFactory
from tests.faults.helpers import FaultAt, postgresql_only, run_in_thread

pytestmark = [
    postgresql_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ACCOUNTS = 300
CHUNK = 25
MONTH = datetime.date(2026, 1, 1)
MONTH_END = datetime.date(2026, 1, 31)
RUN_TABLE = BillingRun._meta.db_table

# Where the connection drops: the 4th chunk's checkpoint UPDATE (its INSERT…SELECT of invoices is done, in the same
# transaction), or the lock of the 5th chunk's run row (four chunks committed, nothing of the fifth begun).
INSIDE_CHUNK = (
    lambda sql: sql.startswith("UPDATE") and RUN_TABLE in sql and "last_subscriber_id" in sql,
    4,
    3,
)
BETWEEN_CHUNKS = (lambda sql: RUN_TABLE in sql and "FOR UPDATE" in sql, 5, 4)


def build_accounts(organization) -> dict:
    """Accounts of a few shapes (prorated, suspended, nobody living there, two tariffs) and the control: the
    invoices an uninterrupted run writes, computed here in Python, line by line."""
    category = SubscriberCategoryFactory(organization=organization, code="house")
    tariffs = [
        TariffFactory(
            organization=organization, category=category, unit=TariffUnit.PERSON, price=Decimal("25.00")
        ),
        TariffFactory(
            organization=organization,
            category=category,
            service=BillingService.STREET_CLEANING,
            unit=TariffUnit.HOUSEHOLD,
            price=Decimal("10.35"),
        ),
    ]
    settlement = SettlementFactory()
    accounts = Subscriber.objects.bulk_create(
        Subscriber(
            organization=organization,
            number=f"{n + 1:07d}",
            holder_name=f"Holder {n}",
            settlement=settlement,
            street="Main street",
            house=str(n),
            category=category,
            residents=n % 5,
            contract_start=MONTH.replace(day=n % 28 + 1) if n % 7 == 0 else datetime.date(2020, 1, 1),
            status=SubscriberStatus.SUSPENDED if n % 23 == 0 else SubscriberStatus.ACTIVE,
            search_key="",
        )
        for n in range(ACCOUNTS)
    )
    expected = {}
    for account in accounts:
        if account.status == SubscriberStatus.SUSPENDED:
            continue
        days = (MONTH_END - max(account.contract_start, MONTH)).days + 1
        for tariff in tariffs:
            quantity = account.residents if tariff.unit == TariffUnit.PERSON else 1
            if quantity:
                expected[(account.pk, tariff.service)] = prorated_amount(
                    price=tariff.price,
                    quantity=quantity,
                    days_billed=days,
                    days_in_period=31,
                    discount_percent=0,
                )
    return expected


def queued_run(organization) -> BillingRun:
    # Created directly: billing_run_start would run it at once (the test settings' immediate task backend).
    period = BillingPeriodFactory(organization=organization, month=MONTH)
    return BillingRunFactory(organization=organization, period=period, status=RunStatus.QUEUED)


def invoices_of(run) -> dict:
    rows = list(Invoice.objects.filter(run=run).values_list("subscriber_id", "service", "amount"))
    lines = {(subscriber, service): amount for subscriber, service, amount in rows}
    assert len(lines) == len(rows), "an account was billed twice for one service"
    return lines


def assert_complete(run, expected) -> None:
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    assert invoices_of(run) == expected  # every line once, with the amount of an uninterrupted run
    assert run.invoice_count == len(expected)
    assert run.total_amount == sum(expected.values(), Decimal("0.00"))
    assert run.processed_accounts == ACCOUNTS


@pytest.mark.parametrize("fault", [INSIDE_CHUNK, BETWEEN_CHUNKS], ids=["inside-a-chunk", "between-chunks"])
def test_a_run_cut_off_by_a_restart_keeps_its_committed_chunks_and_a_retry_completes_it(org_b, fault):
    expected = build_accounts(org_b)
    run = queued_run(org_b)
    matches, nth, committed = fault
    ids = list(Subscriber.objects.filter(organization=org_b).order_by("pk").values_list("pk", flat=True))
    cut = FaultAt(matches, nth)

    _result, error = run_in_thread(
        lambda: services.billing_run_execute(run_id=run.pk, chunk_size=CHUNK), fault=cut
    )

    assert cut.fired
    assert isinstance(error, OperationalError), error
    # Nothing partial: the committed chunks with their checkpoint, nothing of the chunk cut off.
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # resumable: «Queue the run again», khizmat billing_resume
    checkpoint = ids[committed * CHUNK - 1]
    assert run.last_subscriber_id == checkpoint
    assert run.processed_accounts == committed * CHUNK
    written = invoices_of(run)
    assert written == {line: amount for line, amount in expected.items() if line[0] <= checkpoint}
    assert run.invoice_count == len(written)

    # The retry (the task queued again) completes the run exactly.
    services.billing_run_execute(run_id=run.pk, chunk_size=CHUNK)
    assert_complete(run, expected)


@override_settings(BILLING_CHUNK_SIZE=CHUNK, TASKS_RECONNECT_DELAYS=[0, 0.1])
def test_the_billing_task_reconnects_after_a_restart_and_finishes_the_run(org_b):
    expected = build_accounts(org_b)
    run = queued_run(org_b)
    cut = FaultAt(INSIDE_CHUNK[0], INSIDE_CHUNK[1])

    status, error = run_in_thread(lambda: execute_billing_run.call(run_id=run.pk), fault=cut)

    assert cut.fired
    assert error is None, error
    assert status == RunStatus.DRAFT
    assert_complete(run, expected)
