"""Bank statement import at scale: a CSV of N lines (default 100,000) imported, matched and posted as payments.

Target (billing issue): importing a 100,000-line bank statement takes under 60 s. Measures ``statement_upload``
(read, match, keys, bulk insert) and ``statement_post`` (payments, ledger entries, payment requests), then the same
file imported again (every line already posted) and posted again (nothing to post).

Run against any database (migrated first):
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bankbench.sqlite3 .venv/bin/khizmat migrate
    DEBUG=1 DATABASE_URL=sqlite:////tmp/bankbench.sqlite3 .venv/bin/python bench/bank_import_bench.py --lines 100000

It works in a scratch organization («bench-bank», created or reused with N accounts) and deletes that
organization's statements, payments, ledger entries and payment requests afterwards (``--drop`` removes the
organization and its accounts too). Queries are not logged even with DEBUG=1, as in production.
"""

import argparse
import datetime
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khizmat.settings")

import django

django.setup()

from benchlib import machine as bench_machine  # noqa: E402
from benchlib import record_row, versions_line  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from khizmat.billing import statements  # noqa: E402
from khizmat.billing.choices import LineStatus, PaymentMethod, SubscriberKind  # noqa: E402
from khizmat.billing.models import (  # noqa: E402
    BankProfile,
    BankStatement,
    LedgerEntry,
    Payment,
    PaymentRequest,
    StatementLine,
    Subscriber,
    SubscriberCategory,
)
from khizmat.billing.money import quantize  # noqa: E402
from khizmat.tenancy.models import Country, District, Membership, Organization, Region, Settlement, User  # noqa: E402
from khizmat.tenancy.roles import Role  # noqa: E402
from khizmat.tenancy.scoping import scopes_disabled  # noqa: E402

ORG_CODE = "bench-bank"
settings.DEBUG = False  # no query log: a bulk insert's SQL is not formatted and kept per statement


def scratch_organization(accounts: int):
    kg = Country.objects.get(code="KG")
    organization, _created = Organization.objects.get_or_create(
        code=ORG_CODE,
        defaults={"kind": "municipal_enterprise", "name": "Bench bank import", "country": kg},
    )
    settlement = Settlement.objects.filter(district__region__country=kg).first()
    if settlement is None:
        region, _ = Region.objects.get_or_create(country=kg, code="BENCH", defaults={"name": "Bench region"})
        district, _ = District.objects.get_or_create(
            region=region, code="BENCH", defaults={"name": "Bench district"}
        )
        settlement = Settlement.objects.create(district=district, kind="village", name="Bench village")
    category, _ = SubscriberCategory.objects.get_or_create(
        organization=organization,
        code="house",
        defaults={"name": "Private house", "kind": SubscriberKind.HOUSEHOLD},
    )
    have = Subscriber.objects.filter(organization=organization).count()
    if have < accounts:
        Subscriber.objects.bulk_create(
            [
                Subscriber(
                    organization=organization,
                    number=f"{n:07d}",
                    kind=SubscriberKind.HOUSEHOLD,
                    holder_name=f"Holder {n}",
                    settlement=settlement,
                    street="Main street",
                    house=str(n),
                    category=category,
                    contract_start=datetime.date(2020, 1, 1),
                )
                for n in range(have + 1, accounts + 1)
            ],
            batch_size=5000,
        )
    user, _ = User.objects.get_or_create(username="bench-bank-cashier", defaults={"first_name": "Bench"})
    Membership.objects.get_or_create(organization=organization, user=user, defaults={"role": Role.CASHIER})
    profile, _ = BankProfile.objects.get_or_create(
        organization=organization,
        name="Bench bank",
        defaults={
            "method": PaymentMethod.BANK,
            "date_column": "Дата",
            "amount_column": "Сумма",
            "account_column": "Лицевой счёт",
            "payer_column": "Плательщик",
            "reference_column": "Номер документа",
            "purpose_column": "Назначение платежа",
            "date_format": BankProfile.DateFormat.DMY,
        },
    )
    return organization, user, profile


def write_csv(path: Path, lines: int, accounts: int) -> None:
    """A bank's export: title rows, a semicolon header, amounts with a decimal comma and grouped thousands.
    Nine lines in ten name the account in its column (written in several ways), one in ten only in the purpose;
    one in a hundred names no account (it waits for review)."""
    rng = random.Random(42)
    start = datetime.date.today() - datetime.timedelta(days=60)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write("Выписка по счёту 1290000000000001;;;;;\nЗа период;;;;;\n")
        handle.write("Дата;Сумма;Лицевой счёт;Плательщик;Номер документа;Назначение платежа\n")
        for n in range(1, lines + 1):
            account = rng.randint(1, accounts)
            day = (start + datetime.timedelta(days=rng.randint(0, 59))).strftime("%d.%m.%Y")
            cents = rng.randint(5000, 500000)
            amount = f"{cents // 100:,}".replace(",", " ") + f",{cents % 100:02d}"
            if n % 100 == 1:  # a number that is no account: left for review
                column, purpose = "9999999", "Оплата за вывоз ТБО"
            elif n % 10 == 0:
                column, purpose = "", f"Оплата за вывоз ТБО, л/с {account:07d}"
            else:
                column = (f"{account:07d}", str(account), f"{account:07d}"[:3] + " " + f"{account:07d}"[3:])[
                    n % 3
                ]
                purpose = "Оплата за вывоз ТБО"
            handle.write(f"{day};{amount};{column};Плательщик {account};PP-{n};{purpose}\n")


