"""Properties of the ledger: whatever happens, in whatever order, every balance is the sum of its entries and agrees
with the documents; the balance table equals a rebuild from the ledger; a period is posted once; receipts are
gap-free; arrears by age add up to the debt.

Each Hypothesis example runs inside a savepoint that is rolled back, so the fixtures (organization, accounts,
tariffs) are built once per test and every example starts from the same empty ledger.
"""

import contextlib
import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from khizmat.billing import selectors, services
from khizmat.billing.balances import problems as balance_problems
from khizmat.billing.choices import (
    BillingService,
    EntryKind,
    PaymentMethod,
    PeriodStatus,
    RunStatus,
    SubscriberKind,
    SubscriberStatus,
    TariffUnit,
)
from khizmat.billing.models import Adjustment, BillingRun, Invoice, LedgerEntry, Payment, Subscriber
from khizmat.billing.money import prorated_amount, quantize
from khizmat.billing.tests.factories import (
    CashDeskFactory,
    ExemptionFactory,
    LedgerEntryFactory,
    SubscriberCategoryFactory,
    SubscriberFactory,
    TariffFactory,
)
from khizmat.core.errors import DomainError
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ZERO = Decimal("0.00")


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def last_day(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


@contextlib.contextmanager
def rolled_back():
    """A savepoint undone at its end: each Hypothesis example leaves the database as it found it."""
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


# --- The world: accounts of every billing shape ---------------------------------------------------------------------


@dataclasses.dataclass
class World:
    organization: object
    manager: object
    cashier: object
    desks: list
    accounts: list[Subscriber]
    tariffs: list
    first_month: datetime.date


@pytest.fixture
def world(org_b, member):
    # Billed months lie wholly in the past, so every entry is dated on or before today (aging counts them all).
    first_month = add_months(local_today(org_b).replace(day=1), -12)
    people = SubscriberCategoryFactory(organization=org_b, code="house")
    metered = SubscriberCategoryFactory(organization=org_b, code="shop")
    tariffs = [
        TariffFactory(organization=org_b, category=people, unit=TariffUnit.PERSON, price=Decimal("25.00")),
        TariffFactory(  # the council raised the price from the third billed month on
            organization=org_b,
            category=people,
            unit=TariffUnit.PERSON,
            price=Decimal("30.00"),
            effective_from=add_months(first_month, 2),
        ),
        TariffFactory(
            organization=org_b,
            category=people,
            service=BillingService.STREET_CLEANING,
            unit=TariffUnit.HOUSEHOLD,
            price=Decimal("10.00"),
        ),
        TariffFactory(
            organization=org_b,
            category=metered,
            service=BillingService.WATER_SUPPLY,
            unit=TariffUnit.CUBIC_METRE,
            price=Decimal("12.35"),
        ),
    ]
    half = ExemptionFactory(organization=org_b, percent=Decimal("50"))
    full = ExemptionFactory(organization=org_b, name="Orphans", percent=Decimal("100"))
    unused = ExemptionFactory(organization=org_b, name="Old rule", percent=Decimal("30"), is_active=False)
    second = add_months(first_month, 1)
    third = add_months(first_month, 2)
    accounts = [
        SubscriberFactory(organization=org_b, category=people, residents=4),
        SubscriberFactory(
            organization=org_b,
            category=people,
            residents=3,
            exemption=half,
            contract_start=second.replace(day=11),
        ),
        SubscriberFactory(organization=org_b, category=people, residents=2, exemption=full),  # bills 0.00
        SubscriberFactory(
            organization=org_b,
            category=metered,
            units=Decimal("12.500"),
            contract_end=third.replace(day=20),
            status=SubscriberStatus.CLOSED,
        ),
        SubscriberFactory(organization=org_b, category=metered, units=Decimal("0"), exemption=unused),
        SubscriberFactory(
            organization=org_b, category=people, residents=5, status=SubscriberStatus.SUSPENDED
        ),
        SubscriberFactory(organization=org_b, category=people, residents=0),  # cleaning only
    ]
    return World(
        organization=org_b,
        manager=member(org_b, Role.MANAGER),
        cashier=member(org_b, Role.CASHIER),
        desks=[CashDeskFactory(organization=org_b), CashDeskFactory(organization=org_b)],
        accounts=accounts,
        tariffs=tariffs,
        first_month=first_month,
    )


def expected_invoices(world: World, month: datetime.date) -> dict[tuple[int, str], Decimal]:
    """The invoice lines of a month, worked out in Python from the accounts and tariffs (not from the run's SQL)."""
    end_of_month = last_day(month)
    in_force: dict[tuple[int, str], object] = {}
    for tariff in sorted(world.tariffs, key=lambda t: t.effective_from):
        if tariff.effective_from <= month:
            in_force[(tariff.category_id, tariff.service)] = tariff
    lines = {}
    for account in world.accounts:
        if account.status == SubscriberStatus.SUSPENDED:
            continue
        start = max(account.contract_start, month)
        end = min(account.contract_end or end_of_month, end_of_month)
        days_billed = (end - start).days + 1
        discount = account.exemption.percent if account.exemption and account.exemption.is_active else 0
        for (category_id, service), tariff in in_force.items():
            if category_id != account.category_id:
                continue
            quantity = {TariffUnit.PERSON: account.residents, TariffUnit.HOUSEHOLD: 1}.get(
                tariff.unit, account.units
            )
            if quantity <= 0 or days_billed <= 0:
                continue
            lines[(account.pk, service)] = prorated_amount(
                price=tariff.price,
                quantity=quantity,
                days_billed=days_billed,
                days_in_period=end_of_month.day,
                discount_percent=discount,
            )
    return lines


# --- Operations ----------------------------------------------------------------------------------------------------

ACCOUNT = st.integers(min_value=0, max_value=6)
AMOUNT = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000.00"), places=2)
SMALL_AMOUNT = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("300.00"), places=2)
PICK = st.integers(min_value=0, max_value=50)

