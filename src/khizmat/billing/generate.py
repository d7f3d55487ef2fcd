"""Generated billing: accounts, twelve months of billing runs, the ledger and millions of payments.

Per generated enterprise: the demo's categories, tariffs (an increase half-way through the year; UZS prices for
Uzbek enterprises), exemptions and two cash desks. Accounts are one INSERT … SELECT (households mostly, a few
businesses and institutions; some start during the year, some closed or suspended, 2 % exempt). Each month is
billed by the product's own SQL (:func:`khizmat.billing.services.invoice_insert_sql`), so invoices are exactly what
a billing run writes; every month but the last is approved and posted to the ledger like
:func:`~khizmat.billing.services.billing_run_approve`. Payments settle a share of the approved invoices in the
next month (cash at a desk with gap-free receipts per desk, or bank), each with its ledger entry. The balance table
(one row per account and month) is then written from the ledger in one INSERT … SELECT, as
``khizmat billing_balances_rebuild`` writes it.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import connection

from khizmat.billing.balances import COLUMNS, expected_sql, totals_sql, totals_table
from khizmat.billing.balances import table as balance_table
from khizmat.billing.choices import BillingService, PeriodStatus, RunStatus
from khizmat.billing.demo import (
    CATEGORIES,
    COUNCIL,
    DESKS,
    EXEMPTIONS,
    FIRST_DECISION,
    INCREASE_DECISION,
    STREETS,
    _People,
)
from khizmat.billing.models import (
    AccountMonth,
    BillingPeriod,
    BillingRun,
    CashDesk,
    Exemption,
    Invoice,
    LedgerEntry,
    MonthTotal,
    Payment,
    Subscriber,
    SubscriberCategory,
    Tariff,
)
from khizmat.billing.services import invoice_insert_sql
from khizmat.core.generate import Generator, register
from khizmat.core.search import search_key
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.demo_people import STREETS as UZ_STREETS
from khizmat.tenancy.demo_people import uzbek_person as uz_person
from khizmat.tenancy.roles import Role
from khizmat.tenancy.scoping import scopes_disabled

NAMES = 2000
UZS_PER_KGS = 150  # tariffs of Uzbek enterprises: the same rules, prices in sums
CATEGORY_SHARES = [
    700,
    950,
    970,
    990,
    1000,
]  # per mille, cumulative: private house, apartment, shop, café, institution


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _last_day(month: datetime.date) -> datetime.date:
    return _add_months(month, 1) - datetime.timedelta(days=1)


@register
def build(gen: Generator) -> None:
    utilities = gen.units_of(OrganizationKind.MUNICIPAL_ENTERPRISE)
    total = gen.scale.subscribers
    if not utilities or not total:
        return
    months = [
        _add_months(gen.as_of.replace(day=1), i - gen.scale.months + 1) for i in range(gen.scale.months)
    ]
    with scopes_disabled():
        _configure(gen, utilities, months)
    _subscribers(gen, utilities, total, months)
    runs = _periods_and_runs(gen, utilities, months)
    _invoices(gen, utilities, runs)
    _ledger_for_invoices(gen)
    _payments(gen, utilities)
    _balances(gen)
    gen.analyze(
        Subscriber._meta.db_table,
        Invoice._meta.db_table,
        Payment._meta.db_table,
        LedgerEntry._meta.db_table,
        AccountMonth._meta.db_table,
        MonthTotal._meta.db_table,
    )


# --- Reference data ------------------------------------------------------------------------------------------------


def _configure(gen: Generator, utilities, months) -> None:
    categories, exemptions, desks = [], [], []
    for unit in utilities:
        for data in CATEGORIES:
            categories.append(
                SubscriberCategory(
                    organization_id=unit.org_id,
                    code=data.code,
                    kind=data.kind,
                    name=data.en,
                    name_en=data.en,
                    name_ru=data.ru,
                    name_ky=data.ky,
                    name_uz=data.uz,
                    name_uz_cyrl=data.uz_cyrl,
                )
            )
        for en, ru, ky, uz, uz_cyrl, percent in EXEMPTIONS:
            exemptions.append(
                Exemption(
                    organization_id=unit.org_id,
                    percent=percent,
                    basis=f"{COUNCIL} № {FIRST_DECISION}",
                    name=en,
                    name_en=en,
                    name_ru=ru,
                    name_ky=ky,
                    name_uz=uz,
                    name_uz_cyrl=uz_cyrl,
                )
            )
        for code, name in DESKS:
            desks.append(CashDesk(organization_id=unit.org_id, code=code, name=name))
    SubscriberCategory.objects.bulk_create(categories, batch_size=1000)
    Exemption.objects.bulk_create(exemptions, batch_size=1000)
    CashDesk.objects.bulk_create(desks, batch_size=1000)
    ids = {
        (org, code): pk
        for org, code, pk in SubscriberCategory.objects.filter(
            organization_id__in=[u.org_id for u in utilities]
        ).values_list("organization_id", "code", "pk")
    }
    first, increase = months[0], months[len(months) // 2]
    tariffs = []
    for unit in utilities:
        factor = UZS_PER_KGS if unit.currency == "UZS" else 1
        for data in CATEGORIES:
            for effective_from, price, number in (
                (first, data.price, FIRST_DECISION),
                (increase, data.new_price, INCREASE_DECISION),
            ):
                tariffs.append(
                    Tariff(
                        organization_id=unit.org_id,
                        category_id=ids[unit.org_id, data.code],
                        service=BillingService.WASTE_COLLECTION,
                        unit=data.unit,
                        price=Decimal(price) * factor,
                        currency=unit.currency,
                        effective_from=effective_from,
                        decision_number=number,
                        decision_date=_add_months(effective_from, -1).replace(day=20),
                        council=COUNCIL,
                    )
                )
    Tariff.objects.bulk_create(tariffs, batch_size=1000)
    gen.lookup(
        "gen_ucat",
        ["key", "category_id", "kind", "unit"],
        [
            (unit.k * 10 + j, ids[unit.org_id, data.code], str(data.kind), str(data.unit))
            for unit in utilities
            for j, data in enumerate(CATEGORIES)
        ],
    )
    exemption_ids: dict[int, list[int]] = {}
    for org, pk in (
        Exemption.objects.filter(organization_id__in=[u.org_id for u in utilities])
        .order_by("pk")
        .values_list("organization_id", "pk")
    ):
        exemption_ids.setdefault(org, []).append(pk)
    gen.lookup(
        "gen_uexm",
        ["key", "exemption_id"],
        [(unit.k * 10 + j, pk) for unit in utilities for j, pk in enumerate(exemption_ids[unit.org_id])],
    )
    desk_ids: dict[int, list[int]] = {}
    for org, pk in (
        CashDesk.objects.filter(organization_id__in=[u.org_id for u in utilities])
        .order_by("pk")
        .values_list("organization_id", "pk")
    ):
        desk_ids.setdefault(org, []).append(pk)
    gen.lookup(
        "gen_udesk",
        ["key", "desk_id"],
        [(unit.k * 10 + j, pk) for unit in utilities for j, pk in enumerate(desk_ids[unit.org_id])],
    )


# --- Accounts -------------------------------------------------------------------------------------------------------


def _subscribers(gen: Generator, utilities, total: int, months) -> None:
    rng = random.Random(f"khizmat-generate-{gen.seed}-holders")
    people = _People(rng)
    holders = []
    for i in range(NAMES):
        kg_name, _surname, kg_language, kg_pin = people.person()
        uz_name, uz_pin, _age = uz_person(rng, gen.as_of, (20, 80), ["100"])
        holders.append((i * 2, kg_name, search_key(kg_name), kg_language, kg_pin))
        holders.append((i * 2 + 1, uz_name, search_key(uz_name), "uz", uz_pin))
    gen.lookup("gen_holder", ["id", "name", "name_key", "language", "pin"], holders)
    kg_streets = sorted({street for streets in STREETS.values() for street in streets})
    uz_streets = [f"{street} koʻchasi" for street in UZ_STREETS]
    width = max(len(kg_streets), len(uz_streets))
    gen.lookup(
        "gen_ustreet",
        ["id", "name", "street_key"],
        [
            (j * 2 + country, street, search_key(street))
            for country, streets in enumerate((kg_streets, uz_streets))
            for j, street in enumerate(streets[j % len(streets)] for j in range(width))
        ],
    )
    starts = gen.first_rows(total, len(utilities))
    gen.lookup(
        "gen_utility",
        ["k", "org_id", "first_g", "uz", "settlements_n", "s0", "s1", "s2", "s3", "s4"],
        [
            (
                unit.k,
                unit.org_id,
                starts[unit.k],
                1 if unit.country == "UZ" else 0,
                len(unit.settlement_ids),
                *(unit.settlement_ids + unit.settlement_ids[:1] * 5)[:5],
            )
            for unit in utilities
        ],
    )
    first, middle = months[0], months[len(months) // 2]
    long_ago = _add_months(first, -24)
    category = f"""CASE WHEN b.cat_roll < {CATEGORY_SHARES[0]} THEN 0 WHEN b.cat_roll < {CATEGORY_SHARES[1]} THEN 1
        WHEN b.cat_roll < {CATEGORY_SHARES[2]} THEN 2 WHEN b.cat_roll < {CATEGORY_SHARES[3]} THEN 3 ELSE 4 END"""
    settlement = (
        """CASE b.place WHEN 0 THEN b.s0 WHEN 1 THEN b.s1 WHEN 2 THEN b.s2 WHEN 3 THEN b.s3 ELSE b.s4 END"""
    )
    phone = (
        f"CASE WHEN b.roll < 15 THEN '' WHEN b.uz = 1 THEN '998' || '9' || {gen.pad(gen.pick('b.g', 'phone', 100_000_000), 8)} "
        f"ELSE '996' || '70' || {gen.pad(gen.pick('b.g', 'phone', 10_000_000), 7)} END"
    )
    sql = f"""
        INSERT INTO billing_subscriber (organization_id, number, kind, holder_name, holder_id_number, phone, language,
            settlement_id, street, house, apartment, category_id, residents, units, exemption_id, contract_start,
            contract_end, status, search_key)
        SELECT x.org_id, x.number, uc.kind, h.name, h.pin, CASE WHEN x.phone = '' THEN '' ELSE '+' || x.phone END,
               h.language, x.settlement_id, st.name, CAST(1 + x.roll AS text), '', uc.category_id,
               CASE WHEN uc.kind = 'household' THEN 1 + x.roll % 7 ELSE 1 END,
               CASE WHEN uc.unit IN ('m3', 'container', 'm2') THEN 1 + x.roll % 9 ELSE 0 END,
               CASE WHEN x.exempt_roll < 20 AND uc.kind = 'household' THEN ue.exemption_id END,
               CASE WHEN x.life_roll < 30 THEN {gen.day(first, gen.pick("x.g", "start", 330))}
                    ELSE {gen.day(long_ago, gen.pick("x.g", "start", 700))} END,
               CASE WHEN x.life_roll >= 990 THEN {gen.day(middle, gen.pick("x.g", "end", 60))} END,
               CASE WHEN x.life_roll >= 990 THEN 'closed' WHEN x.life_roll >= 980 THEN 'suspended' ELSE 'active' END,
               '|' || x.number || '|' || h.name_key || '|' || st.street_key || '|'
                   || CASE WHEN h.pin = '' THEN '' ELSE h.pin || '|' END
                   || CASE WHEN x.phone = '' THEN '' ELSE x.phone || '|' END
        FROM (
            SELECT b.*, {phone} AS phone
            FROM (
                SELECT b.g, b.org_id, b.uz, b.k, {gen.pad("b.g - b.first_g + 1", 7)} AS number,
                       {settlement} AS settlement_id,
                       b.k * 10 + {category} AS cat_key,
                       {gen.pick("b.g", "detail", 120)} AS roll, {gen.pick("b.g", "life", 1000)} AS life_roll,
                       {gen.pick("b.g", "exempt", 1000)} AS exempt_roll
                FROM (
                    SELECT s.g, c.*, {gen.pick("s.g", "category", 1000)} AS cat_roll,
                           {gen.pick("s.g", "place", 1000)} % c.settlements_n AS place
                    FROM {gen.series(total)}
                    JOIN gen_utility c ON c.k = {gen.part_sql("s.g", total, len(utilities))}
                ) b
            ) b
        ) x
        JOIN gen_ucat uc ON uc.key = x.cat_key
        JOIN gen_uexm ue ON ue.key = x.k * 10 + {gen.pick("x.g", "which-exemption", 2)}
        JOIN gen_holder h ON h.id = {gen.pick("x.g", "holder", NAMES)} * 2 + x.uz
        JOIN gen_ustreet st ON st.id = {gen.pick("x.g", "street", width)} * 2 + x.uz
    """
    count = gen.execute("subscribers", sql)
    gen.execute(
        "subscriber number sequences",
        """
        INSERT INTO core_numbersequence (organization_id, key, last_value)
        SELECT organization_id, 'subscriber', count(*) FROM billing_subscriber
        WHERE organization_id IN (SELECT org_id FROM gen_utility) GROUP BY organization_id
        """,
    )
    gen.analyze(Subscriber._meta.db_table)
    gen.say(f"Billing: {len(utilities)} enterprises, {count} accounts.")


# --- Periods, runs, invoices -----------------------------------------------------------------------------------------


def _periods_and_runs(gen: Generator, utilities, months) -> list[tuple]:
    """One period and one run per enterprise and month: approved (period closed) except the last month's draft."""
    today = gen.as_of
    periods, runs, meta = [], [], []
    for unit in utilities:
        manager = unit.users[Role.MANAGER]
        for index, month in enumerate(months):
            last = index == len(months) - 1
            requested = datetime.datetime.combine(
                min(_add_months(month, 1), today), datetime.time(4, 10), tzinfo=datetime.UTC
            )
            approved = None if last else requested + datetime.timedelta(days=1, hours=2)
            periods.append(
                BillingPeriod(
                    organization_id=unit.org_id,
                    month=month,
                    status=PeriodStatus.OPEN if last else PeriodStatus.CLOSED,
                    closed_at=approved,
                    closed_by_id=None if last else manager,
                )
            )
            meta.append((unit, month, last, requested, approved, manager))
    with scopes_disabled():
        BillingPeriod.objects.bulk_create(periods, batch_size=1000)
        period_ids = {
            (org, month): pk
            for org, month, pk in BillingPeriod.objects.filter(
                organization_id__in=[u.org_id for u in utilities]
            ).values_list("organization_id", "month", "pk")
        }
        for unit, month, last, requested, approved, manager in meta:
            runs.append(
                BillingRun(
                    organization_id=unit.org_id,
                    period_id=period_ids[unit.org_id, month],
                    status=RunStatus.DRAFT if last else RunStatus.APPROVED,
                    requested_by_id=manager,
                    requested_at=requested,
                    started_at=requested,
                    finished_at=requested + datetime.timedelta(seconds=40),
                    approved_by_id=None if last else manager,
                    approved_at=approved,
                )
            )
        BillingRun.objects.bulk_create(runs, batch_size=1000)
        run_ids = dict(
            BillingRun.objects.filter(organization_id__in=[u.org_id for u in utilities]).values_list(
                "period_id", "pk"
            )
        )
        tariffs = list(
            Tariff.objects.filter(organization_id__in=[u.org_id for u in utilities]).values_list(
                "organization_id", "category_id", "service", "effective_from", "pk"
            )
        )
    result = []
    for unit, month, _last, _requested, _approved, _manager in meta:
        period_id = period_ids[unit.org_id, month]
        chosen: dict[tuple, tuple] = {}
        for org, category, service, effective_from, pk in tariffs:
            if org == unit.org_id and effective_from <= month:
                key = (category, service)
                if key not in chosen or chosen[key][0] < effective_from:
                    chosen[key] = (effective_from, pk)
        result.append((unit, month, period_id, run_ids[period_id], [pk for _f, pk in chosen.values()]))
    return result


