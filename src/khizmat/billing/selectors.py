"""Queries of billing: balances and ledgers, arrears by age, debtors, collection rate, the cashier's search.

Every balance is computed from ledger entries here; nothing stores one. Aggregates that scan a whole organization
run as one SQL statement (window functions for arrears aging) and name their GROUP BY columns explicitly.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Q, Sum, Value

from khizmat.billing.choices import EntryKind
from khizmat.billing.models import BillingPeriod, LedgerEntry, Payment, Subscriber
from khizmat.billing.money import quantize
from khizmat.core.fieldrules import phone_candidates
from khizmat.core.search import key_condition
from khizmat.tenancy.localtime import local_today

AGING_BUCKETS = ("days_0_30", "days_31_60", "days_61_90", "days_over_90")


def subscriber_balance(*, subscriber: Subscriber, as_of: datetime.date | None = None) -> Decimal:
    entries = LedgerEntry.objects.filter(organization_id=subscriber.organization_id, subscriber=subscriber)
    if as_of is not None:
        entries = entries.filter(entry_date__lte=as_of)
    return quantize(entries.aggregate(total=Sum("amount"))["total"] or 0)


def subscriber_ledger(*, subscriber: Subscriber) -> list[dict]:
    """Entries in date order with the running balance after each (what the subscriber card shows)."""
    rows = []
    running = Decimal("0")
    entries = (
        LedgerEntry.objects.filter(organization_id=subscriber.organization_id, subscriber=subscriber)
        .select_related("period", "payment", "adjustment")
        .order_by("entry_date", "pk")
    )
    for entry in entries:
        running += entry.amount
        rows.append({"entry": entry, "balance": quantize(running)})
    return rows


def subscriber_search(*, organization, query: str, limit: int = 20):
    """Accounts by number, holder's name (any script or spelling), street, ID number or phone."""
    query = (query or "").strip()
    if not query:
        return Subscriber.objects.none()
    accounts = Subscriber.objects.filter(organization=organization).select_related("settlement", "category")
    if query.isdigit():
        exact = accounts.filter(number=query)
        if exact.exists():  # a full account number means that account, not every number it starts
            return exact
    condition = Q(number__startswith=query) if query.isdigit() else Q(pk__in=[])
    phones = phone_candidates(query, country_code=organization.country.code)
    if phones:  # 0555 12 34 56 finds +996555123456, as the phone was stored
        condition |= Q(phone__in=phones)
    rank = Value(3)
    by_name = key_condition("search_key", query, min_length=1)  # every word, in any order, in any script
    if by_name is not None:
        condition |= by_name[0]
        rank = by_name[1]
    # Whole names and names starting with the query first: a common surname does not push the wanted account away.
    return accounts.filter(condition).annotate(search_rank=rank).order_by("search_rank", "number")[:limit]


def _age_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(%(as_of)s::date - {column})"
    return f"CAST(julianday(%(as_of)s) - julianday({column}) AS INTEGER)"


def _aging_sql(
    *,
    organization,
    as_of: datetime.date,
    subscriber_ids: list[int] | None = None,
    settlement_id: int | None = None,
    street: str | None = None,
) -> tuple[str, dict]:
    """SQL of the accounts in debt: ``subscriber_id, balance`` and the four buckets of :data:`AGING_BUCKETS`.

    Payments settle the oldest charges first, so what remains owed are the newest charges: the balance is laid over
    the charges of the last 30 days first, then those of 31–60 and 61–90 days, and the rest is older than 90 days.
    One pass over the organization's ledger sums, per account, the balance and the charges of each age band (no
    window over every charge). The balance threshold allows half a tiyin because SQLite sums decimals as floats.
    """
    ledger = connection.ops.quote_name(LedgerEntry._meta.db_table)
    subscribers = connection.ops.quote_name(Subscriber._meta.db_table)
    params: dict = {"organization": organization.pk, "as_of": as_of.isoformat()}
    join = filters = ""
    if subscriber_ids is not None:
        ids = ", ".join(str(int(pk)) for pk in subscriber_ids) or "NULL"
        filters += f" AND l.subscriber_id IN ({ids})"
    if settlement_id or street:
        join = f"JOIN {subscribers} s ON s.id = l.subscriber_id AND s.organization_id = l.organization_id"
    if settlement_id:
        filters += " AND s.settlement_id = %(settlement)s"
        params["settlement"] = int(settlement_id)
    if street:
        filters += " AND s.street = %(street)s"
        params["street"] = street
    age = _age_sql("l.entry_date")
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    sql = f"""
        WITH sums AS (
            SELECT l.subscriber_id, SUM(l.amount) AS balance,
                   SUM(CASE WHEN l.amount > 0 AND {age} <= 30 THEN l.amount ELSE 0 END) AS c1,
                   SUM(CASE WHEN l.amount > 0 AND {age} BETWEEN 31 AND 60 THEN l.amount ELSE 0 END) AS c2,
                   SUM(CASE WHEN l.amount > 0 AND {age} BETWEEN 61 AND 90 THEN l.amount ELSE 0 END) AS c3
            FROM {ledger} l {join}
            WHERE l.organization_id = %(organization)s AND l.entry_date <= %(as_of)s {filters}
            GROUP BY l.subscriber_id
            HAVING SUM(l.amount) > 0.005
        ),
        first_band AS (SELECT sums.*, {least}(balance, c1) AS days_0_30 FROM sums),
        second_band AS (SELECT first_band.*, {least}(balance - days_0_30, c2) AS days_31_60 FROM first_band),
        third_band AS (
            SELECT second_band.*, {least}(balance - days_0_30 - days_31_60, c3) AS days_61_90 FROM second_band
        )
        SELECT subscriber_id, balance, days_0_30, days_31_60, days_61_90,
               balance - days_0_30 - days_31_60 - days_61_90 AS days_over_90
        FROM third_band
    """
    return sql, params


