"""Queries of billing: balances and ledgers, arrears by age, debtors, collection rate, the cashier's search.

An account's balance and ledger are read from its ledger entries. Reports over a whole organization (collection
rate, arrears by age, the totals monitoring reads) read the balance table (:class:`AccountMonth`, one row per
account and month, kept by ``billing/balances.py`` in the transaction of every entry): one SQL statement each,
naming their GROUP BY columns explicitly.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum, Value

from khizmat.billing.choices import EntryKind
from khizmat.billing.models import AccountMonth, BillingPeriod, LedgerEntry, Payment, Subscriber
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


def _month_end(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


# Months before the one of the date asked for whose charges may still be 90 days old or younger (the end of the
# fourth month before May 1 is January 31, 90 days earlier): older months' charges are all over 90 days old.
AGING_MONTHS = 4


def aging_bands(as_of: datetime.date) -> list[list[datetime.date]]:
    """The months whose charges fall in each of the first three buckets of :data:`AGING_BUCKETS` as of a date.

    A month's charges are aged from the month's last day (or from ``as_of`` within its own month): invoices are
    dated there, and the balance table keeps charges per month.
    """
    month = as_of.replace(day=1)
    bands: list[list[datetime.date]] = [[], [], []]
    for back in range(AGING_MONTHS + 1):
        first = _add_months(month, -back)
        age = (as_of - min(_month_end(first), as_of)).days
        band = 0 if age <= 30 else 1 if age <= 60 else 2 if age <= 90 else None
        if band is not None:
            bands[band].append(first)
    return bands


def _aging_sql(
    *,
    organization,
    as_of: datetime.date,
    subscriber_ids: list[int] | None = None,
    settlement_id: int | None = None,
    street: str | None = None,
) -> tuple[str, dict]:
    """SQL of the accounts in debt: ``subscriber_id, balance`` and the four buckets of :data:`AGING_BUCKETS`.

    Read from the balance table (:class:`~khizmat.billing.models.AccountMonth`), not the ledger: per account, the
    closing balance of the row in force on ``as_of``'s month and the charges of the last months. Payments settle the
    oldest charges first, so what remains owed are the newest charges: the balance is laid over the charges of the
    last 30 days first, then those of 31–60 and 61–90 days, and the rest is older than 90 days — each month's charges
    aged from its last day (:func:`aging_bands`). Entries dated after ``as_of`` in its own month (a date in the past)
    are taken back out, read from the ledger. The balance threshold allows half a tiyin because SQLite sums decimals
    as floats.
    """
    rows_table = connection.ops.quote_name(AccountMonth._meta.db_table)
    ledger = connection.ops.quote_name(LedgerEntry._meta.db_table)
    subscribers = connection.ops.quote_name(Subscriber._meta.db_table)
    month = as_of.replace(day=1)
    window = _add_months(month, -AGING_MONTHS)
    params: dict = {
        "organization": organization.pk,
        "month": month.isoformat(),
        "window": window.isoformat(),
        "as_of": as_of.isoformat(),
        "month_end": _month_end(month).isoformat(),
    }
    bands = []
    for number, months in enumerate(aging_bands(as_of)):
        names = []
        for index, first in enumerate(months):
            params[f"band{number}_{index}"] = first.isoformat()
            names.append(f"%(band{number}_{index})s")
        bands.append(f"t.month IN ({', '.join(names)})" if names else "1 = 0")

    def filtered(alias: str) -> tuple[str, str]:
        join = filters = ""
        if subscriber_ids is not None:
            ids = ", ".join(str(int(pk)) for pk in subscriber_ids) or "NULL"
            filters += f" AND {alias}.subscriber_id IN ({ids})"
        if settlement_id or street:
            join = (
                f"JOIN {subscribers} s ON s.id = {alias}.subscriber_id"
                f" AND s.organization_id = {alias}.organization_id"
            )
        if settlement_id:
            filters += " AND s.settlement_id = %(settlement)s"
        if street:
            filters += " AND s.street = %(street)s"
        return join, filters

    if settlement_id:
        params["settlement"] = int(settlement_id)
    if street:
        params["street"] = street
    join, filters = filtered("t")
    charges = ", ".join(
        f"CASE WHEN {condition} THEN t.charged ELSE 0 END AS c{number}"
        for number, condition in enumerate(bands, start=1)
    )
    # The months of the window, then the rows in force of accounts without a movement since (one index range each).
    parts = [
        f"""SELECT t.subscriber_id,
                   CASE WHEN t.next_month > %(month)s THEN t.closing_balance ELSE 0 END AS balance, {charges}
            FROM {rows_table} t {join}
            WHERE t.organization_id = %(organization)s AND t.month >= %(window)s AND t.month <= %(month)s {filters}""",
        f"""SELECT t.subscriber_id, t.closing_balance AS balance, 0 AS c1, 0 AS c2, 0 AS c3
            FROM {rows_table} t {join}
            WHERE t.organization_id = %(organization)s AND t.next_month > %(month)s AND t.month < %(window)s
                  {filters}""",
    ]
    later = LedgerEntry.objects.filter(
        organization=organization,
        kind__in=EntryKind.values,
        entry_date__gt=as_of,
        entry_date__lte=_month_end(month),
    )
    if later.exists():
        join, filters = filtered("l")
        parts.append(
            f"""SELECT l.subscriber_id, -l.amount AS balance,
                       CASE WHEN l.amount > 0 THEN -l.amount ELSE 0 END AS c1, 0 AS c2, 0 AS c3
                FROM {ledger} l {join}
                WHERE l.organization_id = %(organization)s AND l.entry_date > %(as_of)s
                  AND l.entry_date <= %(month_end)s {filters}"""
        )
    sql = _fifo_sql(" UNION ALL ".join(parts), keys=["subscriber_id"])
    return sql, params


def _fifo_sql(movements: str, *, keys: list[str], with_clauses: str = "") -> str:
    """From ``movements`` (rows of ``keys``, ``balance`` and the charges ``c1``–``c3`` of the first three age bands),
    the accounts in debt with their debt laid over the newest charges first: ``keys``, ``balance`` and the four
    buckets of :data:`AGING_BUCKETS`."""
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    columns = ", ".join(keys)
    return f"""
        WITH {with_clauses} sums AS (
            SELECT {columns}, SUM(balance) AS balance, SUM(c1) AS c1, SUM(c2) AS c2, SUM(c3) AS c3
            FROM ({movements}) movements
            GROUP BY {columns}
            HAVING SUM(balance) > 0.005
        ),
        first_band AS (SELECT sums.*, {least}(balance, c1) AS days_0_30 FROM sums),
        second_band AS (SELECT first_band.*, {least}(balance - days_0_30, c2) AS days_31_60 FROM first_band),
        third_band AS (
            SELECT second_band.*, {least}(balance - days_0_30 - days_31_60, c3) AS days_61_90 FROM second_band
        )
        SELECT {columns}, balance, days_0_30, days_31_60, days_61_90,
               balance - days_0_30 - days_31_60 - days_61_90 AS days_over_90
        FROM third_band
    """


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


def collection_by_period(*, organization, limit: int = 12) -> list[dict]:
    """Per billed month: amount billed, amount paid during that month (net of reversals) and their ratio.

    One grouped read of the months' rows of the balance table."""
    periods = list(BillingPeriod.objects.filter(organization=organization).order_by("-month")[:limit])
    if not periods:
        return []
    totals = {
        month: (billed, paid)
        for month, billed, paid in AccountMonth.objects.filter(
            organization=organization, month__in=[p.month for p in periods]
        )
        .values("month")
        .annotate(billed=Sum("billed"), paid=Sum("paid"))
        .values_list("month", "billed", "paid")
    }
    result = []
    for period in periods:
        billed, paid = totals.get(period.month, (0, 0))
        billed_amount = quantize(_exact(billed))
        paid_amount = quantize(_exact(paid))
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
    """For one billed month: billed and paid per settlement and street, weakest collection first (the streets with
    an invoice that month). One grouped read of the month's rows of the balance table with their accounts."""
    grouped = (
        AccountMonth.objects.filter(organization=organization, month=period.month)
        .filter(subscriber__organization=organization)
        .values("subscriber__settlement_id", "subscriber__settlement__name", "subscriber__street")
        .annotate(
            billed_total=Sum("billed"),
            paid_total=Sum("paid"),
            invoiced=Count("pk", filter=~Q(billed=0)),
        )
        .filter(invoiced__gt=0)
    )
    rows = []
    for r in grouped:
        billed_amount = quantize(_exact(r["billed_total"]))
        paid_amount = quantize(_exact(r["paid_total"]))
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


