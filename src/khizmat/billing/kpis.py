"""Utility billing as monitoring measures and KPIs (khizmat.monitoring.registry).

Billed and collected are read from the ledger by the entry's date (an invoice is dated its month's last day, a
payment the day it was received; reversals count against the day they were made). Arrears are the balance table's
debt at each month's end (or today), aged by month as the arrears report ages it (khizmat.billing.selectors).
Households covered are the household accounts with a contract in force at the month's end, against the households
of the settlements the enterprise serves (``Settlement.households``, from the census; none known: no figure).
Every ledger writer goes through ``khizmat.billing.balances.record``, which marks the days it wrote.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext_lazy as _

from khizmat.billing.choices import EntryKind, SubscriberKind
from khizmat.billing.models import LedgerEntry, Subscriber
from khizmat.billing.selectors import AGING_BUCKETS, arrears_totals
from khizmat.monitoring.registry import (
    BILLING,
    MONEY,
    STOCK,
    Kpi,
    Measure,
    Percent,
    Source,
    Total,
    Window,
    date_rows,
    first_local_day,
    register_kpi,
    register_measure,
    register_source,
)
from khizmat.monitoring.registry import (
    Count as CountOf,
)
from khizmat.tenancy.models import Settlement

SOURCE = "billing"


def _first_day(organization_ids):
    return first_local_day(LedgerEntry.objects.filter(organization_id__in=organization_ids), "entry_date")


def _billed(window: Window):
    """Sum and number of invoices, by the invoice's date."""
    invoices = LedgerEntry.objects.filter(kind=EntryKind.INVOICE)
    return date_rows(invoices, "entry_date", window, total=Sum("amount"))


def _collected(window: Window):
    """Payments less reversals (a payment lowers the balance: its amount is negative), by the entry's date."""
    payments = LedgerEntry.objects.filter(kind__in=[EntryKind.PAYMENT, EntryKind.REVERSAL])
    return date_rows(payments, "entry_date", window, total=Sum(-F("amount")))


def _arrears_rows(window: Window, today):
    ends = window.month_ends(today)
    totals = arrears_totals(
        organization_ids=list(window.organization_ids), dates=[as_of for _m, as_of in ends]
    )
    for month, as_of in ends:
        for organization_id in window.organization_ids:
            debt = totals.get((organization_id, as_of))
            if debt:
                yield organization_id, month, debt


def _arrears(window: Window, *, today):
    """Debt of the accounts in debt at each month's end, and how many they are."""
    for organization_id, month, debt in _arrears_rows(window, today):
        yield organization_id, month, Decimal(debt["balance"]), debt["debtors"]


def _arrears_bucket(bucket: str):
    def compute(window: Window, *, today):
        for organization_id, month, debt in _arrears_rows(window, today):
            yield organization_id, month, Decimal(debt[bucket]), 1 if debt[bucket] else 0

    compute.__doc__ = f"The part of the arrears in the age band {bucket}, at each month's end."
    return compute


def _households_contracted(window: Window, *, today):
    """Household accounts whose contract is in force at each month's end."""
    for month, as_of in window.month_ends(today):
        rows = (
            Subscriber.objects.filter(
                organization_id__in=window.organization_ids,
                kind=SubscriberKind.HOUSEHOLD,
                contract_start__lte=as_of,
            )
            .filter(Q(contract_end__isnull=True) | Q(contract_end__gte=as_of))
            .values("organization_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            yield row["organization_id"], month, Decimal(0), row["n"]


def _households(window: Window, *, today):
    """Households (census) of the settlements where the enterprise has household accounts; the same every month."""
    served = (
        Subscriber.objects.filter(organization_id__in=window.organization_ids, kind=SubscriberKind.HOUSEHOLD)
        .values_list("organization_id", "settlement_id")
        .distinct()
        .order_by()
    )
    per_org: dict[int, set[int]] = {}
    for organization_id, settlement_id in served:
        per_org.setdefault(organization_id, set()).add(settlement_id)
    counts = dict(
        Settlement.objects.filter(
            pk__in={s for ids in per_org.values() for s in ids}, households__isnull=False
        ).values_list("pk", "households")
    )
    for organization_id, settlements in per_org.items():
        known = [counts[s] for s in settlements if s in counts]
        if not known:
            continue
        for month, _as_of in window.month_ends(today):
            yield organization_id, month, Decimal(0), sum(known)


register_source(Source(SOURCE, _("Utility billing"), _first_day))
register_measure(Measure("billing.billed", SOURCE, _("Amount billed"), _billed, unit=MONEY))
register_measure(Measure("billing.collected", SOURCE, _("Amount collected"), _collected, unit=MONEY))
register_measure(Measure("billing.arrears", SOURCE, _("Arrears"), _arrears, kind=STOCK, unit=MONEY))
for _bucket in AGING_BUCKETS:
    register_measure(
        Measure(f"billing.arrears_{_bucket}", SOURCE, _("Arrears by age"), _arrears_bucket(_bucket), kind=STOCK,
                unit=MONEY)
    )  # fmt: skip
register_measure(
    Measure("billing.households_contracted", SOURCE, _("Households with a contract"), _households_contracted,
            kind=STOCK)
)  # fmt: skip
register_measure(Measure("billing.households", SOURCE, _("Households served"), _households, kind=STOCK))

register_kpi(
    Kpi(
        "billing.households_covered",
        BILLING,
        _("Households covered"),
        _(
            "household accounts with a contract in force ÷ households of the settlements served (census) × 100"
        ),
        "percent",
        Percent("billing.households_contracted", "billing.households"),
        public=True,
    )
)
register_kpi(
    Kpi(
        "billing.billed",
        BILLING,
        _("Billed"),
        _("invoices issued in the period"),
        MONEY,
        Total("billing.billed", money=True),
        better="",
        money=True,
    )
)
register_kpi(
    Kpi(
        "billing.collected",
        BILLING,
        _("Amount collected"),
        _("payments received in the period, less reversals"),
        MONEY,
        Total("billing.collected", money=True),
        money=True,
    )
)
register_kpi(
    Kpi(
        "billing.collection_rate",
        BILLING,
        _("Collection rate"),
        _("collected ÷ billed in the period × 100"),
        "percent",
        Percent("billing.collected", "billing.billed", use_total=True, money=True),
        public=True,
    )
)
register_kpi(
    Kpi(
        "billing.debtors",
        BILLING,
        _("Accounts in debt"),
        _("accounts owing money at the end of the period"),
        "count",
        CountOf("billing.arrears"),
        better="lower",
    )
)
register_kpi(
    Kpi(
        "billing.arrears",
        BILLING,
        _("Arrears"),
        _("what the accounts in debt owe at the end of the period"),
        MONEY,
        Total("billing.arrears", money=True),
        better="lower",
        money=True,
    )
)
for _bucket, _label in zip(
    AGING_BUCKETS,
    (
        _("Arrears up to 30 days"),
        _("Arrears of 31–60 days"),
        _("Arrears of 61–90 days"),
        _("Arrears over 90 days"),
    ),
    strict=True,
):
    register_kpi(
        Kpi(
            f"billing.arrears_{_bucket}",
            BILLING,
            _label,
            _("the part of the arrears charged in that age band, at the end of the period (aged by month)"),
            MONEY,
            Total(f"billing.arrears_{_bucket}", money=True),
            better="lower",
            money=True,
        )
    )
