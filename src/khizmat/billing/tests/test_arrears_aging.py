"""Arrears by age: what is still owed are the newest charges (payments settle the oldest first), each month's charges
aged from the month's last day (the balance table keeps charges per month; invoices are dated there); checked by
hand on one account and against a charge-by-charge reference on random ledgers."""

import datetime
import random
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from khizmat.billing import selectors
from khizmat.billing.choices import EntryKind
from khizmat.billing.tests.factories import LedgerEntryFactory, SubscriberFactory

pytestmark = pytest.mark.django_db
# Month ends as of this date: June 0 days (its charges are dated at most today), May 31 15, April 30 46, March 31
# 76, February 28 107 — so 0–30 days are June and May, 31–60 April, 61–90 March, over 90 February and before.
AS_OF = datetime.date(2026, 6, 15)


def entry(subscriber, days_ago: int, amount: str):
    kind = EntryKind.INVOICE if Decimal(amount) > 0 else EntryKind.PAYMENT
    LedgerEntryFactory(
        organization=subscriber.organization,
        subscriber=subscriber,
        kind=kind,
        amount=Decimal(amount),
        entry_date=AS_OF - datetime.timedelta(days=days_ago),
    )


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def reference(entries: list[tuple[int, Decimal]], as_of: datetime.date = AS_OF) -> dict:
    """Charge by charge, newest first: each takes what is left of the balance; a charge is as old as the end of its
    month (or ``as_of`` within its month); entries after ``as_of`` do not count."""
    dated = [(as_of - datetime.timedelta(days=days_ago), amount) for days_ago, amount in entries]
    dated = [(day, amount) for day, amount in dated if day <= as_of]
    balance = sum((amount for _, amount in dated), Decimal(0))
    buckets = dict.fromkeys(selectors.AGING_BUCKETS, Decimal("0.00"))
    left = balance
    for day, amount in sorted((e for e in dated if e[1] > 0), key=lambda e: e[0], reverse=True):
        part = min(left, amount)
        if part <= 0:
            break
        age = (as_of - min(month_end(day), as_of)).days
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
        entry(account, 120, "100.00")  # February 15: over 90 days
        entry(account, 80, "100.00")  # March 27, aged from March 31: 61–90
        entry(account, 45, "100.00")  # May 1, aged from May 31: 0–30
        entry(account, 60, "100.00")  # April 16, aged from April 30: 31–60
        entry(account, 10, "100.00")  # June 5: 0–30
        entry(account, 5, "-250.00")  # pays February, March and half of April
        (row,) = selectors.aging_rows(organization=account.organization, as_of=AS_OF)
    assert row == {
        "subscriber_id": account.pk,
        "balance": Decimal("250.00"),
        "days_0_30": Decimal("200.00"),
        "days_31_60": Decimal("50.00"),
        "days_61_90": Decimal("0.00"),
        "days_over_90": Decimal("0.00"),
    }


def test_the_bands_of_months():
    assert selectors.aging_bands(AS_OF) == [
        [datetime.date(2026, 6, 1), datetime.date(2026, 5, 1)],
        [datetime.date(2026, 4, 1)],
        [datetime.date(2026, 3, 1)],
    ]
    # On the last day of June the end of May is 30 days back, the end of April 61: no month is 31–60 days old.
    assert selectors.aging_bands(datetime.date(2026, 6, 30)) == [
        [datetime.date(2026, 6, 1), datetime.date(2026, 5, 1)],
        [],
        [datetime.date(2026, 4, 1)],
    ]
    # On May 1 the end of January is 90 days back: the fourth month before still counts.
    assert selectors.aging_bands(datetime.date(2026, 5, 1))[2] == [
        datetime.date(2026, 2, 1),
        datetime.date(2026, 1, 1),
    ]


def test_paid_up_and_future_entries_are_left_out():
    with scopes_disabled():
        paid_up = SubscriberFactory()
        entry(paid_up, 40, "80.00")
        entry(paid_up, 3, "-80.00")
        later = SubscriberFactory(organization=paid_up.organization)
        entry(later, -5, "50.00")  # charged after the date asked for, in its month
        entry(later, -30, "50.00")  # and in the next month
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
                age = generator.randint(-40, 240)
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
        entry(old, 120, "300.00")  # February: over 90 days
        entry(old, 20, "50.00")
        middle = SubscriberFactory(organization=organization)
        entry(middle, 80, "120.00")  # March: 61–90 days

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
