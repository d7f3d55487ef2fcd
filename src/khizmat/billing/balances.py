"""The balance table (:class:`~khizmat.billing.models.AccountMonth`) and the month totals: kept in step with the
ledger, rebuilt from it.

Every writer of ledger entries calls :func:`record` in the same transaction, after its entries are written, with the
SQL condition that selects them (``l`` is the ledger). :func:`record` adds their sums per account and month to the
table set-based, whether it is one payment or the hundred thousand invoices of an approved run:

1. the accounts are locked (PostgreSQL: ``FOR NO KEY UPDATE`` of their subscriber rows, in id order), so that two
   writers of one account — a run approved for last month while a cashier takes this month's payment — take turns
   and each sees the other's rows;
2. a month without a row gets one, carrying the balance of the account's previous row;
3. the rows before it that pointed past it (``next_month``) now point to it;
4. the entries' sums are added to their month's row; their net to the closing balance of every later row, and their
   charges to the ``charged_1`` … ``charged_4`` of the rows one to four months later;
5. the organization's :class:`~khizmat.billing.models.MonthTotal` of each month gets the same sums (created with
   ``ON CONFLICT DO NOTHING`` first: two writers may meet there; the update then waits for the row's lock).

:func:`rebuild` writes the rows of some organizations from their ledger in one ``INSERT … SELECT`` (window sums for
the closing balances); :func:`problems` compares the table with what :func:`rebuild` would write.
"""

from __future__ import annotations

import datetime

from django.db import connection

from khizmat.billing.choices import EntryKind
from khizmat.billing.kpis import SOURCE as KPI_SOURCE
from khizmat.billing.models import NO_NEXT_MONTH, AccountMonth, LedgerEntry, MonthTotal, Subscriber
from khizmat.monitoring.services import kpi_touch

BEFORE = (1, 2, 3, 4)  # the months before whose charges each row repeats (charged_1 … charged_4)

# Half a tiyin: SQLite keeps decimals as floats, so its sums differ from the exact one by far less than this.
TOLERANCE = "0.005"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table() -> str:
    return _quote(AccountMonth._meta.db_table)


def totals_table() -> str:
    return _quote(MonthTotal._meta.db_table)


def ledger_table() -> str:
    return _quote(LedgerEntry._meta.db_table)


def month_of(expression: str) -> str:
    """The first day of the month of a date expression, as a date (SQLite: its ISO text, as Django stores dates)."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {expression}) AS date)"
    return f"date({expression}, 'start of month')"


def months_before(expression: str, count: int) -> str:
    """The first day of the month ``count`` months before a month (a first day)."""
    if connection.vendor == "postgresql":
        return f"CAST({expression} - INTERVAL '{int(count)} month' AS date)"
    return f"date({expression}, '-{int(count)} months')"


def month_number(expression: str) -> str:
    """year × 12 + month of a date: consecutive months are consecutive integers (window frames by month)."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {expression}) * 12 + EXTRACT(MONTH FROM {expression}) AS integer)"
    return f"(CAST(strftime('%Y', {expression}) AS INTEGER) * 12 + CAST(strftime('%m', {expression}) AS INTEGER))"


def money(expression: str) -> str:
    """An amount as stored: SQLite computes in floats, so each stored sum is rounded back to the cent."""
    if connection.vendor == "postgresql":
        return expression
    return f"ROUND({expression}, 2)"


def date_literal(value) -> str:
    if connection.vendor == "postgresql":
        return f"DATE '{value.isoformat()}'"
    return f"'{value.isoformat()}'"


def _grouped_sql(where: str) -> str:
    """Sums per account and month of the ledger entries ``l`` matching ``where``: columns ``organization_id,
    subscriber_id, month, billed, paid, adjusted, charged, net``."""
    month = month_of("l.entry_date")
    return f"""
        SELECT l.organization_id, l.subscriber_id, {month} AS month,
               SUM(CASE WHEN l.kind = '{EntryKind.INVOICE.value}' THEN l.amount ELSE 0 END) AS billed,
               SUM(CASE WHEN l.kind IN ('{EntryKind.PAYMENT.value}', '{EntryKind.REVERSAL.value}')
                        THEN -l.amount ELSE 0 END) AS paid,
               SUM(CASE WHEN l.kind = '{EntryKind.ADJUSTMENT.value}' THEN l.amount ELSE 0 END) AS adjusted,
               SUM(CASE WHEN l.amount > 0 THEN l.amount ELSE 0 END) AS charged,
               SUM(l.amount) AS net
        FROM {ledger_table()} l
        WHERE {where}
        GROUP BY l.organization_id, l.subscriber_id, {month}
    """


