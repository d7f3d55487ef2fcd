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
from django.db.models import Q, Sum, Value

from khizmat.billing.choices import EntryKind
from khizmat.billing.models import AccountMonth, BillingPeriod, LedgerEntry, MonthTotal, Payment, Subscriber
from khizmat.billing.money import quantize
from khizmat.core.fieldrules import phone_candidates
from khizmat.core.search import key_condition
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.models import Settlement

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
# fourth month before May 1 is January 31, 90 days earlier): older months' charges are all over 90 days old. Each
# balance row repeats the charges of as many months before its own (``charged_1`` … ``charged_4``).
AGING_MONTHS = 4
_CHARGED = ("charged", "charged_1", "charged_2", "charged_3", "charged_4")


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


def _row_bands(as_of: datetime.date) -> dict[datetime.date, list[int]]:
    """For each month a row in force on ``as_of`` may have and still hold young charges (the last five), the bucket
    (1–3, 0 = over 90 days) of each of its charge columns (:data:`_CHARGED`: its own month, then one to four months
    before)."""
    band_of = {first: number for number, months in enumerate(aging_bands(as_of), start=1) for first in months}
    month = as_of.replace(day=1)
    rows = {}
    for back in range(AGING_MONTHS + 1):
        row_month = _add_months(month, -back)
        rows[row_month] = [band_of.get(_add_months(row_month, -k), 0) for k in range(len(_CHARGED))]
    return rows


def _cover_sql(row_bands: dict[datetime.date, list[int]], params: dict, balance: str) -> str:
    """``l1, l2, l3``: how much of a row's ``balance`` the charges of the first one, two and three buckets cover (the
    newest first), by the month of the row (``t.month``); each one CASE over the charge columns, evaluated once."""
    whens: list[list[str]] = [[], [], []]
    for index, (row_month, bands) in enumerate(row_bands.items()):
        params[f"row{index}"] = row_month.isoformat()
        for number in (1, 2, 3):
            columns = [
                f"t.{column}" for column, band in zip(_CHARGED, bands, strict=True) if 1 <= band <= number
            ]
            if columns:
                whens[number - 1].append(f"WHEN %(row{index})s THEN {' + '.join(columns)}")
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    return ", ".join(
        f"{least}({balance}, CASE t.month {' '.join(cases)} ELSE 0 END) AS l{number}"
        if cases
        else f"0 AS l{number}"
        for number, cases in enumerate(whens, start=1)
    )


def _aging_sql(
    *,
    organization,
    as_of: datetime.date,
    subscriber_ids: list[int] | None = None,
    settlement_id: int | None = None,
    street: str | None = None,
) -> tuple[str, dict]:
    """SQL of the accounts in debt: ``subscriber_id, balance`` and ``l1``–``l3``, what the charges of the first one,
    two and three buckets of :data:`AGING_BUCKETS` cover of the balance (:func:`_buckets` gives the buckets).

    Read from the balance table (:class:`~khizmat.billing.models.AccountMonth`), not the ledger: one row per account,
    the one in force on ``as_of``'s month, with its closing balance and the charges of its month and the four
    before. Payments settle the oldest charges first, so what remains owed are the newest charges: the balance is
    laid over the charges of the last 30 days first, then those of 31–60 and 61–90 days, and the rest is older than
    90 days — each month's charges aged from its last day (:func:`aging_bands`). Entries dated after ``as_of`` in its
    own month (a date in the past) are taken back out, read from the ledger. The balance threshold allows half a
    tiyin because SQLite sums decimals as floats.
    """
    rows_table = connection.ops.quote_name(AccountMonth._meta.db_table)
    ledger = connection.ops.quote_name(LedgerEntry._meta.db_table)
    subscribers = connection.ops.quote_name(Subscriber._meta.db_table)
    month = as_of.replace(day=1)
    params: dict = {
        "organization": organization.pk,
        "month": month.isoformat(),
        "as_of": as_of.isoformat(),
        "month_end": _month_end(month).isoformat(),
    }

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
    later = LedgerEntry.objects.filter(
        organization=organization,
        kind__in=EntryKind.values,
        entry_date__gt=as_of,
        entry_date__lte=_month_end(month),
    )
    if not later.exists():
        # The row in force on the month (at or before it, no later row up to it): one index range, one row each.
        return (
            f"""
            SELECT t.subscriber_id, t.closing_balance AS balance,
                   {_cover_sql(_row_bands(as_of), params, "t.closing_balance")}
            FROM {rows_table} t {join}
            WHERE t.organization_id = %(organization)s AND t.next_month > %(month)s AND t.month <= %(month)s
              AND t.closing_balance > 0.005 {filters}
        """,
            params,
        )
    charges = _charges_sql(_row_bands(as_of))
    ledger_join, ledger_filters = filtered("l")
    movements = f"""
        SELECT t.subscriber_id, t.closing_balance AS balance, {charges}
        FROM {rows_table} t {join}
        WHERE t.organization_id = %(organization)s AND t.next_month > %(month)s AND t.month <= %(month)s {filters}
        UNION ALL
        SELECT l.subscriber_id, -l.amount AS balance,
               CASE WHEN l.amount > 0 THEN -l.amount ELSE 0 END AS c1, 0 AS c2, 0 AS c3
        FROM {ledger} l {ledger_join}
        WHERE l.organization_id = %(organization)s AND l.entry_date > %(as_of)s
          AND l.entry_date <= %(month_end)s {ledger_filters}
    """
    return _covered_sql(movements, keys=["subscriber_id"]), params


