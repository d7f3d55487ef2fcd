"""A billing run killed half-way (SIGKILL of a real OS process, in the middle of a chunk) resumes exactly after its
last committed chunk: no account is billed twice, none is skipped, and the totals count each invoice once.

To kill the process *inside* a chunk deterministically, a second connection of the test holds an uncommitted
invoice row for one account deep in the list (same run, account and service). The run's INSERT…SELECT reaches
that account's row and waits on the unique index for the test's transaction; by then earlier chunks have committed.
The test sees the wait in ``pg_stat_activity``, kills the process, and rolls its own row back: the killed backend
then finishes its statement, finds its client gone and aborts the chunk, checkpoint included.
"""

import datetime
import os
import signal
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.db.models import Max, Sum

from khizmat.billing import services
from khizmat.billing.choices import BillingService, RunStatus, SubscriberKind, SubscriberStatus, TariffUnit
from khizmat.billing.models import BillingRun, Invoice, Subscriber
from khizmat.billing.money import prorated_amount
from khizmat.billing.tests.factories import (
    BillingPeriodFactory,
    BillingRunFactory,
    SubscriberCategoryFactory,
    TariffFactory,
)
from khizmat.tenancy.tests.factories import SettlementFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="kills a PostgreSQL client process mid-transaction"
    ),
    # serialized_rollback like every transactional test here: its flush then skips post_migrate, whose recreated
    # content types would clash with the next serialized test's restore.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ACCOUNTS = 3000
CHUNK = 20
BLOCK_AT = 1000  # the first billable household at or after this position holds the run up
MONTH = datetime.date(2026, 1, 1)
MONTH_END = datetime.date(2026, 1, 31)
TIMEOUT = 60

CHILD = """
import sys

import django

django.setup()

from django_scopes import scopes_disabled

from khizmat.billing import services

with scopes_disabled():
    run = services.billing_run_execute(run_id=int(sys.argv[1]), chunk_size=int(sys.argv[2]))
print("finished", run.status)
"""


def database_url_of_the_tests() -> str:
    """The URL of the database the tests run on (pytest-django's test database, not the configured one)."""
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(s['NAME'], safe='')}"


def build_accounts(organization) -> tuple[dict, dict]:
    """3,000 accounts of every shape; returns the tariffs by service and the expected invoice amounts."""
    houses = SubscriberCategoryFactory(organization=organization, code="house")
    shops = SubscriberCategoryFactory(organization=organization, code="shop", kind=SubscriberKind.BUSINESS)
    tariffs = {
        BillingService.WASTE_COLLECTION: TariffFactory(
            organization=organization, category=houses, unit=TariffUnit.PERSON, price=Decimal("25.00")
        ),
        BillingService.STREET_CLEANING: TariffFactory(
            organization=organization,
            category=houses,
            service=BillingService.STREET_CLEANING,
            unit=TariffUnit.HOUSEHOLD,
            price=Decimal("10.00"),
        ),
        BillingService.WATER_SUPPLY: TariffFactory(
            organization=organization,
            category=shops,
            service=BillingService.WATER_SUPPLY,
            unit=TariffUnit.CUBIC_METRE,
            price=Decimal("12.35"),
        ),
    }
    settlement = SettlementFactory()
    rows = []
    for n in range(ACCOUNTS):
        shop = n % 3 == 2
        start, end = datetime.date(2020, 1, 1), None
        if n % 11 == 0:  # joined during the month
            start = MONTH.replace(day=n % 28 + 1)
        if n % 13 == 0:  # left during the month
            end = max(start, MONTH.replace(day=n % 31 + 1))
        elif n % 17 == 0:  # left before the month: not billed
            end = datetime.date(2025, 12, 15) if start < MONTH else None
        elif n % 19 == 0:  # joins after the month: not billed
            start = datetime.date(2026, 2, 1)
        rows.append(
            Subscriber(
                organization=organization,
                number=f"{n + 1:07d}",
                kind=SubscriberKind.BUSINESS if shop else SubscriberKind.HOUSEHOLD,
                holder_name=f"Holder {n}",
                settlement=settlement,
                street=f"Street {n % 40}",
                house=str(n),
                category=shops if shop else houses,
                residents=0 if n % 37 == 0 else n % 6 + 1,
                units=Decimal(n % 7) + Decimal("0.125") if shop and n % 5 else Decimal("0"),
                contract_start=start,
                contract_end=end,
                status=SubscriberStatus.SUSPENDED if n % 50 == 0 else SubscriberStatus.ACTIVE,
                search_key="",
            )
        )
    accounts = Subscriber.objects.bulk_create(rows, batch_size=1000)
    expected = {}
    for account in accounts:
        if account.status == SubscriberStatus.SUSPENDED:
            continue
        start = max(account.contract_start, MONTH)
        end = min(account.contract_end or MONTH_END, MONTH_END)
        days = (end - start).days + 1
        for service, tariff in tariffs.items():
            if tariff.category_id != account.category_id:
                continue
            quantity = {TariffUnit.PERSON: account.residents, TariffUnit.HOUSEHOLD: 1}.get(
                tariff.unit, account.units
            )
            if quantity > 0 and days > 0:
                expected[(account.pk, service)] = prorated_amount(
                    price=tariff.price,
                    quantity=quantity,
                    days_billed=days,
                    days_in_period=31,
                    discount_percent=0,
                )
    return tariffs, expected