OPERATIONS = st.one_of(
    st.tuples(st.just("bill"), st.booleans(), st.integers(min_value=2, max_value=5)),
    st.tuples(
        st.just("pay"),
        ACCOUNT,
        st.one_of(SMALL_AMOUNT, AMOUNT),
        st.sampled_from(["desk-0", "desk-1", "bank"]),
        st.sampled_from(["new", "new", "replay", "other-amount", "other-account"]),
        PICK,
    ),
    st.tuples(st.just("reverse"), PICK, st.booleans()),
    st.tuples(
        st.just("adjust"),
        ACCOUNT,
        st.one_of(SMALL_AMOUNT, AMOUNT),
        st.booleans(),
    ),
)


@dataclasses.dataclass
class Model:
    """What the test itself did: the documents it expects, kept independently of the database."""

    months_billed: int = 0
    invoices: dict = dataclasses.field(default_factory=dict)  # (account pk, service, month) -> amount
    bodies: dict = dataclasses.field(
        default_factory=dict
    )  # key -> (account index, amount, channel, payment pk)
    payments: dict = dataclasses.field(default_factory=dict)  # payment pk -> [account pk, amount, reversed]
    adjustments: list = dataclasses.field(default_factory=list)  # (account pk, amount)

    def balance(self, account_pk: int) -> Decimal:
        billed = sum((a for (pk, _s, _m), a in self.invoices.items() if pk == account_pk), ZERO)
        paid = sum(
            (a for pk, a, reversed_ in self.payments.values() if pk == account_pk and not reversed_), ZERO
        )
        adjusted = sum((a for pk, a in self.adjustments if pk == account_pk), ZERO)
        return billed - paid + adjusted


def ledger_snapshot(world: World) -> list[tuple]:
    return list(
        LedgerEntry.objects.filter(organization=world.organization)
        .order_by("pk")
        .values_list(
            "pk", "subscriber_id", "kind", "amount", "entry_date", "invoice_id", "payment_id", "adjustment_id"
        )
    )


def run_lines(run) -> dict[tuple[int, str], Decimal]:
    return {
        (s, service): amount
        for s, service, amount in Invoice.objects.filter(run=run).values_list(
            "subscriber_id", "service", "amount"
        )
    }


