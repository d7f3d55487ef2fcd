"""The balance table (AccountMonth): each writer of the ledger keeps it, by hand-computed examples; random ledgers
written in any order give what a rebuild from the ledger gives; ``billing_check`` finds a tampered row and
``billing_balances_rebuild`` repairs it; the collection rate and the monitoring totals read it."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khizmat.billing import balances, selectors, services
from khizmat.billing.checks import ledger_problems
from khizmat.billing.choices import EntryKind, PaymentMethod, TariffUnit
from khizmat.billing.models import NO_NEXT_MONTH, AccountMonth, MonthTotal
from khizmat.billing.tests.factories import (
    LedgerEntryFactory,
    SubscriberCategoryFactory,
    SubscriberFactory,
    TariffFactory,
)
from khizmat.billing.tests.test_ledger_properties import rolled_back
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db
D = Decimal


def rows(organization) -> list[tuple]:
    return list(
        AccountMonth.objects.filter(organization=organization)
        .order_by("subscriber_id", "month")
        .values_list(
            "subscriber_id", "month", "billed", "paid", "adjusted", "charged", "closing_balance", "next_month"
        )
    )


def rebuilt(organization) -> list[tuple]:
    """What a rebuild from the ledger writes (in a savepoint that is undone)."""
    with rolled_back():
        balances.rebuild(organization_ids=[organization.pk])
        return rows(organization)


def entry(account, on: datetime.date, amount: str, kind=EntryKind.ADJUSTMENT):
    return LedgerEntryFactory(
        organization=account.organization, subscriber=account, kind=kind, amount=D(amount), entry_date=on
    )


def test_the_services_keep_the_month_of_each_entry(org_b, member):
    manager, cashier = member(org_b, Role.MANAGER), member(org_b, Role.CASHIER)
    category = SubscriberCategoryFactory(organization=org_b)
    TariffFactory(organization=org_b, category=category, unit=TariffUnit.PERSON, price=D("25.00"))
    account = SubscriberFactory(organization=org_b, category=category, residents=4)
    today = local_today(org_b)
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)

    payment, _ = services.payment_post(
        actor=cashier, subscriber=account, amount="60", method=PaymentMethod.BANK, idempotency_key="a"
    )
    services.payment_post(
        actor=cashier, subscriber=account, amount="15", method=PaymentMethod.BANK, idempotency_key="b"
    )
    services.payment_reverse(actor=manager, payment=payment, reason="Wrong account")
    services.adjustment_post(actor=manager, subscriber=account, amount="-5", reason="Dispute")
    # Last month billed after this month's payments: its row comes before theirs and moves their balance.
    period = services.period_get_or_open(organization=org_b, month=last_month)
    run = services.billing_run_start(actor=manager, period=period)
    services.billing_run_approve(actor=manager, run=services.billing_run_execute(run_id=run.pk))

    assert rows(org_b) == [
        (account.pk, last_month, D("100.00"), D("0.00"), D("0.00"), D("100.00"), D("100.00"), this_month),
        # paid 60 + 15 − 60 reversed; charged: the reversal; balance 100 − 15 − 5
        (account.pk, this_month, D("0.00"), D("15.00"), D("-5.00"), D("60.00"), D("80.00"), NO_NEXT_MONTH),
    ]
    assert rows(org_b) == rebuilt(org_b)
    assert ledger_problems(organization=org_b) == []


def test_a_contract_date_change_posts_its_adjustment_to_the_table(org_b, member):
    manager = member(org_b, Role.MANAGER)
    category = SubscriberCategoryFactory(organization=org_b)
    TariffFactory(organization=org_b, category=category, unit=TariffUnit.PERSON, price=D("30.00"))
    month = (local_today(org_b).replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    account = SubscriberFactory(organization=org_b, category=category, residents=1, contract_start=month)
    period = services.period_get_or_open(organization=org_b, month=month)
    run = services.billing_run_start(actor=manager, period=period)
    services.billing_run_approve(actor=manager, run=services.billing_run_execute(run_id=run.pk))

    account.contract_start = month.replace(day=16)  # half of a 30- or 31-day month is no longer billed
    services.subscriber_save(actor=manager, subscriber=account)

    assert AccountMonth.objects.get(subscriber=account, month=month).billed == D("30.00")
    [current] = AccountMonth.objects.filter(subscriber=account, month=local_today(org_b).replace(day=1))
    assert current.adjusted < 0 and current.closing_balance == D("30.00") + current.adjusted
    assert rows(org_b) == rebuilt(org_b)


def test_a_back_dated_entry_moves_the_later_months_and_their_links(org_b):
    account = SubscriberFactory(organization=org_b)
    entry(account, datetime.date(2026, 1, 10), "100.00", EntryKind.INVOICE)
    entry(account, datetime.date(2026, 4, 2), "-30.00", EntryKind.PAYMENT)
    entry(
        account, datetime.date(2026, 2, 27), "-50.00", EntryKind.PAYMENT
    )  # a statement of February, read late
    entry(account, datetime.date(2026, 2, 3), "20.00", EntryKind.REVERSAL)

    assert rows(org_b) == [
        (account.pk, datetime.date(2026, 1, 1), D("100.00"), D("0"), D("0"), D("100.00"), D("100.00"),
         datetime.date(2026, 2, 1)),
        (account.pk, datetime.date(2026, 2, 1), D("0"), D("30.00"), D("0"), D("20.00"), D("70.00"),
         datetime.date(2026, 4, 1)),
        (account.pk, datetime.date(2026, 4, 1), D("0"), D("30.00"), D("0"), D("0"), D("40.00"), NO_NEXT_MONTH),
    ]  # fmt: skip
    assert rows(org_b) == rebuilt(org_b)


ENTRIES = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=2),  # account
        st.integers(min_value=0, max_value=400),  # days after 2025-01-01: any order, back-dated or not
        st.sampled_from(list(EntryKind)),
        st.decimals(min_value=D("-5000"), max_value=D("5000"), places=2).filter(lambda a: a != 0),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def accounts(org_b):
    return [SubscriberFactory(organization=org_b) for _ in range(3)]


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(entries=ENTRIES)
def test_entries_in_any_order_give_the_rebuilt_table(org_b, accounts, entries):
    with rolled_back():
        for index, days, kind, amount in entries:
            entry(
                accounts[index], datetime.date(2025, 1, 1) + datetime.timedelta(days=days), str(amount), kind
            )
        assert rows(org_b) == rebuilt(org_b)
        assert balances.problems(organization=org_b) == []


def test_billing_check_finds_a_tampered_row_and_the_rebuild_repairs_it(org_a, org_b, member):
    elsewhere = SubscriberFactory(organization=org_a)  # another organization's months are not this one's
    entry(elsewhere, local_today(org_a), "40.00")
    manager, cashier = member(org_b, Role.MANAGER), member(org_b, Role.CASHIER)
    category = SubscriberCategoryFactory(organization=org_b)
    TariffFactory(organization=org_b, category=category, unit=TariffUnit.PERSON, price=D("25.00"))
    account = SubscriberFactory(organization=org_b, category=category, residents=4)
    this_month = local_today(org_b).replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    period = services.period_get_or_open(organization=org_b, month=last_month)
    run = services.billing_run_start(actor=manager, period=period)
    services.billing_run_approve(actor=manager, run=services.billing_run_execute(run_id=run.pk))
    services.payment_post(
        actor=cashier, subscriber=account, amount="30", method=PaymentMethod.BANK, idempotency_key="a"
    )
    call_command("billing_check", organization=org_b.code)

    AccountMonth.objects.filter(subscriber=account, month=this_month).update(closing_balance=D("75.00"))
    problems = ledger_problems(organization=org_b)
    assert any("differ from the ledger" in p for p in problems)
    assert any("previous month's plus the month's movements" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("billing_check", organization=org_b.code)

    MonthTotal.objects.filter(organization=org_b, month=this_month).update(paid=D("31.00"))
    assert any("month total(s) that differ" in p for p in ledger_problems(organization=org_b))

    AccountMonth.objects.filter(subscriber=account, month=last_month).delete()
    AccountMonth.objects.create(
        organization=org_b, subscriber=account, month=datetime.date(2020, 7, 1), closing_balance=D("70.00")
    )
    problems = ledger_problems(organization=org_b)
    assert any("no balance row" in p for p in problems)
    assert any("months without ledger entries" in p for p in problems)

    call_command("billing_balances_rebuild", organization=org_b.code)
    assert ledger_problems(organization=org_b) == []
    assert MonthTotal.objects.get(organization=org_b, month=this_month).paid == D("30.00")
    call_command("billing_check", organization=org_b.code)


# --- The reports that read it --------------------------------------------------------------------------------------


def test_collection_by_period_and_by_street_read_the_months(org_b):
    period = services.period_get_or_open(organization=org_b, month=datetime.date(2026, 3, 1))
    north = SubscriberFactory(organization=org_b, street="North")
    south = SubscriberFactory(organization=org_b, street="South", settlement=north.settlement)
    entry(north, datetime.date(2026, 3, 31), "200.00", EntryKind.INVOICE)
    entry(south, datetime.date(2026, 3, 31), "100.00", EntryKind.INVOICE)
    entry(north, datetime.date(2026, 3, 5), "-150.00", EntryKind.PAYMENT)  # paid in March: counts for March
    entry(north, datetime.date(2026, 3, 20), "50.00", EntryKind.REVERSAL)
    entry(south, datetime.date(2026, 4, 2), "-100.00", EntryKind.PAYMENT)  # paid in April: not March's

    [march] = selectors.collection_by_period(organization=org_b)
    assert (march["period"], march["billed"], march["paid"], march["rate"]) == (
        period,
        D("300.00"),
        D("100.00"),
        D("33.3"),
    )
    by_street = selectors.collection_by_street(organization=org_b, period=period)
    assert [(r["street"], r["billed"], r["paid"], r["rate"]) for r in by_street] == [
        ("South", D("100.00"), D("0.00"), D("0.0")),
        ("North", D("200.00"), D("100.00"), D("50.0")),
    ]


def test_balance_totals_per_organization_and_month(org_a, org_b):
    north = SubscriberFactory(organization=org_b)
    south = SubscriberFactory(organization=org_b)
    entry(north, datetime.date(2026, 1, 31), "100.00", EntryKind.INVOICE)
    entry(south, datetime.date(2026, 1, 31), "40.00", EntryKind.INVOICE)
    entry(north, datetime.date(2026, 2, 10), "-30.00", EntryKind.PAYMENT)
    entry(south, datetime.date(2026, 2, 10), "-40.00", EntryKind.PAYMENT)
    entry(north, datetime.date(2026, 2, 28), "100.00", EntryKind.INVOICE)
    entry(north, datetime.date(2026, 3, 3), "-5.00", EntryKind.ADJUSTMENT)

    totals = selectors.balance_totals(
        organization_ids=[org_b.pk, org_a.pk],
        month_from=datetime.date(2026, 1, 1),
        month_to=datetime.date(2026, 3, 1),
        today=datetime.date(2026, 3, 15),
    )
    got = [
        (
            r["organization_id"],
            r["month"].month,
            r["billed"],
            r["collected"],
            r["adjusted"],
            r["arrears_as_of"],
            r["debtors"],
            r["arrears"],
            r["days_0_30"],
            r["days_31_60"],
            r["days_61_90"],
            r["days_over_90"],
        )
        for r in totals
    ]
    z = D("0.00")
    org_a_rows = [
        (org_a.pk, month, z, z, z, datetime.date(2026, month, day), 0, z, z, z, z, z)
        for month, day in ((1, 31), (2, 28), (3, 15))
    ]
    # February 28: north owes 170 = February's 100 (0–30 days) and 70 of January's (aged from January 31: 28 days).
    # March 15: 165 — March's adjustment is no charge; February (15 days) 100, January (43 days) 65.
    org_b_rows = [
        (org_b.pk, 1, D("140.00"), z, z, datetime.date(2026, 1, 31), 2, D("140.00"), D("140.00"), z, z, z),
        (org_b.pk, 2, D("100.00"), D("70.00"), z, datetime.date(2026, 2, 28), 1, D("170.00"), D("170.00"), z, z, z),
        (org_b.pk, 3, z, z, D("-5.00"), datetime.date(2026, 3, 15), 1, D("165.00"), D("100.00"), D("65.00"), z, z),
    ]  # fmt: skip
    assert got == sorted(org_a_rows + org_b_rows)
    days = selectors.day_totals(
        organization_ids=[org_b.pk], date_from=datetime.date(2026, 2, 1), date_to=datetime.date(2026, 2, 28)
    )
    assert [(r["date"], r["billed"], r["collected"]) for r in days] == [
        (datetime.date(2026, 2, 10), z, D("70.00")),
        (datetime.date(2026, 2, 28), D("100.00"), z),
    ]