def _invoices(gen: Generator, utilities, runs) -> None:
    """The billing run's own INSERT … SELECT, once per enterprise and month (all accounts in one chunk)."""
    template = invoice_insert_sql()
    maximum = 2**62
    for unit, month, period_id, run_id, tariff_ids in runs:
        last_day = _last_day(month)
        gen.execute(
            f"invoices {month:%Y-%m}",
            template.replace("{tariff_ids}", ", ".join(str(int(pk)) for pk in tariff_ids)),
            {
                "run": run_id,
                "period": period_id,
                "organization": unit.org_id,
                "first_day": month.isoformat(),
                "last_day": last_day.isoformat(),
                "days_in_period": last_day.day,
                "after": 0,
                "upto": maximum,
            },
        )
    _merge_timings(gen, "invoices")
    # Totals grouped once (a correlated sub-query per run re-reads each run's invoices: minutes at 12M rows).
    gen.execute("run totals: drop", "DROP TABLE IF EXISTS gen_run_totals")
    gen.execute(
        "run totals: invoices",
        """
        CREATE TEMPORARY TABLE gen_run_totals AS
        SELECT run_id, count(*) AS n, sum(amount) AS total FROM billing_invoice
        WHERE organization_id IN (SELECT org_id FROM gen_utility) GROUP BY run_id
        """,
    )
    gen.execute(
        "run totals: accounts",
        """
        UPDATE billing_billingrun SET
            total_accounts = u.n, processed_accounts = u.n, last_subscriber_id = u.last_id
        FROM (SELECT organization_id, count(*) AS n, max(id) AS last_id FROM billing_subscriber
              WHERE organization_id IN (SELECT org_id FROM gen_utility) GROUP BY organization_id) u
        WHERE billing_billingrun.organization_id = u.organization_id
        """,
    )
    gen.execute(
        "run totals: runs",
        """
        UPDATE billing_billingrun SET invoice_count = t.n, total_amount = t.total
        FROM gen_run_totals t WHERE billing_billingrun.id = t.run_id
        """,
    )
    gen.execute("run totals: drop", "DROP TABLE gen_run_totals")