def do_bill(world: World, model: Model, rerun: bool, chunk_size: int) -> str:
    if model.months_billed >= 8:
        return "bill: no month left"
    month = add_months(world.first_month, model.months_billed)
    expected = expected_invoices(world, month)
    before = ledger_snapshot(world)
    period = services.period_get_or_open(organization=world.organization, month=month)
    run = services.billing_run_start(actor=world.manager, period=period)
    run = services.billing_run_execute(run_id=run.pk, chunk_size=chunk_size)
    assert run.status == RunStatus.DRAFT
    assert run_lines(run) == expected
    assert (run.invoice_count, run.total_amount) == (len(expected), sum(expected.values(), ZERO))
    if rerun:  # a second run replaces the draft and writes the same lines; the ledger has not moved
        replaced = run
        run = services.billing_run_start(actor=world.manager, period=period)
        run = services.billing_run_execute(run_id=run.pk, chunk_size=7 - chunk_size)
        replaced.refresh_from_db()
        assert replaced.status == RunStatus.SUPERSEDED
        assert not Invoice.objects.filter(run=replaced).exists()
        assert run_lines(run) == expected
    assert ledger_snapshot(world) == before

    services.billing_run_approve(actor=world.manager, run=run)
    after = ledger_snapshot(world)
    posted = LedgerEntry.objects.filter(
        organization=world.organization, period=period, kind=EntryKind.INVOICE
    )
    assert {(e.subscriber_id, e.invoice.service): e.amount for e in posted.select_related("invoice")} == {
        line: amount for line, amount in expected.items() if amount != 0
    }
    assert {e.entry_date for e in posted} <= {last_day(month)}

    # Approving again, or starting another run of the closed period, changes no ledger row.
    again = services.billing_run_approve(actor=world.manager, run=run)
    assert again.status == RunStatus.APPROVED
    with pytest.raises(DomainError) as error:
        services.billing_run_start(actor=world.manager, period=period)
    assert error.value.code == "period_closed"
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    assert ledger_snapshot(world) == after

    model.months_billed += 1
    model.invoices.update({(pk, service, month): amount for (pk, service), amount in expected.items()})
    return "bill, re-run, approve" if rerun else "bill, approve"


def _channel(world: World, channel: str):
    if channel == "bank":
        return PaymentMethod.BANK, None
    return PaymentMethod.CASH, world.desks[int(channel[-1])]


def do_pay(
    world: World, model: Model, index: int, amount: Decimal, channel: str, mode: str, pick: int
) -> str:
    before = ledger_snapshot(world)
    if mode != "new" and model.bodies:
        key = sorted(model.bodies)[pick % len(model.bodies)]
        index, amount, channel, payment_pk = model.bodies[key]
        if mode == "other-amount":
            amount += Decimal("0.01")
        elif mode == "other-account":
            index = (index + 1) % len(world.accounts)
        method, desk = _channel(world, channel)
        call = {"subscriber": world.accounts[index], "amount": amount, "method": method, "desk": desk}
        if mode == "replay":
            payment, replayed = services.payment_post(actor=world.cashier, idempotency_key=key, **call)
            assert (payment.pk, replayed) == (payment_pk, True)
            label = "pay: replay"
        else:
            with pytest.raises(DomainError) as error:
                services.payment_post(actor=world.cashier, idempotency_key=key, **call)
            assert error.value.code == "idempotency_key_reused"
            label = "pay: key reused"
        assert ledger_snapshot(world) == before
        return label
    key = f"key-{len(model.bodies)}"
    method, desk = _channel(world, channel)
    account = world.accounts[index]
    payment, replayed = services.payment_post(
        actor=world.cashier,
        subscriber=account,
        amount=amount,
        method=method,
        desk=desk,
        idempotency_key=key,
        confirm_repeat=True,  # each new key is another payment here, even of the same amount at the same desk
    )
    assert replayed is False
    assert (payment.subscriber_id, payment.amount, payment.desk) == (account.pk, amount, desk)
    model.bodies[key] = (index, amount, channel, payment.pk)
    model.payments[payment.pk] = [account.pk, amount, False]
    return f"pay: {channel}"


def do_reverse(world: World, model: Model, pick: int, again: bool) -> str:
    reversed_ = sorted(pk for pk, (_a, _m, r) in model.payments.items() if r)
    standing = sorted(pk for pk, (_a, _m, r) in model.payments.items() if not r)
    if again and reversed_:
        before = ledger_snapshot(world)
        payment = Payment.objects.get(pk=reversed_[pick % len(reversed_)])
        with pytest.raises(DomainError) as error:
            services.payment_reverse(actor=world.manager, payment=payment, reason="Twice")
        assert error.value.code == "already_reversed"
        assert ledger_snapshot(world) == before
        return "reverse: refused twice"
    if standing:
        payment = Payment.objects.get(pk=standing[pick % len(standing)])
        services.payment_reverse(actor=world.manager, payment=payment, reason="Wrong account")
        model.payments[payment.pk][2] = True
        return "reverse"
    return "reverse: nothing to reverse"