def _aging_row(subscriber_id, balance, *buckets) -> dict:
    row = {"subscriber_id": subscriber_id, "balance": quantize(_exact(balance))}
    row.update({name: quantize(_exact(value)) for name, value in zip(AGING_BUCKETS, buckets, strict=True)})
    return row


def aging_rows(
    *,
    organization,
    as_of: datetime.date | None = None,
    subscriber_ids: list[int] | None = None,
    settlement_id: int | None = None,
    street: str | None = None,
    min_balance: Decimal | None = None,
) -> list[dict]:
    """Accounts in debt with their arrears by age (see :func:`_aging_sql`), as of a date, largest debt first.

    Returns dicts with ``subscriber_id``, ``balance`` and the four buckets of :data:`AGING_BUCKETS`.
    """
    if subscriber_ids is not None and not subscriber_ids:
        return []
    sql, params = _aging_sql(
        organization=organization,
        as_of=as_of or local_today(organization),
        subscriber_ids=subscriber_ids,
        settlement_id=settlement_id,
        street=street,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [_aging_row(*row) for row in cursor.fetchall()]
    if min_balance is not None:
        rows = [row for row in rows if row["balance"] >= min_balance]
    rows.sort(key=lambda r: (-r["balance"], r["subscriber_id"]))
    return rows


def _exact(value) -> Decimal:
    # SQLite returns sums as floats; their shortest repr is the decimal sum to the cent.
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value or 0)


def subscriber_aging(*, subscriber: Subscriber, as_of: datetime.date | None = None) -> dict:
    rows = aging_rows(organization=subscriber.organization, as_of=as_of, subscriber_ids=[subscriber.pk])
    if not rows:
        return dict.fromkeys(AGING_BUCKETS, Decimal("0.00"))
    return {name: rows[0][name] for name in AGING_BUCKETS}


@dataclass
class Debtor:
    subscriber: Subscriber
    balance: Decimal
    days_0_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    days_over_90: Decimal


# Debt at least this old: the buckets that must hold some of it (half a tiyin: SQLite sums as floats).
_OLDER_THAN = {
    31: "days_31_60 + days_61_90 + days_over_90 > 0.005",
    61: "days_61_90 + days_over_90 > 0.005",
    91: "days_over_90 > 0.005",
}


def debtor_summary(
    *,
    organization,
    as_of: datetime.date | None = None,
    settlement_id: int | None = None,
    street: str | None = None,
    min_balance: Decimal | None = None,
    min_age_days: int = 0,
    limit: int | None = None,
) -> tuple[list["Debtor"], int, dict]:
    """Debtors (largest debt first, at most ``limit`` with their accounts loaded), their count and the totals of all.

    ``min_age_days`` keeps those with debt at least that old (31, 61 or 91 days). The count and the totals come
    from the same statement as the rows (window sums), so an organization with tens of thousands of debtors sends
    only the rows shown to Python.
    """
    sql, params = _aging_sql(
        organization=organization,
        as_of=as_of or local_today(organization),
        settlement_id=settlement_id,
        street=street,
    )
    conditions = ["1 = 1"]
    if min_balance is not None:
        conditions.append("balance >= CAST(%(min_balance)s AS NUMERIC) - 0.005")
        params["min_balance"] = str(min_balance)
    if min_age_days in _OLDER_THAN:
        conditions.append(_OLDER_THAN[min_age_days])
    buckets = ", ".join(AGING_BUCKETS)
    totals_sql = ", ".join(f"SUM({name}) OVER ()" for name in ("balance", *AGING_BUCKETS))
    limit_sql = ""
    if limit is not None:
        limit_sql = "LIMIT %(limit)s"
        params["limit"] = int(limit)
    query = f"""
        SELECT subscriber_id, balance, {buckets}, COUNT(*) OVER (), {totals_sql}
        FROM ({sql}) aging WHERE {" AND ".join(conditions)}
        ORDER BY balance DESC, subscriber_id {limit_sql}
    """
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        fetched = cursor.fetchall()
    count = fetched[0][6] if fetched else 0
    totals = dict.fromkeys(("balance", *AGING_BUCKETS), Decimal("0.00"))
    if fetched:
        totals = {
            name: quantize(_exact(value))
            for name, value in zip(("balance", *AGING_BUCKETS), fetched[0][7:], strict=True)
        }
    shown = [_aging_row(*row[:6]) for row in fetched]
    accounts = (
        Subscriber.objects.filter(organization=organization)
        .select_related("settlement")
        .in_bulk([r["subscriber_id"] for r in shown])
    )
    debtors = [
        Debtor(
            subscriber=accounts[r["subscriber_id"]], **{k: v for k, v in r.items() if k != "subscriber_id"}
        )
        for r in shown
        if r["subscriber_id"] in accounts
    ]
    return debtors, count, totals


