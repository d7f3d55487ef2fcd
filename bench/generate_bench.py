"""National-scale data for the other benchmarks: `khizmat generate --scale national` into its own database, timed.

Run by `make bench` first: `--database postgresql` fills BENCH_NATIONAL_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/khizmat_national), `--database sqlite` fills BENCH_NATIONAL_SQLITE
(/tmp/khizmat-national.sqlite3). When the database already holds generated data the script says so and stops (the
later scenarios reuse it); `--fresh` drops it and generates again. Prints the generator's statement timings and row
counts and appends a row to docs/benchmarks.md (time, peak memory of the generator, database size).
"""

import argparse
import datetime
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchlib import ensure_pg_database, machine, record_row, versions_line

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("BENCH_NATIONAL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khizmat_national")
SQLITE_PATH = os.environ.get("BENCH_NATIONAL_SQLITE", "/tmp/khizmat-national.sqlite3")
TABLES = [
    ("tenancy_organization", "organizations"),
    ("billing_subscriber", "accounts"),
    ("billing_invoice", "invoices"),
    ("billing_payment", "payments"),
    ("billing_ledgerentry", "ledger entries"),
    ("services_application", "applications"),
    ("reports_report", "citizen reports"),
]
SECTION = "### National data (bench/generate_bench.py)"
HEADER = "| date | database | scale | time | peak memory | rows | database size | machine and versions |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "national"))
    parser.add_argument("--fresh", action="store_true", help="Drop the database and generate again.")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--note", default="", help="added to the scale column, e.g. what ran alongside")
    args = parser.parse_args()
    url = PG_URL if args.database == "postgresql" else f"sqlite:///{SQLITE_PATH}"
    if args.fresh:
        if args.database == "postgresql":
            base, name = PG_URL.rsplit("/", 1)
            subprocess.run(["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        else:
            Path(SQLITE_PATH).unlink(missing_ok=True)
    if args.database == "postgresql":
        ensure_pg_database(PG_URL)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-secret-key-not-for-production",
    }
    subprocess.run([str(BIN / "khizmat"), "migrate", "-v0"], env=env, check=True)
    started = time.monotonic()
    result = subprocess.run(
        [str(BIN / "khizmat"), "generate", "--scale", args.scale, "--if-missing", "--force"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    print(result.stdout)
    if "nothing to do" in result.stdout:
        return
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "khizmat.settings"
    import django

    django.setup()
    from django.db import connection

    counts = []
    with connection.cursor() as cursor:
        for table, label in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts.append(f"{cursor.fetchone()[0]:,} {label}")
        if args.database == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
        else:
            size = Path(SQLITE_PATH).stat().st_size
    print(f"{args.database}: {args.scale} in {seconds:.0f} s, peak {peak_mb:.0f} MB, {size / 2**30:.1f} GiB")
    print(", ".join(counts))
    if not args.no_record:
        record_row(
            SECTION,
            HEADER,
            f"| {datetime.date.today()} | {args.database} | {args.scale}{' ' + args.note if args.note else ''} | "
            f"{seconds / 60:.1f} min | "
            f"{peak_mb:.0f} MB | {', '.join(counts)} | {size / 2**30:.1f} GiB | {machine()}; "
            f"{versions_line(args.database)} |\n",
        )


if __name__ == "__main__":
    main()