def do_adjust(world: World, model: Model, index: int, amount: Decimal, negative: bool) -> str:
    amount = -amount if negative else amount
    account = world.accounts[index]
    services.adjustment_post(actor=world.manager, subscriber=account, amount=amount, reason="Recalculation")
    model.adjustments.append((account.pk, amount))
    return "adjust"


OPERATION = {"bill": do_bill, "pay": do_pay, "reverse": do_reverse, "adjust": do_adjust}


# --- Invariants ----------------------------------------------------------------------------------------------------


def _total(queryset) -> Decimal:
    # On SQLite an aggregate over a DecimalField comes back from a float sum (e.g. 274.379999999999): round it.
    return quantize(queryset.aggregate(total=Sum("amount"))["total"] or 0)


def _sum_by_account(rows) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account_pk, amount in rows:
        totals[account_pk] += amount
    return totals


def check_invariants(world: World, model: Model) -> None:
    """Read every document and entry once, then compare them in Python (exact decimals on both databases)."""
    organization = world.organization
    entries = list(
        LedgerEntry.objects.filter(organization=organization).values_list(
            "subscriber_id", "kind", "amount", "invoice_id", "payment_id", "adjustment_id"
        )
    )
    invoices = list(
        Invoice.objects.filter(organization=organization, run__status=RunStatus.APPROVED).values_list(
            "pk", "subscriber_id", "amount"
        )
    )
    payments = list(
        Payment.objects.filter(organization=organization).values_list(
            "pk", "subscriber_id", "amount", "reversed_at", "desk_id", "receipt_number"
        )
    )
    adjustments = list(
        Adjustment.objects.filter(organization=organization).values_list("pk", "subscriber_id", "amount")
    )

    # Per account: the selector, the entries and the documents agree (and with what the test itself did).
    by_entries = _sum_by_account((e[0], e[2]) for e in entries)
    billed = _sum_by_account((i[1], i[2]) for i in invoices)
    paid = _sum_by_account((p[1], p[2]) for p in payments if p[3] is None)
    adjusted = _sum_by_account((a[1], a[2]) for a in adjustments)
    balances = {}
    for account in world.accounts:
        pk = account.pk
        balance = selectors.subscriber_balance(subscriber=account)
        from_documents = billed[pk] - paid[pk] + adjusted[pk]
        assert balance == by_entries[pk] == from_documents == model.balance(pk), account
        balances[pk] = balance

    # The organization: total of entries = billed − paid net of reversals + adjustments.
    total_billed = sum((i[2] for i in invoices), ZERO)
    total_paid = sum((p[2] for p in payments), ZERO)
    total_reversed = sum((p[2] for p in payments if p[3] is not None), ZERO)
    total_adjusted = sum((a[2] for a in adjustments), ZERO)
    expected_total = total_billed - (total_paid - total_reversed) + total_adjusted
    assert _total(LedgerEntry.objects.filter(organization=organization)) == expected_total
    assert sum(balances.values(), ZERO) == expected_total

    # Each document reached the ledger exactly once, under its own kind and with its own amount.
    assert sorted((e[3], e[2]) for e in entries if e[1] == EntryKind.INVOICE) == sorted(
        (i[0], i[2]) for i in invoices if i[2] != 0
    )
    assert sorted((e[4], e[2]) for e in entries if e[1] == EntryKind.PAYMENT) == sorted(
        (p[0], -p[2]) for p in payments
    )
    assert sorted((e[4], e[2]) for e in entries if e[1] == EntryKind.REVERSAL) == sorted(
        (p[0], p[2]) for p in payments if p[3] is not None
    )
    assert sorted((e[5], e[2]) for e in entries if e[1] == EntryKind.ADJUSTMENT) == sorted(
        (a[0], a[2]) for a in adjustments
    )
    assert len(payments) == len(model.payments) and len(adjustments) == len(model.adjustments)

    # Receipts: 1..n at each desk, none without a desk.
    for desk in world.desks:
        numbers = sorted(p[5] for p in payments if p[4] == desk.pk)
        assert numbers == list(range(1, len(numbers) + 1)), desk
    assert all(p[5] is None for p in payments if p[4] is None)

    # The balance table, kept by every step, is what a rebuild from the ledger writes.
    assert balance_problems(organization=organization) == []

    # Arrears by age: every account in debt, and its buckets add up to its balance.
    rows = selectors.aging_rows(organization=organization)
    assert {row["subscriber_id"] for row in rows} == {pk for pk, b in balances.items() if b > 0}
    for row in rows:
        buckets = sum((row[name] for name in selectors.AGING_BUCKETS), ZERO)
        assert buckets == row["balance"] == balances[row["subscriber_id"]], row
        assert all(row[name] >= 0 for name in selectors.AGING_BUCKETS), row
        if sum(1 for name in selectors.AGING_BUCKETS if row[name]) > 1:
            event("aging: a debt spread over several ages")