# --- Totals per organization (monitoring) ----------------------------------------------------------------------------


def _literal(value: datetime.date) -> str:
    if connection.vendor == "postgresql":
        return f"DATE '{value.isoformat()}'"
    return f"'{value.isoformat()}'"


def arrears_totals(
    *, organization_ids: list[int], dates: list[datetime.date]
) -> dict[tuple[int, datetime.date], dict]:
    """Arrears of each organization as of each date, in one statement over the balance table: ``{(organization id,
    date): {"debtors", "balance", *AGING_BUCKETS}}``; an organization without debtors on a date is left out.

    The same rule as :func:`aging_rows` (each account's debt laid over its newest charges, months aged from their
    last day), summed over the accounts in debt.
    """
    ids = ", ".join(str(int(pk)) for pk in organization_ids)
    if not ids or not dates:
        return {}
    rows_table = connection.ops.quote_name(AccountMonth._meta.db_table)
    ledger = connection.ops.quote_name(LedgerEntry._meta.db_table)
    points, bands = [], []
    for as_of in sorted(set(dates)):
        month = as_of.replace(day=1)
        points.append(f"({_literal(as_of)}, {_literal(month)}, {_literal(_month_end(month))})")
        for number, months in enumerate(aging_bands(as_of), start=1):
            bands.extend(f"({_literal(as_of)}, {_literal(first)}, {number})" for first in months)
    bands.append(f"({_literal(dates[0])}, {_literal(datetime.date(1, 1, 1))}, 0)")  # never empty
    kinds = ", ".join(f"'{kind}'" for kind in EntryKind.values)
    charges = ", ".join(f"CASE WHEN b.band = {n} THEN t.charged ELSE 0 END AS c{n}" for n in (1, 2, 3))
    movements = f"""
        SELECT pt.p, t.organization_id, t.subscriber_id, t.closing_balance AS balance, 0 AS c1, 0 AS c2, 0 AS c3
        FROM points pt JOIN {rows_table} t ON t.month <= pt.x AND t.next_month > pt.x
        WHERE t.organization_id IN ({ids})
        UNION ALL
        SELECT b.p, t.organization_id, t.subscriber_id, 0 AS balance, {charges}
        FROM bands b JOIN {rows_table} t ON t.month = b.r
        WHERE t.organization_id IN ({ids})
        UNION ALL
        SELECT pt.p, l.organization_id, l.subscriber_id, -l.amount AS balance,
               CASE WHEN l.amount > 0 THEN -l.amount ELSE 0 END AS c1, 0 AS c2, 0 AS c3
        FROM points pt JOIN {ledger} l ON l.entry_date > pt.p AND l.entry_date <= pt.e
        WHERE l.organization_id IN ({ids}) AND l.kind IN ({kinds})
    """
    fifo = _fifo_sql(
        movements,
        keys=["p", "organization_id", "subscriber_id"],
        with_clauses=f"points (p, x, e) AS (VALUES {', '.join(points)}), "
        f"bands (p, r, band) AS (VALUES {', '.join(bands)}),",
    )
    totals = ", ".join(f"SUM({name})" for name in ("balance", *AGING_BUCKETS))
    sql = f"SELECT p, organization_id, COUNT(*), {totals} FROM ({fifo}) debts GROUP BY p, organization_id"
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for day, organization_id, count, *amounts in cursor.fetchall():
            if isinstance(day, str):
                day = datetime.date.fromisoformat(day)
            result[(organization_id, day)] = {
                "debtors": count,
                **{
                    name: quantize(_exact(value))
                    for name, value in zip(("balance", *AGING_BUCKETS), amounts, strict=True)
                },
            }
    return result


