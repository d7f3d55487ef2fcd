"""Arrears by age: what is still owed are the newest charges (payments settle the oldest first), each part aged
from its own date; checked by hand on one account and against a charge-by-charge reference on random ledgers."""

import datetime
import random
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from khizmat.billing import selectors
from khizmat.billing.choices import EntryKind
from khizmat.billing.tests.factories import LedgerEntryFactory, SubscriberFactory

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 6, 30)


def entry(subscriber, days_ago: int, amount: str):
    kind = EntryKind.INVOICE if Decimal(amount) > 0 else EntryKind.PAYMENT
    LedgerEntryFactory(
        organization=subscriber.organization,
        subscriber=subscriber,
        kind=kind,
        amount=Decimal(amount),
        entry_date=AS_OF - datetime.timedelta(days=days_ago),
    )


def reference(entries: list[tuple[int, Decimal]]) -> dict:
    """Charge by charge, newest first: each takes what is left of the balance."""
    balance = sum((amount for _, amount in entries), Decimal(0))
    buckets = dict.fromkeys(selectors.AGING_BUCKETS, Decimal("0.00"))
    left = balance
    for age, amount in sorted((e for e in entries if e[1] > 0), key=lambda e: e[0]):
        part = min(left, amount)
        if part <= 0:
            break
        name = (
            "days_0_30"
            if age <= 30
            else "days_31_60"
            if age <= 60
            else "days_61_90"
            if age <= 90
            else "days_over_90"
        )
        buckets[name] += part
        left -= part
    return {"balance": balance, **buckets}


def test_a_payment_settles_the_oldest_charge_first():
    with scopes_disabled():
        account = SubscriberFactory()
        entry(account, 120, "100.00")  # over 90 days
        entry(account, 75, "100.00")  # 61–90
        entry(account, 45, "100.00")  # 31–60
        entry(account, 10, "100.00")  # 0–30
        entry(account, 5, "-150.00")  # pays the 120-day charge and half of the 75-day one
        (row,) = selectors.aging_rows(organization=account.organization, as_of=AS_OF)
    assert row == {
        "subscriber_id": account.pk,
        "balance": Decimal("250.00"),
        "days_0_30": Decimal("100.00"),
        "days_31_60": Decimal("100.00"),
        "days_61_90": Decimal("50.00"),
        "days_over_90": Decimal("0.00"),
    }


def test_paid_up_and_future_entries_are_left_out():
    with scopes_disabled():
        paid_up = SubscriberFactory()
        entry(paid_up, 40, "80.00")
        entry(paid_up, 3, "-80.00")
        later = SubscriberFactory(organization=paid_up.organization)
        entry(later, -5, "50.00")  # charged after the date asked for
        assert selectors.aging_rows(organization=paid_up.organization, as_of=AS_OF) == []


def test_random_ledgers_match_the_charge_by_charge_reference():
    generator = random.Random(7)
    with scopes_disabled():
        first = SubscriberFactory()
        expected = {}
        for index in range(25):
            account = first if index == 0 else SubscriberFactory(organization=first.organization)
            entries = []
            for _ in range(generator.randint(1, 8)):
                age = generator.randint(0, 200)
                amount = Decimal(generator.randint(1, 50000)) / 100
                if generator.random() < 0.35:
                    amount = -amount
                entries.append((age, amount))
                entry(account, age, str(amount))
            wanted = reference(entries)
            if wanted["balance"] > 0:
                expected[account.pk] = wanted
        rows = selectors.aging_rows(organization=first.organization, as_of=AS_OF)
    assert {
        row["subscriber_id"]: {k: v for k, v in row.items() if k != "subscriber_id"} for row in rows
    } == expected


def test_the_debtor_summary_counts_and_totals_every_debtor_but_loads_only_those_shown():
    with scopes_disabled():
        small = SubscriberFactory()
        organization = small.organization
        entry(small, 10, "40.00")
        old = SubscriberFactory(organization=organization)
        entry(old, 100, "300.00")
        entry(old, 20, "50.00")
        middle = SubscriberFactory(organization=organization)
        entry(middle, 70, "120.00")

        def summary(**filters):
            debtors, count, totals = selectors.debtor_summary(
                organization=organization, as_of=AS_OF, **filters
            )
            return [d.subscriber.pk for d in debtors], count, totals

        shown, count, totals = summary(limit=2)
        assert shown == [old.pk, middle.pk] and count == 3
        assert totals == {
            "balance": Decimal("510.00"),
            "days_0_30": Decimal("90.00"),
            "days_31_60": Decimal("0.00"),
            "days_61_90": Decimal("120.00"),
            "days_over_90": Decimal("300.00"),
        }
        assert summary(min_balance=Decimal("120"))[:2] == ([old.pk, middle.pk], 2)
        assert summary(min_age_days=61)[:2] == ([old.pk, middle.pk], 2)
        assert summary(min_age_days=91)[:2] == ([old.pk], 1)
        assert summary(min_balance=Decimal("1000")) == ([], 0, dict.fromkeys(totals, Decimal("0.00")))