@PROPERTY_SETTINGS
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=10))
def test_the_ledger_agrees_with_the_documents_after_every_step(world, operations):
    with rolled_back():
        model = Model()
        for operation in operations:
            name, *arguments = operation
            event(OPERATION[name](world, model, *arguments))
            check_invariants(world, model)


# --- The run's amount is money.prorated_amount, on either database ---------------------------------------------------

MONTHS = [
    datetime.date(2024, 2, 1),  # 29 days
    datetime.date(2025, 2, 1),  # 28 days
    datetime.date(2025, 4, 1),  # 30 days
    datetime.date(2025, 12, 1),  # 31 days
]


@st.composite
def invoice_cases(draw):
    month = draw(st.sampled_from(MONTHS))
    days = last_day(month).day
    starts_before = draw(st.booleans())
    start_day = 1 if starts_before else draw(st.integers(min_value=1, max_value=days))
    end_day = draw(st.none() | st.integers(min_value=start_day, max_value=days))
    by_person = draw(st.booleans())
    if by_person:
        quantity = Decimal(draw(st.integers(min_value=0, max_value=20)))
    else:
        quantity = draw(st.decimals(min_value=0, max_value=1000, places=3))
    return {
        "month": month,
        "contract_start": add_months(month, -3) if starts_before else month.replace(day=start_day),
        "contract_end": None if end_day is None else month.replace(day=end_day),
        "unit": TariffUnit.PERSON if by_person else TariffUnit.CUBIC_METRE,
        "quantity": quantity,
        "price": draw(st.decimals(min_value=0, max_value=100000, places=2)),
        "discount": draw(st.decimals(min_value=0, max_value=100, places=2)),
        "exemption_active": draw(st.booleans()),
    }


@pytest.fixture
def billing_manager(org_b, member):
    return member(org_b, Role.MANAGER)


@PROPERTY_SETTINGS
@given(case=invoice_cases())
def test_the_run_amount_is_the_prorated_amount(org_b, billing_manager, case):
    with rolled_back():
        category = SubscriberCategoryFactory(organization=org_b)
        TariffFactory(organization=org_b, category=category, unit=case["unit"], price=case["price"])
        exemption = None
        if case["discount"] > 0:
            exemption = ExemptionFactory(
                organization=org_b, percent=case["discount"], is_active=case["exemption_active"]
            )
        account = SubscriberFactory(
            organization=org_b,
            category=category,
            residents=int(case["quantity"]) if case["unit"] == TariffUnit.PERSON else 1,
            units=case["quantity"] if case["unit"] == TariffUnit.CUBIC_METRE else Decimal("0"),
            exemption=exemption,
            contract_start=case["contract_start"],
            contract_end=case["contract_end"],
        )
        period = services.period_get_or_open(organization=org_b, month=case["month"])
        run = services.billing_run_start(actor=billing_manager, period=period)
        run = services.billing_run_execute(run_id=run.pk)

        invoices = list(Invoice.objects.filter(run=run))
        if case["quantity"] == 0:
            assert invoices == []
            assert run.status == RunStatus.DRAFT and run.invoice_count == 0
            return
        month_end = last_day(case["month"])
        days_billed = (
            min(case["contract_end"] or month_end, month_end) - max(case["contract_start"], case["month"])
        ).days + 1
        discount = case["discount"] if exemption is not None and case["exemption_active"] else Decimal("0")
        expected = prorated_amount(
            price=case["price"],
            quantity=case["quantity"],
            days_billed=days_billed,
            days_in_period=month_end.day,
            discount_percent=discount,
        )
        [invoice] = invoices
        assert invoice.subscriber_id == account.pk
        assert (invoice.days_billed, invoice.days_in_period) == (days_billed, month_end.day)
        assert (invoice.quantity, invoice.price, invoice.discount_percent) == (
            case["quantity"],
            case["price"],
            discount,
        )
        assert invoice.amount == expected, case
        assert (run.invoice_count, run.total_amount) == (1, expected)
        # The run is not cached anywhere: the stored run agrees with what it returned.
        assert BillingRun.objects.get(pk=run.pk).total_amount == expected