def deltas_sql(condition: str) -> str:
    """:func:`_grouped_sql` of the entries of ``%(organization)s`` that match ``condition``."""
    return _grouped_sql(f"l.organization_id = %(organization)s AND ({condition})")


def record(*, organization_id: int, condition: str, params: dict | None = None) -> None:
    """Add the ledger entries that match ``condition`` (SQL over the ledger ``l``, with ``params``) to the balance
    table; call it once, in the transaction that wrote them, right after writing them."""
    params = {**(params or {}), "organization": organization_id}
    deltas = deltas_sql(condition)
    am = table()
    far = date_literal(NO_NEXT_MONTH)
    before = ", ".join(
        f"""COALESCE((SELECT b.charged FROM {am} b
                      WHERE b.organization_id = d.organization_id AND b.subscriber_id = d.subscriber_id
                        AND b.month = {months_before("d.month", k)}), 0)"""
        for k in BEFORE
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                SELECT s.id FROM {_quote(Subscriber._meta.db_table)} s
                WHERE s.organization_id = %(organization)s AND s.id IN (SELECT d.subscriber_id FROM ({deltas}) d)
                ORDER BY s.id FOR NO KEY UPDATE
                """,
                params,
            )
        cursor.execute(
            f"""
            INSERT INTO {am} (organization_id, subscriber_id, month, billed, paid, adjusted, charged,
                              {", ".join(f"charged_{k}" for k in BEFORE)}, closing_balance, next_month)
            SELECT d.organization_id, d.subscriber_id, d.month, 0, 0, 0, 0, {before},
                   COALESCE((SELECT p.closing_balance FROM {am} p
                             WHERE p.organization_id = d.organization_id AND p.subscriber_id = d.subscriber_id
                               AND p.month < d.month
                             ORDER BY p.month DESC LIMIT 1), 0),
                   COALESCE((SELECT MIN(n.month) FROM {am} n
                             WHERE n.organization_id = d.organization_id AND n.subscriber_id = d.subscriber_id
                               AND n.month > d.month), {far})
            FROM ({deltas}) d
            WHERE NOT EXISTS (SELECT 1 FROM {am} e
                              WHERE e.organization_id = d.organization_id AND e.subscriber_id = d.subscriber_id
                                AND e.month = d.month)
            """,
            params,
        )
        if cursor.rowcount:
            cursor.execute(
                f"""
                UPDATE {am} SET next_month = (
                    SELECT MIN(n.month) FROM {am} n
                    WHERE n.organization_id = {am}.organization_id AND n.subscriber_id = {am}.subscriber_id
                      AND n.month > {am}.month)
                WHERE {am}.organization_id = %(organization)s AND {am}.id IN (
                    SELECT a.id FROM {am} a
                    JOIN ({deltas}) d ON d.organization_id = a.organization_id AND d.subscriber_id = a.subscriber_id
                    WHERE a.organization_id = %(organization)s AND a.month < d.month AND a.next_month > d.month)
                """,
                params,
            )
        cursor.execute(
            f"""
            UPDATE {am} SET billed = {money(f"{am}.billed + d.billed")}, paid = {money(f"{am}.paid + d.paid")},
                   adjusted = {money(f"{am}.adjusted + d.adjusted")}, charged = {money(f"{am}.charged + d.charged")},
                   closing_balance = {money(f"{am}.closing_balance + d.net")}
            FROM ({deltas}) d
            WHERE {am}.organization_id = %(organization)s AND d.organization_id = {am}.organization_id
              AND d.subscriber_id = {am}.subscriber_id AND d.month = {am}.month
            """,
            params,
        )
        shifted = ", ".join(f"charged_{k} = {money(f'{am}.charged_{k} + later.charged_{k}')}" for k in BEFORE)
        sums = ", ".join(
            f"SUM(CASE WHEN d.month = {months_before('a.month', k)} THEN d.charged ELSE 0 END) AS charged_{k}"
            for k in BEFORE
        )
        cursor.execute(
            f"""
            UPDATE {am} SET closing_balance = {money(f"{am}.closing_balance + later.shift")}, {shifted}
            FROM (
                SELECT a.id, SUM(d.net) AS shift, {sums} FROM {am} a
                JOIN ({deltas}) d ON d.organization_id = a.organization_id AND d.subscriber_id = a.subscriber_id
                WHERE a.organization_id = %(organization)s AND a.month > d.month
                GROUP BY a.id
            ) later
            WHERE {am}.organization_id = %(organization)s AND {am}.id = later.id
            """,
            params,
        )
        # The organization's months: created when missing (a concurrent writer may create the same one: nothing
        # then), then added to under the row's lock.
        mt = totals_table()
        cursor.execute(
            f"""
            INSERT INTO {mt} (organization_id, month, billed, paid, adjusted, charged)
            SELECT DISTINCT d.organization_id, d.month, 0, 0, 0, 0 FROM ({deltas}) d WHERE 1 = 1
            ON CONFLICT (organization_id, month) DO NOTHING
            """,
            params,
        )
        cursor.execute(
            f"""
            UPDATE {mt} SET billed = {money(f"{mt}.billed + d.billed")}, paid = {money(f"{mt}.paid + d.paid")},
                   adjusted = {money(f"{mt}.adjusted + d.adjusted")}, charged = {money(f"{mt}.charged + d.charged")}
            FROM (
                SELECT organization_id, month, SUM(billed) AS billed, SUM(paid) AS paid, SUM(adjusted) AS adjusted,
                       SUM(charged) AS charged
                FROM ({deltas}) grouped GROUP BY organization_id, month
            ) d
            WHERE {mt}.organization_id = %(organization)s AND d.organization_id = {mt}.organization_id
              AND d.month = {mt}.month
            """,
            params,
        )

    _touch_days(organization_id=organization_id, condition=condition, params=params)


def _touch_days(*, organization_id: int, condition: str, params: dict) -> None:
    """Mark the days of these entries for the monitoring figures (recomputed after the commit)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT l.entry_date FROM {_quote(LedgerEntry._meta.db_table)} l"
            f" WHERE l.organization_id = %(organization)s AND ({condition})",
            params,
        )
        days = [row[0] for row in cursor.fetchall()]
    kpi_touch(organization_id=organization_id, source=KPI_SOURCE, days=[_as_date(day) for day in days])


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def lock_organization(*, organization_id: int) -> None:
    """Make the organization's writers wait until this transaction ends (PostgreSQL; SQLite has one writer at a time):
    what :func:`record` locks first, for every account."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.id FROM {_quote(Subscriber._meta.db_table)} s WHERE s.organization_id = %s"
            " ORDER BY s.id FOR NO KEY UPDATE",
            [organization_id],
        )


def record_entry(entry: LedgerEntry) -> None:
    """:func:`record` for one entry just written."""
    record(organization_id=entry.organization_id, condition="l.id = %(entry)s", params={"entry": entry.pk})


def expected_sql(organizations: str) -> str:
    """The rows the ledger gives for the organizations ``organizations`` (an SQL list of ids): each account's months
    with movements, their sums, the charges of the four months before, the closing balance (a running sum) and the
    next month."""
    far = date_literal(NO_NEXT_MONTH)
    window = "PARTITION BY g.organization_id, g.subscriber_id ORDER BY g.month"
    by_number = "PARTITION BY g.organization_id, g.subscriber_id ORDER BY g.number"
    before = ", ".join(
        f"{money(f'COALESCE(SUM(g.charged) OVER ({by_number} RANGE BETWEEN {k} PRECEDING AND {k} PRECEDING), 0)')}"
        f" AS charged_{k}"
        for k in BEFORE
    )
    return f"""
        SELECT g.organization_id, g.subscriber_id, g.month, {money("g.billed")} AS billed, {money("g.paid")} AS paid,
               {money("g.adjusted")} AS adjusted, {money("g.charged")} AS charged, {before},
               {money(f"SUM(g.net) OVER ({window} ROWS UNBOUNDED PRECEDING)")} AS closing_balance,
               COALESCE(LEAD(g.month) OVER ({window}), {far}) AS next_month
        FROM (
            SELECT grouped.*, {month_number("grouped.month")} AS number
            FROM ({_grouped_sql(f"l.organization_id IN ({organizations})")}) grouped
        ) g
    """


COLUMNS = (
    "organization_id, subscriber_id, month, billed, paid, adjusted, charged, charged_1, charged_2, charged_3, "
    "charged_4, closing_balance, next_month"
)


def totals_sql(organizations: str) -> str:
    """The organizations' months as the sums of their account rows (:class:`MonthTotal`'s columns)."""
    return f"""
        SELECT organization_id, month, {money("SUM(billed)")} AS billed, {money("SUM(paid)")} AS paid,
               {money("SUM(adjusted)")} AS adjusted, {money("SUM(charged)")} AS charged
        FROM {table()} WHERE organization_id IN ({organizations})
        GROUP BY organization_id, month
    """


def _id_list(organization_ids) -> str:
    return ", ".join(str(int(pk)) for pk in organization_ids) or "NULL"


def rebuild(*, organization_ids) -> int:
    """Rewrite the balance table and the month totals of these organizations from their ledger (DELETEs, then one
    INSERT … SELECT each); returns the number of account rows written. Run it in a transaction (the management
    command and the migration do)."""
    ids = _id_list(organization_ids)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table()} WHERE organization_id IN ({ids})")
        cursor.execute(f"DELETE FROM {totals_table()} WHERE organization_id IN ({ids})")
        cursor.execute(
            f"INSERT INTO {table()} ({COLUMNS}) SELECT {COLUMNS} FROM ({expected_sql(ids)}) expected"
        )
        count = max(cursor.rowcount, 0)
        cursor.execute(
            f"""
            INSERT INTO {totals_table()} (organization_id, month, billed, paid, adjusted, charged)
            SELECT organization_id, month, billed, paid, adjusted, charged FROM ({totals_sql(ids)}) totals
            """
        )
        return count


def problems(*, organization) -> list[str]:
    """How the organization's balance table differs from its ledger (empty when it agrees): rows missing, rows that
    should not be there, sums or balances that differ, closing balances that do not follow from the previous
    month's, and month totals that are not the sums of their rows. Four set-based queries."""
    am = table()
    expected = expected_sql(_id_list([organization.pk]))
    differs = " OR ".join(
        f"ABS(t.{column} - e.{column}) > {TOLERANCE}"
        for column in (
            "billed",
            "paid",
            "adjusted",
            "charged",
            "closing_balance",
            *(f"charged_{k}" for k in BEFORE),
        )
    )
    found: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT e.subscriber_id, e.month, t.id FROM ({expected}) e
            LEFT JOIN {am} t ON t.organization_id = e.organization_id AND t.subscriber_id = e.subscriber_id
                            AND t.month = e.month
            WHERE t.id IS NULL OR {differs} OR t.next_month <> e.next_month
            ORDER BY e.subscriber_id, e.month
            """
        )
        rows = cursor.fetchall()
        missing = [row for row in rows if row[2] is None]
        wrong = [row for row in rows if row[2] is not None]
        cursor.execute(
            f"""
            SELECT t.id FROM {am} t
            LEFT JOIN ({expected}) e ON e.organization_id = t.organization_id AND e.subscriber_id = t.subscriber_id
                                    AND e.month = t.month
            WHERE t.organization_id = %s AND e.subscriber_id IS NULL
            ORDER BY t.id
            """,
            [organization.pk],
        )
        extra = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"""
            SELECT t.id FROM {am} t
            LEFT JOIN {am} p ON p.organization_id = t.organization_id AND p.subscriber_id = t.subscriber_id
                            AND p.next_month = t.month
            WHERE t.organization_id = %s
              AND ABS(t.closing_balance - t.billed + t.paid - t.adjusted - COALESCE(p.closing_balance, 0)) > {TOLERANCE}
            ORDER BY t.id
            """,
            [organization.pk],
        )
        broken = [row[0] for row in cursor.fetchall()]
        mt = totals_table()
        sums = totals_sql(str(int(organization.pk)))
        totals_differ = " OR ".join(
            f"ABS(COALESCE(t.{c}, 0) - COALESCE(e.{c}, 0)) > {TOLERANCE}"
            for c in ("billed", "paid", "adjusted", "charged")
        )
        cursor.execute(
            f"""
            SELECT e.month FROM ({sums}) e
            LEFT JOIN {mt} t ON t.organization_id = e.organization_id AND t.month = e.month
            WHERE {totals_differ}
            UNION ALL
            SELECT t.month FROM {mt} t
            LEFT JOIN ({sums}) e ON e.organization_id = t.organization_id AND e.month = t.month
            WHERE t.organization_id = %s AND e.month IS NULL AND ({totals_differ})
            """,
            [organization.pk],
        )
        months = sorted({str(row[0])[:7] for row in cursor.fetchall()})
    if missing:
        found.append(
            f"{len(missing)} account month(s) with ledger entries but no balance row "
            f"(e.g. account {missing[0][0]}, {missing[0][1]})"
        )
    if wrong:
        found.append(
            f"{len(wrong)} balance row(s) whose sums, closing balance or next month differ from the ledger "
            f"(e.g. ids {', '.join(str(row[2]) for row in wrong[:10])})"
        )
    if extra:
        found.append(
            f"{len(extra)} balance row(s) for months without ledger entries (e.g. ids {', '.join(map(str, extra[:10]))})"
        )
    if broken:
        found.append(
            f"{len(broken)} balance row(s) whose closing balance is not the previous month's plus the month's "
            f"movements (e.g. ids {', '.join(map(str, broken[:10]))})"
        )
    if months:
        found.append(
            f"{len(months)} month total(s) that differ from the sums of their account rows "
            f"(e.g. {', '.join(months[:10])})"
        )
    return found