def _merge_timings(gen: Generator, prefix: str) -> None:
    """Fold the per-statement timings of one kind into one line per month."""
    merged: dict[str, list] = {}
    kept = []
    for label, seconds, rows in gen.timings:
        if label.startswith(prefix + " "):
            entry = merged.setdefault(label, [label, 0.0, 0])
            entry[1] += seconds
            entry[2] += rows
        else:
            kept.append((label, seconds, rows))
    gen.timings = kept + [tuple(entry) for entry in merged.values()]


def _month_end(gen: Generator, month: str) -> str:
    if gen.vendor == "postgresql":
        return f"CAST({month} + INTERVAL '1 month' - INTERVAL '1 day' AS date)"
    return f"date({month}, '+1 month', '-1 day')"


def _ledger_for_invoices(gen: Generator) -> None:
    """What approving each past month's run posts (see ``billing_run_approve``): one entry per non-zero invoice."""
    entry_date = gen.least(_month_end(gen, "p.month"), f"'{gen.as_of.isoformat()}'")
    if gen.vendor == "postgresql":
        entry_date = f"LEAST({_month_end(gen, 'p.month')}, DATE '{gen.as_of.isoformat()}')"
    gen.execute(
        "ledger: invoices",
        f"""
        INSERT INTO billing_ledgerentry (organization_id, subscriber_id, kind, amount, currency, entry_date,
                                         period_id, invoice_id)
        SELECT i.organization_id, i.subscriber_id, 'invoice', i.amount, i.currency, {entry_date}, i.period_id, i.id
        FROM billing_invoice i
        JOIN billing_billingrun r ON r.organization_id = i.organization_id AND r.id = i.run_id
        JOIN billing_billingperiod p ON p.organization_id = i.organization_id AND p.id = i.period_id
        WHERE i.organization_id IN (SELECT org_id FROM gen_utility) AND r.status = 'approved' AND i.amount <> 0
        """,
    )