# --- Edge cases of the same rules, as examples ------------------------------------------------------------------


def test_an_account_paid_off_to_the_cent_is_not_in_debt(org_b):
    """0.10 + 0.20 − 0.30 is 0 exactly; a float sum (SQLite) leaves 5.6e-17, which must not count as a debt."""
    account = SubscriberFactory(organization=org_b)
    for amount in ["0.10", "0.20", "-0.30"]:
        LedgerEntryFactory(organization=org_b, subscriber=account, amount=Decimal(amount))

    assert selectors.subscriber_balance(subscriber=account) == ZERO
    assert selectors.aging_rows(organization=org_b) == []
    assert selectors.debtor_list(organization=org_b) == []
    assert selectors.subscriber_aging(subscriber=account) == dict.fromkeys(selectors.AGING_BUCKETS, ZERO)


def test_arrears_by_age_add_up_to_the_balance_when_the_current_month_is_billed(org_b, member, monkeypatch):
    """A month may be billed and approved while it runs (billing_run_start allows the current month). Its entries
    must count in the arrears of today: the card and the API show the balance beside its split by age."""
    today = datetime.date(2026, 3, 15)
    real_localdate = timezone.localdate

    def frozen_localdate(value=None, tz=None):
        return today if value is None else real_localdate(value, tz)

    monkeypatch.setattr(timezone, "localdate", frozen_localdate)
    manager = member(org_b, Role.MANAGER)
    category = SubscriberCategoryFactory(organization=org_b)
    TariffFactory(organization=org_b, category=category, unit=TariffUnit.PERSON, price=Decimal("25.00"))
    account = SubscriberFactory(organization=org_b, category=category, residents=4)
    period = services.period_get_or_open(organization=org_b, month=today)
    run = services.billing_run_start(actor=manager, period=period)
    services.billing_run_approve(actor=manager, run=services.billing_run_execute(run_id=run.pk))

    balance = selectors.subscriber_balance(subscriber=account)
    aging = selectors.subscriber_aging(subscriber=account)

    assert balance == Decimal("100.00")
    assert sum(aging.values(), ZERO) == balance
    assert [debtor.subscriber for debtor in selectors.debtor_list(organization=org_b)] == [account]


def test_a_large_amount_is_rounded_from_its_exact_value(org_b, member):
    """129,899.99 × 1,999.999 m³ × 99.99% = 259,773,870.114999999, which rounds to …870.11. A numeric division in
    PostgreSQL keeps about 16 significant digits unless told otherwise (here …870.11500000): ROUND then gives .12."""
    manager = member(org_b, Role.MANAGER)
    category = SubscriberCategoryFactory(organization=org_b, kind=SubscriberKind.BUSINESS)
    TariffFactory(
        organization=org_b,
        category=category,
        service=BillingService.WATER_SUPPLY,
        unit=TariffUnit.CUBIC_METRE,
        price=Decimal("129899.99"),
    )
    account = SubscriberFactory(
        organization=org_b,
        category=category,
        units=Decimal("1999.999"),
        exemption=ExemptionFactory(organization=org_b, percent=Decimal("0.01")),
    )
    period = services.period_get_or_open(organization=org_b, month=datetime.date(2026, 1, 1))
    run = services.billing_run_start(actor=manager, period=period)
    run = services.billing_run_execute(run_id=run.pk)

    expected = prorated_amount(
        price=Decimal("129899.99"),
        quantity=Decimal("1999.999"),
        days_billed=31,
        days_in_period=31,
        discount_percent=Decimal("0.01"),
    )
    assert expected == Decimal("259773870.11")
    assert Invoice.objects.get(run=run, subscriber=account).amount == expected
