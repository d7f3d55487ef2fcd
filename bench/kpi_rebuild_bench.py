"""The KPI rebuild at national scale: `khizmat kpi_rebuild` over every organization, timed, with its peak memory.

The stored KPI measures (`monitoring.MeasureValue`: per organization, measure and local day, and per month) are
what every Results dashboard reads; the generator writes raw rows only, so `make bench` runs this before the
dashboards. Prints the command's output (stored values per source) and appends a row to docs/benchmarks.md.

    .venv/bin/python bench/kpi_rebuild_bench.py [--record]                     # PostgreSQL, generated data
    .venv/bin/python bench/kpi_rebuild_bench.py --database-url sqlite:////tmp/khizmat-national.sqlite3 --record
"""

import argparse
import datetime
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchlib import machine, record_row, versions_line
from loadlib import add_target_arguments, database_label, resolve_targets, server_env

BIN = Path(sys.executable).parent
SECTION = "### KPI rebuild (bench/kpi_rebuild_bench.py)"
HEADER = "| date | database | time | CPU of the command | peak memory | stored values | by source | machine and versions |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_target_arguments(parser)
    parser.add_argument("--record", action="store_true", help="append the result to docs/benchmarks.md")
    args = resolve_targets(parser.parse_args())
    env = {**os.environ, **server_env(args.database_url)}
    started = time.monotonic()
    result = subprocess.run(
        [str(BIN / "khizmat"), "kpi_rebuild"], env=env, capture_output=True, text=True, check=False
    )
    seconds = time.monotonic() - started
    print(result.stdout)
    if result.returncode != 0:
        sys.exit(f"kpi_rebuild failed ({result.returncode}):\n{result.stderr}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime  # the command's own processor time: what a quiet machine would take
    by_source = {m[1]: int(m[2]) for m in re.finditer(r"^(\S+): (\d+) stored values$", result.stdout, re.M)}
    total = sum(by_source.values())
    kind = "sqlite" if args.database_url.startswith("sqlite") else "postgresql"
    print(
        f"{database_label(args.database_url)}: {total:,} stored values in {seconds:.1f} s ({cpu:.0f} s of CPU), peak {peak_mb:.0f} MB"
    )
    if args.record:
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "khizmat.settings"
        import django

        django.setup()
        sources = ", ".join(f"{name} {rows:,}" for name, rows in sorted(by_source.items()))
        record_row(
            SECTION,
            HEADER,
            f"| {datetime.date.today()} | {database_label(args.database_url)} | {seconds / 60:.1f} min | {cpu / 60:.1f} min | "
            f"{peak_mb:.0f} MB | {total:,} | {sources} | {machine()}; {versions_line(kind)} |\n",
        )
        print("Recorded in docs/benchmarks.md")


if __name__ == "__main__":
    main()