def wait_for(condition, what: str, child=None, stderr=None):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if child is not None and child.poll() is not None:
            stderr.seek(0)
            pytest.fail(
                f"the billing process ended (code {child.returncode}) before {what}; it was never held up "
                f"inside a chunk, so the test proves nothing:\n{stderr.read().decode(errors='replace')}"
            )
        time.sleep(0.02)
    pytest.fail(f"timed out waiting until {what}")


def on_citus() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')")
        return cursor.fetchone()[0]


# On Citus the rows live on the workers, so the wait happens there: citus_lock_waits names both sides by their global
# process id (the coordinator's node id × 10¹⁰ + the coordinator's pid).
GPID_BASE = 10**10


def backend_id_sql() -> str:
    return "SELECT citus_backend_gpid()" if on_citus() else "SELECT pg_backend_pid()"


def backends_waiting_for(blocker: int) -> list[int]:
    """The coordinator's (or the server's) pids of the sessions that wait for ``blocker``'s locks."""
    with connection.cursor() as cursor:
        if on_citus():
            cursor.execute(
                "SELECT DISTINCT waiting_gpid %% %s FROM citus_lock_waits WHERE blocking_gpid = %s",
                [GPID_BASE, blocker],
            )
        else:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [blocker]
            )
        return [row[0] for row in cursor.fetchall()]


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone() is not None


def test_a_killed_run_resumes_without_duplicates_or_gaps(org_b):
    tariffs, expected = build_accounts(org_b)
    period = BillingPeriodFactory(organization=org_b, month=MONTH)
    # Queued, and created directly: billing_run_start would run it at once (the immediate task backend).
    run = BillingRunFactory(organization=org_b, period=period, status=RunStatus.QUEUED)
    ids = list(Subscriber.objects.filter(organization=org_b).order_by("pk").values_list("pk", flat=True))
    held = next(pk for pk in ids[BLOCK_AT:] if (pk, BillingService.WASTE_COLLECTION) in expected)
    waste = tariffs[BillingService.WASTE_COLLECTION]

    blocker = connection.get_new_connection(
        connection.get_connection_params()
    )  # a second session, in a transaction
    blocker.autocommit = False
    with blocker.cursor() as cursor:
        cursor.execute(backend_id_sql())
        blocker_pid = cursor.fetchone()[0]
        cursor.execute(
            f"""INSERT INTO {connection.ops.quote_name(Invoice._meta.db_table)}
                (organization_id, run_id, period_id, subscriber_id, tariff_id, service, unit, quantity, price,
                 days_billed, days_in_period, discount_percent, amount, currency)
                VALUES (%s, %s, %s, %s, %s, %s, %s, 1, 0, 1, 31, 0, 0, %s)""",
            [org_b.pk, run.pk, period.pk, held, waste.pk, waste.service, waste.unit, waste.currency],
        )

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "khizmat.settings_test",
        "DATABASE_URL": database_url_of_the_tests(),
    }
    with tempfile.TemporaryFile() as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(run.pk), str(CHUNK)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            [child_backend] = wait_for(
                lambda: backends_waiting_for(blocker_pid),
                "the run reached the held account",
                child=child,
                stderr=stderr,
            )
            # Held inside a chunk: earlier chunks are committed with their checkpoint, the run is still running.
            run.refresh_from_db()
            assert run.status == RunStatus.RUNNING
            assert 0 < run.processed_accounts <= ids.index(held) < ACCOUNTS
            assert run.last_subscriber_id < held
            os.kill(child.pid, signal.SIGKILL)
            assert child.wait(timeout=TIMEOUT) == -signal.SIGKILL
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            blocker.rollback()
            blocker.close()
    wait_for(lambda: not backend_alive(child_backend), "the killed process's session ended")

    # The run is incomplete; what it wrote is exactly the committed chunks, up to the checkpoint.
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    checkpoint = run.last_subscriber_id
    assert 0 < checkpoint < held
    assert run.processed_accounts == ids.index(checkpoint) + 1
    written = set(Invoice.objects.filter(run=run).values_list("subscriber_id", "service"))
    assert written == {line for line in expected if line[0] <= checkpoint}
    assert run.invoice_count == len(written) < len(expected)

    resumed = services.billing_run_execute(run_id=run.pk, chunk_size=CHUNK)

    assert resumed.status == RunStatus.DRAFT
    rows = list(Invoice.objects.filter(run=run).values_list("subscriber_id", "service", "amount"))
    assert len(rows) == len(expected)  # one invoice per billable account and service: no duplicate…
    assert {(s, service): amount for s, service, amount in rows} == expected  # …and no gap, right amounts
    stored = BillingRun.objects.get(pk=run.pk)
    totals = Invoice.objects.filter(run=run).aggregate(total=Sum("amount"), last=Max("subscriber_id"))
    assert stored.invoice_count == len(rows)
    assert stored.total_amount == totals["total"] == sum(expected.values(), Decimal("0.00"))
    assert stored.processed_accounts == stored.total_accounts == ACCOUNTS  # every account scanned once
    assert stored.last_subscriber_id == ids[-1] >= totals["last"]