# --- Payments -------------------------------------------------------------------------------------------------------


def _payments(gen: Generator, utilities) -> None:
    """A share of the approved invoices is paid in the following month: ≈ the scale's number of payments."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM billing_invoice i
            JOIN billing_billingrun r ON r.organization_id = i.organization_id AND r.id = i.run_id
            WHERE i.organization_id IN (SELECT org_id FROM gen_utility) AND r.status = 'approved' AND i.amount > 0
            """
        )
        payable = cursor.fetchone()[0]
    if not payable:
        return
    share = min(1000, round(gen.scale.payments * 1000 / payable))
    gen.lookup(
        "gen_ucashier",
        ["org_id", "cashier_id"],
        [(unit.org_id, unit.users[Role.CASHIER]) for unit in utilities],
    )
    last_moment = datetime.datetime.combine(gen.as_of, datetime.time(0), tzinfo=datetime.UTC)
    g = "i.id"
    offset = f"({gen.pick(g, 'pay-day', 25)} * 86400 + 4 * 3600 + {gen.pick(g, 'pay-time', 8 * 3600)})"
    received = gen.plus(_month_end(gen, "p.month"), f"86400 + {offset}")
    if gen.vendor == "postgresql":
        received = f"({_month_end(gen, 'p.month')} + INTERVAL '1 day' + ({offset}) * INTERVAL '1 second')"
        stamp = f"TIMESTAMPTZ '{last_moment:%Y-%m-%d %H:%M:%S}+00' - INTERVAL '1 hour' * (1 + {gen.pick(g, 'late', 12)})"
        received = f"LEAST({received}, {stamp})"
    else:
        stamp = (
            f"datetime('{last_moment:%Y-%m-%d %H:%M:%S}', '-' || (1 + {gen.pick(g, 'late', 12)}) || ' hours')"
        )
        received = f"MIN({received}, {stamp})"
    roll = gen.pick(g, "pay", 1000)
    method_roll = gen.pick(g, "method", 100)
    sql = f"""
        INSERT INTO billing_payment (organization_id, subscriber_id, amount, currency, method, desk_id,
            receipt_number, received_at, received_on, cashier_id, payer_name, reference, idempotency_key, reversal_reason)
        SELECT y.organization_id, y.subscriber_id, y.amount, y.currency, y.method, y.desk_id,
               CASE WHEN y.method = 'cash'
                    THEN row_number() OVER (PARTITION BY y.organization_id, y.desk_id ORDER BY y.received_at, y.invoice_id)
               END,
               y.received_at, {gen.day_of("y.received_at")}, y.cashier_id, '',
               CASE WHEN y.method = 'bank' THEN 'GEN' || CAST(y.invoice_id AS text) ELSE '' END,
               'gen-' || CAST(y.invoice_id AS text), ''
        FROM (
            SELECT i.organization_id, i.subscriber_id, i.id AS invoice_id, i.currency,
                   i.amount,
                   CASE WHEN {method_roll} < 60 THEN 'cash' ELSE 'bank' END AS method,
                   CASE WHEN {method_roll} < 60 THEN d.desk_id END AS desk_id,
                   CASE WHEN {method_roll} < 60 THEN cs.cashier_id END AS cashier_id,
                   {received} AS received_at
            FROM billing_invoice i
            JOIN billing_billingrun r ON r.organization_id = i.organization_id AND r.id = i.run_id
            JOIN billing_billingperiod p ON p.organization_id = i.organization_id AND p.id = i.period_id
            JOIN gen_utility c ON c.org_id = i.organization_id
            JOIN gen_udesk d ON d.key = c.k * 10 + {gen.pick(g, "desk", 2)}
            JOIN gen_ucashier cs ON cs.org_id = i.organization_id
            WHERE r.status = 'approved' AND i.amount > 0 AND {roll} < {share}
        ) y
    """
    count = gen.execute("payments", sql)
    gen.execute(
        "ledger: payments",
        """
        INSERT INTO billing_ledgerentry (organization_id, subscriber_id, kind, amount, currency, entry_date, payment_id)
        SELECT organization_id, subscriber_id, 'payment', -amount, currency, received_on, id
        FROM billing_payment WHERE organization_id IN (SELECT org_id FROM gen_utility)
        """,
    )
    gen.execute(
        "receipt number sequences",
        """
        INSERT INTO core_numbersequence (organization_id, key, last_value)
        SELECT organization_id, 'receipt:' || CAST(desk_id AS text), max(receipt_number)
        FROM billing_payment
        WHERE organization_id IN (SELECT org_id FROM gen_utility) AND desk_id IS NOT NULL
        GROUP BY organization_id, desk_id
        """,
    )
    gen.say(f"Billing: {payable} payable invoices, {count} payments.")


# --- Balance table --------------------------------------------------------------------------------------------------


def _balances(gen: Generator) -> None:
    """Each account's months with their sums and closing balances, from the generated ledger, then each
    enterprise's month totals (set-based, as ``khizmat billing_balances_rebuild`` writes them)."""
    organizations = "SELECT org_id FROM gen_utility"
    count = gen.execute(
        "balance table",
        f"INSERT INTO {balance_table()} ({COLUMNS}) SELECT {COLUMNS} FROM ({expected_sql(organizations)}) expected",
    )
    gen.execute(
        "month totals",
        f"""
        INSERT INTO {totals_table()} (organization_id, month, billed, paid, adjusted, charged)
        SELECT organization_id, month, billed, paid, adjusted, charged FROM ({totals_sql(organizations)}) totals
        """,
    )
    gen.say(f"Billing: {count} account months in the balance table.")
