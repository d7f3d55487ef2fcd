"""Billing run at scale: bill N active accounts (1,000,000 by default) and compare with one INSERT…SELECT of the same
rows into a copy of the invoice table (same columns, keys, indexes and foreign keys), same database, same run.

Targets (issue 5): run time ≤ 3 × the INSERT…SELECT; peak memory of the billing process < 300 MB.
Run: `make bench` (both databases) or `.venv/bin/python bench/billing_bench.py --database sqlite|postgresql
[--accounts N] [--no-record]`. The billing run is measured in a child process of its own, so its peak RSS is the
run's alone (PostgreSQL's server memory is not in it; SQLite's page cache is, since SQLite runs in-process).
Appends a row to docs/benchmarks.md unless --no-record.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchlib import ensure_citus_database, ensure_pg_database, machine, record_row, versions_line

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = os.environ.get("BENCH_SQLITE_PATH", "/tmp/khizmat-billing-bench.sqlite3")
PG_URL = os.environ.get("BENCH_BILLING_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khizmat_billbench")
# A Citus coordinator whose database of the same name knows its workers (docs/deploy.md "Citus"); `--database citus`.
CITUS_URL = os.environ.get("BENCH_CITUS_DATABASE_URL", "postgres://postgres@127.0.0.1:5441/khizmat_billbench")
ORG_CODE = "bench-billing"
COPY_TABLE = "bench_invoice_copy"


def database_url(kind: str) -> str:
    return {"sqlite": f"sqlite:///{SQLITE_PATH}", "postgresql": PG_URL, "citus": CITUS_URL}[kind]


def setup_django(kind: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url(kind),
            "DJANGO_SETTINGS_MODULE": "khizmat.settings",
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def bench_month() -> datetime.date:
    return (datetime.date.today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def prepare(kind: str, accounts: int) -> None:
    """Migrate, then create the bench organization with ``accounts`` subscribers (set-based), unless already there."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    if kind == "citus":
        call_command("distribute")
    from khizmat.billing.models import Exemption, Subscriber, SubscriberCategory, Tariff
    from khizmat.tenancy.choices import OrganizationKind
    from khizmat.tenancy.models import Country, District, Membership, Organization, Region, Settlement, User
    from khizmat.tenancy.roles import Role

    with scopes_disabled():
        kg = Country.objects.get(code="KG")
        region, _ = Region.objects.get_or_create(country=kg, code="bench", defaults={"name": "Bench region"})
        organization, _ = Organization.objects.get_or_create(
            code=ORG_CODE,
            defaults={
                "name": "Billing bench",
                "kind": OrganizationKind.MUNICIPAL_ENTERPRISE,
                "country": kg,
                "region": region,
            },
        )
        user, _ = User.objects.get_or_create(username="bench-billing-manager")
        Membership.objects.get_or_create(
            organization=organization, user=user, defaults={"role": Role.MANAGER}
        )
        district, _ = District.objects.get_or_create(
            region=region, code="bench", defaults={"name": "Bench district"}
        )
        settlement, _ = Settlement.objects.get_or_create(
            district=district, name="Bench village", defaults={"kind": "village"}
        )
        if Subscriber.objects.filter(organization=organization).count() == accounts:
            return
        print(f"generating {accounts:,} accounts…", flush=True)
        with transaction.atomic():
            for model in (
                "billing_ledgerentry",
                "billing_invoice",
                "billing_billingrun",
                "billing_billingperiod",
                "billing_subscriber",
                "billing_tariff",
                "billing_exemption",
                "billing_subscribercategory",
            ):
                with connection.cursor() as cursor:
                    cursor.execute(f"DELETE FROM {model} WHERE organization_id = %s", [organization.pk])
            house = SubscriberCategory.objects.create(
                organization=organization, code="house", name="House", kind="household"
            )
            flat = SubscriberCategory.objects.create(
                organization=organization, code="flat", name="Flat", kind="household"
            )
            exemption = Exemption.objects.create(organization=organization, name="Veterans", percent=50)
            for category, unit, price in ((house, "person", "20.00"), (flat, "m3", "7.35")):
                Tariff.objects.create(
                    organization=organization,
                    category=category,
                    service="waste",
                    unit=unit,
                    price=price,
                    currency="KGS",
                    effective_from=datetime.date(2020, 1, 1),
                    decision_number="1",
                    decision_date=datetime.date(2019, 12, 1),
                )
            month = bench_month()
            params = {
                "org": organization.pk,
                "settlement": settlement.pk,
                "house": house.pk,
                "flat": flat.pk,
                "exemption": exemption.pk,
                "n": accounts,
                "start_mid": (month + datetime.timedelta(days=10)).isoformat(),
                "end_mid": (month + datetime.timedelta(days=19)).isoformat(),
            }
            columns = (
                "organization_id, number, kind, holder_name, holder_id_number, phone, language, settlement_id, "
                "street, house, apartment, category_id, residents, units, exemption_id, contract_start, "
                "contract_end, status, search_key"
            )
            if connection.vendor == "postgresql":
                source = "generate_series(1, %(n)s) AS seq(g)"
                number = "lpad(g::text, 7, '0')"
                text = "g::text"
                date = "DATE"
            else:
                source = "(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < %(n)s) SELECT g FROM s)"
                number = "printf('%%07d', g)"
                text = "CAST(g AS TEXT)"
                date = ""  # SQLite keeps dates as ISO text
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    INSERT INTO billing_subscriber ({columns})
                    SELECT %(org)s, {number}, 'household', 'Holder ' || {text}, '', '', 'ky', %(settlement)s,
                           'Street ' || CAST(g %% 500 AS TEXT), CAST(g %% 200 AS TEXT), '',
                           CASE WHEN g %% 10 = 0 THEN %(flat)s ELSE %(house)s END, 1 + g %% 6, g %% 7 + 0.5,
                           CASE WHEN g %% 50 = 0 THEN %(exemption)s ELSE NULL END,
                           {date}(CASE WHEN g %% 97 = 0 THEN %(start_mid)s ELSE '2020-01-01' END),
                           {date}(CASE WHEN g %% 89 = 0 THEN %(end_mid)s ELSE NULL END),
                           CASE WHEN g %% 101 = 0 THEN 'suspended' ELSE 'active' END, ''
                    FROM {source}
                    """,
                    params,
                )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def measure_run(kind: str) -> dict:
    """In its own process: one billing run of the bench month, timed, with the process's peak RSS."""
    from django.db import connection
    from django_scopes import scopes_disabled

    from khizmat.billing import services
    from khizmat.billing.models import Invoice
    from khizmat.tenancy.models import Organization, User

    with scopes_disabled():
        organization = Organization.objects.get(code=ORG_CODE)
        user = User.objects.get(username="bench-billing-manager")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
            cursor.execute("DELETE FROM billing_invoice WHERE organization_id = %s", [organization.pk])
            cursor.execute("DELETE FROM billing_billingrun WHERE organization_id = %s", [organization.pk])
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
        period = services.period_get_or_open(organization=organization, month=bench_month())
        started = time.perf_counter()
        run = services.billing_run_start(actor=user, period=period)
        run = services.billing_run_execute(run_id=run.pk)
        elapsed = time.perf_counter() - started
        assert run.status == "draft", run.status
        rows = Invoice.objects.filter(organization=organization, run=run).count()
        assert rows == run.invoice_count
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"run_id": run.pk, "seconds": elapsed, "rows": rows, "peak_mb": peak_mb}