def _charges_sql(row_bands: dict[datetime.date, list[int]], alias: str = "t") -> str:
    """``c1, c2, c3``: a row's charges in each of the first three buckets (literal months: several dates at once)."""
    sums = []
    for number in (1, 2, 3):
        whens = []
        for row_month, bands in row_bands.items():
            columns = [f"{alias}.{c}" for c, band in zip(_CHARGED, bands, strict=True) if band == number]
            if columns:
                whens.append(f"WHEN {_literal(row_month)} THEN {' + '.join(columns)}")
        sums.append(
            f"CASE {alias}.month {' '.join(whens)} ELSE 0 END AS c{number}" if whens else f"0 AS c{number}"
        )
    return ", ".join(sums)


def _covered_sql(movements: str, *, keys: list[str]) -> str:
    """From ``movements`` (rows of ``keys``, ``balance`` and the charges ``c1``–``c3`` of the first three buckets,
    several per account), the accounts in debt: ``keys``, ``balance`` and ``l1``–``l3``, what the charges of the
    first one, two and three buckets cover of the balance (payments settle the oldest charges first)."""
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    columns = ", ".join(keys)
    return f"""
        SELECT {columns}, balance, {least}(balance, c1) AS l1, {least}(balance, c1 + c2) AS l2,
               {least}(balance, c1 + c2 + c3) AS l3
        FROM (
            SELECT {columns}, SUM(balance) AS balance, SUM(c1) AS c1, SUM(c2) AS c2, SUM(c3) AS c3
            FROM ({movements}) movements
            GROUP BY {columns}
            HAVING SUM(balance) > 0.005
        ) sums
    """


def _buckets(balance, l1, l2, l3) -> dict:
    """The four buckets of :data:`AGING_BUCKETS` from a balance and what each band's charges cover of it."""
    balance, l1, l2, l3 = (_exact(value) for value in (balance, l1, l2, l3))
    return {
        "balance": quantize(balance),
        "days_0_30": quantize(l1),
        "days_31_60": quantize(l2 - l1),
        "days_61_90": quantize(l3 - l2),
        "days_over_90": quantize(balance - l3),
    }


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
        rows = [{"subscriber_id": row[0], **_buckets(*row[1:])} for row in cursor.fetchall()]
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