def balance_totals(
    *,
    organization_ids: list[int],
    month_from: datetime.date,
    month_to: datetime.date,
    today: datetime.date | None = None,
) -> list[dict]:
    """Per organization and month (``month_from``–``month_to``, first days): billed, collected (payments less
    reversals), adjusted, the collection rate, and the arrears at the month's end (or ``today`` within the running
    month; by default the organizations' latest local date) with the debtors' count and the debt by age.

    Two statements over the balance table, whatever the number of organizations and months. Rows are ordered by
    organization and month; a month without movements or debtors has zeros.
    """
    organization_ids = [int(pk) for pk in organization_ids]
    if not organization_ids or month_to < month_from:
        return []
    months = []
    month = month_from.replace(day=1)
    while month <= month_to:
        months.append(month)
        month = _add_months(month, 1)
    if today is None:
        from khizmat.tenancy.models import Organization

        today = max(local_today(org) for org in Organization.objects.filter(pk__in=organization_ids))
    points = {month: min(_month_end(month), today) for month in months if month <= today}
    flows = {
        (org, month): (billed, paid, adjusted)
        for org, month, billed, paid, adjusted in AccountMonth.objects.filter(
            organization_id__in=organization_ids, month__gte=months[0], month__lte=months[-1]
        )
        .values("organization_id", "month")
        .annotate(b=Sum("billed"), p=Sum("paid"), a=Sum("adjusted"))
        .values_list("organization_id", "month", "b", "p", "a")
        .order_by()
    }
    arrears = arrears_totals(organization_ids=organization_ids, dates=list(points.values()))
    empty = {"debtors": 0, **dict.fromkeys(("balance", *AGING_BUCKETS), Decimal("0.00"))}
    rows = []
    for org in sorted(organization_ids):
        for month in months:
            billed, paid, adjusted = (quantize(_exact(v)) for v in flows.get((org, month), (0, 0, 0)))
            as_of = points.get(month)
            debt = arrears.get((org, as_of), empty) if as_of else empty
            rows.append(
                {
                    "organization_id": org,
                    "month": month,
                    "billed": billed,
                    "collected": paid,
                    "adjusted": adjusted,
                    "rate": _rate(paid, billed),
                    "arrears_as_of": as_of,
                    "debtors": debt["debtors"],
                    "arrears": debt["balance"],
                    **{name: debt[name] for name in AGING_BUCKETS},
                }
            )
    return rows