def clean(organization, *, drop: bool) -> None:
    """Delete the scratch organization's billing rows (set-based; children before parents).

    Deleting a referenced row makes the database look for rows that still refer to it. Some foreign keys have no
    index of their own (payments are never deleted in Khizmat), so the benchmark indexes them while it cleans up:
    otherwise each of 100,000 deleted rows scans a whole table.
    """
    quote = connection.ops.quote_name
    helpers = [(LedgerEntry, "payment_id"), (Payment, "statement_line_id")]
    if drop:
        helpers += [
            (Payment, "subscriber_id"),
            (LedgerEntry, "subscriber_id"),
            (StatementLine, "subscriber_id"),
        ]
    names = []
    with connection.cursor() as cursor:
        for model, column in helpers:
            name = f"bench_tmp_{model._meta.db_table}_{column}"[:60]
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(model._meta.db_table)} ({column})"
            )
            names.append(name)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            models = [LedgerEntry, PaymentRequest, Payment, StatementLine, BankStatement]
            models += [m.history.model for m in (Payment, StatementLine, BankStatement)]
            if drop:
                models += [Subscriber, Subscriber.history.model, SubscriberCategory, BankProfile]
                models += [BankProfile.history.model, Membership]
            for model in models:
                table = quote(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table} WHERE organization_id = %s", [organization.pk])
            if drop:
                organization.delete()
    finally:
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f"DROP INDEX IF EXISTS {quote(name)}")


def timed(label: str, results: list, action):
    started = time.perf_counter()
    value = action()
    results.append((label, time.perf_counter() - started))
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument(
        "--accounts", type=int, default=None, help="accounts in the scratch organization (= lines)"
    )
    parser.add_argument("--no-record", action="store_true", help="do not append a row to docs/benchmarks.md")
    parser.add_argument(
        "--drop", action="store_true", help="also delete the scratch organization and its accounts"
    )
    args = parser.parse_args()
    accounts = args.accounts or args.lines

    with scopes_disabled():
        started = time.perf_counter()
        organization, user, profile = scratch_organization(accounts)
        clean(organization, drop=False)  # a run interrupted earlier
        seeded = time.perf_counter() - started
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "statement.csv"
            write_csv(path, args.lines, accounts)
            size = path.stat().st_size
            results: list[tuple[str, float]] = []
            try:
                with path.open("rb") as handle:
                    statement = timed(
                        "import (read, match, keys, insert lines)",
                        results,
                        lambda: statements.statement_upload(actor=user, profile=profile, upload=File(handle)),
                    )
                counts = dict(
                    StatementLine.objects.filter(organization=organization, statement=statement)
                    .order_by()
                    .values_list("status")
                    .annotate(n=django.db.models.Count("pk"))
                )
                posted = timed(
                    "post (payments, ledger entries, payment requests)",
                    results,
                    lambda: statements.statement_post(actor=user, statement=statement),
                )
                with path.open("rb") as handle:
                    again = timed(
                        "import the same file again (posted lines: already posted)",
                        results,
                        lambda: statements.statement_upload(actor=user, profile=profile, upload=File(handle)),
                    )
                reposted = timed(
                    "post it (nothing to post)",
                    results,
                    lambda: statements.statement_post(actor=user, statement=again),
                )
                duplicates = StatementLine.objects.filter(
                    organization=organization, statement=again, status=LineStatus.DUPLICATE
                ).count()
                report(
                    organization, args, accounts, size, seeded, results, counts, posted, duplicates, reposted
                )
            finally:
                print("Cleaning up the scratch organization…", flush=True)
                clean(organization, drop=args.drop)
    if posted != counts.get(LineStatus.MATCHED, 0) or reposted != 0:
        sys.exit("posting counts are wrong")


SECTION = "### Bank statement import (bench/bank_import_bench.py)"
HEADER = "| date | database | statement | import + post (< 60 s) | steps | target | machine and versions |"


def report(organization, args, accounts, size, seeded, results, counts, posted, duplicates, reposted) -> None:
    ledger = LedgerEntry.objects.filter(organization=organization).count()
    total = Payment.objects.filter(organization=organization).aggregate(s=django.db.models.Sum("amount"))["s"]
    vendor = connection.vendor
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {vendor}"
    if vendor == "sqlite":
        machine += f" {connection.Database.sqlite_version}"
    print(
        f"\nBank statement import, {args.lines:,} lines ({size / 2**20:.1f} MiB CSV), {accounts:,} accounts"
    )
    print(f"{datetime.date.today()} · {machine} · accounts ready in {seeded:.1f} s")
    print(
        f"matched {counts.get(LineStatus.MATCHED, 0):,}, unmatched {counts.get(LineStatus.UNMATCHED, 0):,}; "
        f"posted {posted:,} payments ({quantize(total or 0):,} in total), {ledger:,} ledger entries; "
        f"re-import: {duplicates:,} duplicates, {reposted} posted"
    )
    print("\n| step | seconds | lines/s |\n|---|---|---|")
    for label, seconds in results:
        print(f"| {label} | {seconds:.1f} | {args.lines / seconds:,.0f} |")
    first_two = results[0][1] + results[1][1]
    verdict = "met" if first_two < 60 else "missed"
    print(f"| **import + post** | **{first_two:.1f}** | **{args.lines / first_two:,.0f}** |")
    print(f"\nTarget: importing and posting {args.lines:,} lines in under 60 s — {verdict}.", flush=True)
    if not args.no_record:
        steps = ", ".join(f"{label.split(' (')[0]} {seconds:.1f} s" for label, seconds in results)
        record_row(
            SECTION,
            HEADER,
            f"| {datetime.date.today()} | {vendor} | {args.lines:,} lines ({size / 2**20:.1f} MiB CSV), "
            f"{counts.get(LineStatus.MATCHED, 0):,} matched | **{first_two:.1f} s** | {steps} | {verdict} | "
            f"{bench_machine()}; {versions_line(vendor)} |\n",
        )


if __name__ == "__main__":
    main()