# Debt at least this old: what the younger bands' charges leave of the balance (half a tiyin: SQLite sums as floats).
_OLDER_THAN = {31: "balance - l1 > 0.005", 61: "balance - l2 > 0.005", 91: "balance - l3 > 0.005"}


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

    ``min_age_days`` keeps those with debt at least that old (31, 61 or 91 days). The count and the totals are summed
    in the database, so an organization with tens of thousands of debtors sends only the rows shown to Python.
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
    where = " AND ".join(conditions)
    limit_sql = ""
    if limit is not None:
        limit_sql = "LIMIT %(limit)s"
        params["limit"] = int(limit)
    with connection.cursor() as cursor:
        # The count and totals of all, then the rows shown: two statements over the same rows, each computing
        # every row's cover once (a window total over every row costs more than reading them twice).
        cursor.execute(
            f"SELECT COUNT(*), SUM(balance), SUM(l1), SUM(l2), SUM(l3) FROM ({sql}) aging WHERE {where}",
            params,
        )
        count, *sums = cursor.fetchone()
        fetched = []
        if count:
            cursor.execute(
                f"""SELECT subscriber_id, balance, l1, l2, l3 FROM ({sql}) aging WHERE {where}
                    ORDER BY balance DESC, subscriber_id {limit_sql}""",
                params,
            )
            fetched = cursor.fetchall()
    totals = _buckets(*sums)
    shown = [{"subscriber_id": row[0], **_buckets(*row[1:])} for row in fetched]
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
    """Per billed month: amount billed, amount paid during that month (net of reversals) and their ratio, read from
    the organization's month totals (:class:`MonthTotal`, one row per month)."""
    periods = list(BillingPeriod.objects.filter(organization=organization).order_by("-month")[:limit])
    if not periods:
        return []
    totals = {
        month: (billed, paid)
        for month, billed, paid in MonthTotal.objects.filter(
            organization=organization, month__in=[p.month for p in periods]
        ).values_list("month", "billed", "paid")
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
    rows_table = connection.ops.quote_name(AccountMonth._meta.db_table)
    subscribers = connection.ops.quote_name(Subscriber._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT s.settlement_id, s.street, SUM(t.billed), SUM(t.paid)
            FROM {rows_table} t
            JOIN {subscribers} s ON s.organization_id = t.organization_id AND s.id = t.subscriber_id
            WHERE t.organization_id = %s AND t.month = %s
            GROUP BY s.settlement_id, s.street
            HAVING SUM(CASE WHEN t.billed <> 0 THEN 1 ELSE 0 END) > 0
            """,
            [organization.pk, period.month.isoformat()],
        )
        grouped = cursor.fetchall()
    names = dict(Settlement.objects.filter(pk__in={row[0] for row in grouped}).values_list("pk", "name"))
    rows = []
    for settlement_id, street, billed, paid in grouped:
        billed_amount = quantize(_exact(billed))
        paid_amount = quantize(_exact(paid))
        rows.append(
            {
                "settlement": names.get(settlement_id, ""),
                "street": street,
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
    last day; the row in force per account and date, less the entries dated after the date in its month), summed
    over the accounts in debt.
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
        for row_month, row in _row_bands(as_of).items():
            bands.append(f"({_literal(as_of)}, {_literal(row_month)}, {', '.join(str(b) for b in row)})")
    band_columns = ", ".join(f"b{k}" for k in range(len(_CHARGED)))
    charges = ", ".join(
        " + ".join(
            f"CASE WHEN a.b{k} = {number} THEN t.{column} ELSE 0 END" for k, column in enumerate(_CHARGED)
        )
        + f" AS c{number}"
        for number in (1, 2, 3)
    )
    kinds = ", ".join(f"'{kind}'" for kind in EntryKind.values)
    movements = f"""
        SELECT pt.p, t.organization_id, t.subscriber_id, t.closing_balance AS balance, {charges}
        FROM points pt
        JOIN {rows_table} t ON t.next_month > pt.x AND t.month <= pt.x
        LEFT JOIN aging a ON a.p = pt.p AND a.l = t.month
        WHERE t.organization_id IN ({ids})
        UNION ALL
        SELECT pt.p, l.organization_id, l.subscriber_id, -l.amount AS balance,
               CASE WHEN l.amount > 0 THEN -l.amount ELSE 0 END AS c1, 0 AS c2, 0 AS c3
        FROM points pt JOIN {ledger} l ON l.entry_date > pt.p AND l.entry_date <= pt.e
        WHERE l.organization_id IN ({ids}) AND l.kind IN ({kinds})
    """
    covered = _covered_sql(movements, keys=["p", "organization_id", "subscriber_id"])
    sql = f"""
        WITH points (p, x, e) AS (VALUES {", ".join(points)}),
             aging (p, l, {band_columns}) AS (VALUES {", ".join(bands)})
        SELECT p, organization_id, COUNT(*), SUM(balance), SUM(l1), SUM(l2), SUM(l3)
        FROM ({covered}) debts GROUP BY p, organization_id
    """
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for day, organization_id, count, *sums in cursor.fetchall():
            if isinstance(day, str):
                day = datetime.date.fromisoformat(day)
            buckets = _buckets(*sums)
            result[(organization_id, day)] = {"debtors": count, **buckets}
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

    Two statements (the month totals, then the balance table), whatever the number of organizations and months. Rows are ordered by
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
        for org, month, billed, paid, adjusted in MonthTotal.objects.filter(
            organization_id__in=organization_ids, month__gte=months[0], month__lte=months[-1]
        ).values_list("organization_id", "month", "billed", "paid", "adjusted")
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