def day_totals(
    *, organization_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> list[dict]:
    """Per organization and day: billed, collected (payments less reversals) and adjusted, from the ledger's entries
    of those days (one grouped statement over the index by organization, kind and date). Days without entries are
    left out."""
    rows = (
        LedgerEntry.objects.filter(
            organization_id__in=[int(pk) for pk in organization_ids],
            kind__in=EntryKind.values,
            entry_date__gte=date_from,
            entry_date__lte=date_to,
        )
        .values("organization_id", "entry_date")
        .annotate(
            billed=Sum("amount", filter=Q(kind=EntryKind.INVOICE)),
            paid=Sum("amount", filter=Q(kind__in=[EntryKind.PAYMENT, EntryKind.REVERSAL])),
            adjusted=Sum("amount", filter=Q(kind=EntryKind.ADJUSTMENT)),
        )
        .order_by("organization_id", "entry_date")
    )
    return [
        {
            "organization_id": row["organization_id"],
            "date": row["entry_date"],
            "billed": quantize(_exact(row["billed"])),
            "collected": quantize(0 - _exact(row["paid"])),
            "adjusted": quantize(_exact(row["adjusted"])),
        }
        for row in rows
    ]


def payments_of_day(*, desk, date: datetime.date):
    return (
        Payment.objects.filter(organization_id=desk.organization_id, desk=desk, received_on=date)
        .select_related("subscriber")
        .order_by("receipt_number")
    )
