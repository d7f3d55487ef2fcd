"""``khizmat demo`` gives the Toktogul enterprise a consistent year of utility billing, once however often it runs."""

import re
from collections import Counter
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from khizmat.billing import selectors, services
from khizmat.billing.choices import (
    EntryKind,
    PaymentMethod,
    PeriodStatus,
    RunStatus,
    SubscriberKind,
    SubscriberStatus,
    TariffUnit,
)
from khizmat.billing.models import (
    Adjustment,
    BankProfile,
    BillingPeriod,
    BillingRun,
    CashClosing,
    CashDesk,
    Exemption,
    Invoice,
    LedgerEntry,
    Payment,
    Subscriber,
    SubscriberCategory,
    Tariff,
)
from khizmat.tenancy.models import Organization, User
from khizmat.tenancy.scoping import scopes_disabled
from khizmat.tenancy.sequences import NumberSequence

# Not imported from khizmat.billing.demo: importing a demo module registers its step before the foundation's.
ORGANIZATION_CODE = "ynguuluu-shart"
OPENING = "Входящее сальдо"  # the reason of the balances carried over from the old books
LANGUAGES = ("en", "ru", "uz", "uz_cyrl", "ky")
MODELS = (
    SubscriberCategory,
    Tariff,
    Exemption,
    Subscriber,
    BillingPeriod,
    BillingRun,
    Invoice,
    CashDesk,
    BankProfile,
    Payment,
    Adjustment,
    LedgerEntry,
    CashClosing,
    NumberSequence,
)


def add_months(month, count):
    years, index = divmod(month.month - 1 + count, 12)
    return month.replace(year=month.year + years, month=index + 1, day=1)