def copy_table_ddl() -> list[str]:
    """DDL for a copy of the invoice table with the same columns, keys, indexes and foreign keys."""
    from django.db import connection

    if connection.vendor == "postgresql":
        statements = [f"CREATE TABLE {COPY_TABLE} (LIKE billing_invoice INCLUDING ALL)"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
            if cursor.fetchone():  # the copy is distributed beside the invoices, as the invoices are
                statements.append(
                    f"SELECT create_distributed_table('{COPY_TABLE}', 'organization_id', "
                    "colocate_with => 'billing_invoice')"
                )
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE conrelid = 'billing_invoice'::regclass AND contype = 'f'"""
            )
            for name, definition in cursor.fetchall():
                statements.append(f"ALTER TABLE {COPY_TABLE} ADD CONSTRAINT {name}_copy {definition}")
        return statements
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'billing_invoice' AND sql IS NOT NULL"
        )
        rows = cursor.fetchall()
    statements = []
    for kind, name, sql in sorted(rows, key=lambda r: r[0] != "table"):
        sql = sql.replace('"billing_invoice"', f'"{COPY_TABLE}"')
        if kind == "index":
            sql = sql.replace(f'"{name}"', f'"{name}_copy"', 1)
        statements.append(sql)
    return statements


def measure_copy(run_id: int) -> dict:
    from django.db import connection, transaction

    columns = [
        f.column
        for f in __import__("khizmat.billing.models", fromlist=["Invoice"]).Invoice._meta.concrete_fields
    ]
    column_list = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        for statement in copy_table_ddl():
            cursor.execute(statement)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {COPY_TABLE} ({column_list}) SELECT {column_list} FROM billing_invoice WHERE run_id = %s",
            [run_id],
        )
        rows = cursor.rowcount
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {COPY_TABLE}")
    return {"seconds": elapsed, "rows": rows}


TABLE_HEADER = "| date | scenario | database | rows | times | memory | target | machine and versions |"


def record(line: str) -> None:
    record_row("### Billing run (bench/billing_bench.py)", TABLE_HEADER, line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql", "citus"], default="sqlite")
    parser.add_argument("--accounts", type=int, default=int(os.environ.get("BENCH_ACCOUNTS", "1000000")))
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--phase", choices=["all", "run"], default="all")
    args = parser.parse_args()
    if args.database == "postgresql" and args.phase == "all":
        ensure_pg_database(PG_URL)
    if args.database == "citus" and args.phase == "all":
        ensure_citus_database(CITUS_URL)
    setup_django(args.database)
    if args.phase == "run":
        print(json.dumps(measure_run(args.database)))
        return
    prepare(args.database, args.accounts)
    child = subprocess.run(
        [sys.executable, __file__, "--database", args.database, "--phase", "run"],
        check=True,
        capture_output=True,
        text=True,
    )
    run = json.loads(child.stdout.strip().splitlines()[-1])
    copy = measure_copy(run["run_id"])
    ratio = run["seconds"] / copy["seconds"]
    rate = run["rows"] / run["seconds"] * 3600
    print(f"{'database':<12}{'rows':>12}{'run s':>10}{'copy s':>10}{'ratio':>8}{'peak MB':>10}{'rows/h':>16}")
    print(
        f"{args.database:<12}{run['rows']:>12,}{run['seconds']:>10.1f}{copy['seconds']:>10.1f}{ratio:>8.2f}"
        f"{run['peak_mb']:>10.0f}{rate:>16,.0f}"
    )
    ok = ratio <= 3 and run["peak_mb"] < 300
    print("targets:", "met" if ok else "MISSED", "(ratio ≤ 3, peak < 300 MB)")
    if not args.no_record:
        line = (
            f"| {datetime.date.today()} | billing run | {args.database} | {args.accounts:,} accounts → {run['rows']:,} "
            f"invoices | run {run['seconds']:.1f} s, INSERT…SELECT {copy['seconds']:.1f} s, ratio {ratio:.2f} (≤ 3) | "
            f"peak {run['peak_mb']:.0f} MB (< 300) | {'met' if ok else 'missed'} | {machine()}; {versions_line(args.database)} |\n"
        )
        record(line)


if __name__ == "__main__":
    main()