def debtor_list(**filters) -> list["Debtor"]:
    """Debtors with their accounts, largest debt first (see :func:`debtor_summary` for the filters)."""
    return debtor_summary(**filters)[0]


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def collection_by_period(*, organization, limit: int = 12) -> list[dict]:
    """Per billed month: amount billed, amount paid during that month (net of reversals) and their ratio."""
    periods = list(BillingPeriod.objects.filter(organization=organization).order_by("-month")[:limit])
    if not periods:
        return []
    billed = dict(
        LedgerEntry.objects.filter(organization=organization, kind=EntryKind.INVOICE, period__in=periods)
        .values("period_id")
        .annotate(total=Sum("amount"))
        .values_list("period_id", "total")
    )
    first = min(p.month for p in periods)
    last = _month_end(max(p.month for p in periods))
    paid_by_day = (
        LedgerEntry.objects.filter(
            organization=organization,
            kind__in=[EntryKind.PAYMENT, EntryKind.REVERSAL],
            entry_date__gte=first,
            entry_date__lte=last,
        )
        .values("entry_date")
        .annotate(total=Sum("amount"))
        .values_list("entry_date", "total")
    )
    paid: dict[datetime.date, Decimal] = {}
    for day, total in paid_by_day:
        month = day.replace(day=1)
        paid[month] = paid.get(month, Decimal("0")) - Decimal(total)
    result = []
    for period in periods:
        billed_amount = quantize(billed.get(period.pk) or 0)
        paid_amount = quantize(paid.get(period.month, 0))
        result.append(
            {
                "period": period,
                "billed": billed_amount,
                "paid": paid_amount,
                "rate": _rate(paid_amount, billed_amount),
            }
        )
    return result


def _rate(paid: Decimal, billed: Decimal) -> Decimal | None:
    if billed <= 0:
        return None
    return (paid * 100 / billed).quantize(Decimal("0.1"))


def collection_by_street(*, organization, period: BillingPeriod) -> list[dict]:
    """For one billed month: billed and paid per settlement and street, weakest collection first."""
    billed = (
        LedgerEntry.objects.filter(organization=organization, kind=EntryKind.INVOICE, period=period)
        .filter(subscriber__organization=organization)
        .values("subscriber__settlement_id", "subscriber__settlement__name", "subscriber__street")
        .annotate(total=Sum("amount"))
    )
    paid = (
        LedgerEntry.objects.filter(
            organization=organization,
            kind__in=[EntryKind.PAYMENT, EntryKind.REVERSAL],
            entry_date__gte=period.month,
            entry_date__lte=period.last_day,
        )
        .filter(subscriber__organization=organization)
        .values("subscriber__settlement_id", "subscriber__street")
        .annotate(total=Sum("amount"))
    )
    paid_by = {(r["subscriber__settlement_id"], r["subscriber__street"]): -Decimal(r["total"]) for r in paid}
    rows = []
    for r in billed:
        key = (r["subscriber__settlement_id"], r["subscriber__street"])
        billed_amount = quantize(r["total"])
        paid_amount = quantize(paid_by.get(key, 0))
        rows.append(
            {
                "settlement": r["subscriber__settlement__name"],
                "street": r["subscriber__street"],
                "billed": billed_amount,
                "paid": paid_amount,
                "rate": _rate(paid_amount, billed_amount),
            }
        )
    rows.sort(key=lambda r: (r["rate"] is None, r["rate"] or 0, r["settlement"], r["street"]))
    return rows


def payments_of_day(*, desk, date: datetime.date):
    return (
        Payment.objects.filter(organization_id=desk.organization_id, desk=desk, received_on=date)
        .select_related("subscriber")
        .order_by("receipt_number")
    )