def test_the_demo_bills_a_year_of_toktogul_consistently_and_only_once(demo_data, db):
    """The year is consistent, a re-run adds nothing, and live accounts and receipts continue the demo's numbers."""
    # The billing tasks the demo enqueued at commit ran (khizmat.testing.demo): they found their runs finished.
    assert demo_data.on_commit_callbacks
    assert demo_data.added_by_second_run(*MODELS) == {}
    today = timezone.localdate()

    with scopes_disabled():
        toktogul = Organization.objects.get(code=ORGANIZATION_CODE)
        org = {"organization": toktogul}

        categories = list(SubscriberCategory.objects.filter(**org))
        assert {c.kind for c in categories} == set(SubscriberKind.values) and len(categories) == 5
        for item in [*categories, *Exemption.objects.filter(**org)]:
            assert all(getattr(item, f"name_{language}") for language in LANGUAGES), item.pk
        assert sorted(Exemption.objects.filter(**org).values_list("percent", flat=True)) == [50, 100]

        # Twelve months, the last one (last month) still a draft; the tariff rose in the seventh.
        months = [add_months(today.replace(day=1), -12 + i) for i in range(12)]
        periods = list(BillingPeriod.objects.filter(**org).order_by("month"))
        assert [p.month for p in periods] == months
        assert [p.status for p in periods] == [PeriodStatus.CLOSED] * 11 + [PeriodStatus.OPEN]
        runs = list(BillingRun.objects.filter(**org).order_by("period__month"))
        assert [r.status for r in runs] == [RunStatus.APPROVED] * 11 + [RunStatus.DRAFT]
        for category in categories:
            tariffs = list(Tariff.objects.filter(**org, category=category).order_by("effective_from"))
            assert len(tariffs) == 2 and tariffs[1].effective_from == months[6]
            assert tariffs[0].price < tariffs[1].price and {t.currency for t in tariffs} == {"KGS"}
            assert all(
                t.council and t.decision_number and t.decision_date < t.effective_from for t in tariffs
            )
            if tariffs[0].unit == TariffUnit.PERSON:
                assert all(15 <= t.price <= 25 for t in tariffs)
        assert CashDesk.objects.filter(**org).count() == 2
        rsk = BankProfile.objects.get(**org, name="RSK Bank")
        assert (rsk.amount_column, rsk.account_column, rsk.date_format) == (
            "Сумма",
            "Лицевой счет",
            "%d.%m.%Y",
        )

        # Accounts: numbered 0000001… without a gap, the sequence continues after them, keys as the model writes.
        accounts = list(
            Subscriber.objects.filter(**org).select_related("settlement__district").order_by("number")
        )
        kinds = Counter(a.kind for a in accounts)
        assert kinds[SubscriberKind.HOUSEHOLD] >= 200 and kinds[SubscriberKind.BUSINESS] >= 3
        assert kinds[SubscriberKind.INSTITUTION] >= 1
        assert [a.number for a in accounts] == [f"{n:07d}" for n in range(1, len(accounts) + 1)]
        assert NumberSequence.objects.get(**org, key="subscriber").last_value == len(accounts)
        assert {a.settlement.district.code for a in accounts} == {"TOK"}
        assert {a.settlement.name_en for a in accounts} >= {"Toktogul", "Chech-Dobo", "Uch-Terek"}
        assert any(
            re.fullmatch(r"[A-Za-z ]+", a.holder_name) for a in accounts
        )  # cross-script search has work
        assert all(re.fullmatch(r"\+9967\d{8}", a.phone) for a in accounts if a.phone)
        assert all(1 <= a.residents <= 9 for a in accounts if a.kind == SubscriberKind.HOUSEHOLD)
        assert {a.language for a in accounts} == {"ky", "ru"}
        statuses = Counter(a.status for a in accounts)
        assert statuses[SubscriberStatus.CLOSED] and statuses[SubscriberStatus.SUSPENDED]
        for account in accounts[::3]:
            key = account.search_key
            account.refresh_search_key()
            assert account.search_key == key, account.number

        # Proration: accounts that opened or closed during the year have a part month.
        newcomer = next(a for a in accounts if a.contract_start > months[0])
        first = Invoice.objects.filter(**org, subscriber=newcomer).order_by("period__month").first()
        assert (
            first.period.month == newcomer.contract_start.replace(day=1)
            and first.days_billed < first.days_in_period
        )
        closed = next(
            a for a in accounts if a.status == SubscriberStatus.CLOSED and a.contract_end >= months[0]
        )
        last = Invoice.objects.filter(**org, subscriber=closed).order_by("period__month").last()
        assert (
            last.period.month == closed.contract_end.replace(day=1) and last.days_billed < last.days_in_period
        )

        # The ledger: approved invoices, every payment, its reversal and every adjustment once, at their dates.
        invoice_entries = LedgerEntry.objects.filter(**org, kind=EntryKind.INVOICE)
        assert (
            invoice_entries.count()
            == Invoice.objects.filter(**org, run__status=RunStatus.APPROVED).exclude(amount=0).count()
        )
        assert not invoice_entries.filter(period=periods[-1]).exists()
        payments = {p.pk: p for p in Payment.objects.filter(**org)}
        entries = LedgerEntry.objects.filter(**org, payment__isnull=False)
        paid = {e.payment_id: e for e in entries if e.kind == EntryKind.PAYMENT}
        assert paid.keys() == payments.keys()
        assert all(
            e.amount == -payments[pk].amount and e.entry_date == payments[pk].received_on
            for pk, e in paid.items()
        )
        reversed_ = {p.pk for p in payments.values() if p.is_reversed}
        assert 2 <= len(reversed_) <= 4
        assert {e.payment_id for e in entries if e.kind == EntryKind.REVERSAL} == reversed_
        assert all(p.received_on < today for p in payments.values())
        assert {p.method for p in payments.values()} == set(PaymentMethod.values)
        adjustments = dict(Adjustment.objects.filter(**org).values_list("pk", "amount"))
        adjusted = dict(
            LedgerEntry.objects.filter(**org, kind=EntryKind.ADJUSTMENT).values_list(
                "adjustment_id", "amount"
            )
        )
        assert adjusted == adjustments
        assert Adjustment.objects.filter(**org, reason__startswith=OPENING).count() > 100
        assert Adjustment.objects.filter(**org).exclude(reason__startswith=OPENING).count() == 3

        # Balances are the sum of their entries.
        sums = dict(
            LedgerEntry.objects.filter(**org)
            .values("subscriber_id")
            .annotate(total=Sum("amount"))
            .values_list("subscriber_id", "total")
        )
        for account in accounts[:: max(1, len(accounts) // 40)]:
            expected = sum(
                (e.amount for e in LedgerEntry.objects.filter(**org, subscriber=account)), Decimal("0")
            )
            assert selectors.subscriber_balance(subscriber=account) == expected
            assert expected == Decimal(sums.get(account.pk, 0)).quantize(Decimal("0.01"))

        # Receipts: per desk 1, 2, 3… in the order the money came in; live receipts continue the sequence.
        for desk in CashDesk.objects.filter(**org):
            cash = list(Payment.objects.filter(**org, desk=desk).order_by("received_at", "pk"))
            assert [p.receipt_number for p in cash] == list(range(1, len(cash) + 1))
            assert all(p.method == PaymentMethod.CASH and p.cashier_id for p in cash)
            assert NumberSequence.objects.get(**org, key=f"receipt:{desk.pk}").last_value == len(cash)
        assert not Payment.objects.filter(**org, desk__isnull=True, receipt_number__isnull=False).exists()

        # Z-reports of past days agree with the payments.
        closings = list(CashClosing.objects.filter(**org).select_related("desk"))
        assert closings and all(c.date < today for c in closings)
        for closing in closings[::4]:
            summary = services.cash_day_summary(desk=closing.desk, date=closing.date)
            assert summary["gap_free"]
            assert (closing.payments_count, closing.first_receipt, closing.last_receipt) == (
                summary["payments_count"],
                summary["first_receipt"],
                summary["last_receipt"],
            )
            assert (closing.total_received, closing.expected_cash) == (
                summary["total_received"],
                summary["expected_cash"],
            )
            assert closing.difference == closing.counted_cash - closing.expected_cash
            assert closing.difference == 0 or closing.note

        rows = [row for row in selectors.collection_by_period(organization=toktogul) if row["billed"] > 0]
        assert len(rows) == 11
        rate = sum(row["paid"] for row in rows) * 100 / sum(row["billed"] for row in rows)
        assert 55 < rate < 85
        assert selectors.debtor_list(organization=toktogul, min_age_days=91)

        # After the second run (khizmat.testing.demo), live work continues the numbers.
        manager = User.objects.get(username=f"{ORGANIZATION_CODE}.manager")
        cashier = User.objects.get(username=f"{ORGANIZATION_CODE}.cashier")
        account = next(a for a in accounts if a.status == SubscriberStatus.ACTIVE)
        new = Subscriber(
            organization=toktogul,
            kind=account.kind,
            holder_name="Жаңы абонент",
            settlement=account.settlement,
            street=account.street,
            house="999",
            category=account.category,
            residents=3,
            contract_start=today,
        )
        assert services.subscriber_save(actor=manager, subscriber=new).number == f"{len(accounts) + 1:07d}"
        desk = CashDesk.objects.get(**org, code="kassa-1")
        receipts = Payment.objects.filter(**org, desk=desk).count()
        payment, _replayed = services.payment_post(
            actor=cashier,
            subscriber=account,
            amount=Decimal("150"),
            method=PaymentMethod.CASH,
            desk=desk,
            idempotency_key="live:1",
        )
        assert payment.receipt_number == receipts + 1
