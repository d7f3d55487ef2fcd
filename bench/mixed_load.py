"""Mixed load at national scale: 50 locust users (spawned 10 per second, each waiting 1–4 s between actions) for
BENCH_MIXED_SECONDS (300 s) against gunicorn (one sync worker per core, DEBUG off): citizens 60 % (portal, Open311
reads, a new report by Open311 POST, following a report), cashiers 25 % (login, search, account card, a payment by
the API with an Idempotency-Key and its replay), dispatchers 15 % (login, inbox, report, a status change).

Target: zero errors. Reports requests, req/s, p50/p95/p99 per request and overall, the errors, and the workers'
memory afterwards. The run writes: new reports, payments and status changes in the chosen organizations, and an
Open311 client "Khizmat load test" for the utility (its API key is needed to POST).

    .venv/bin/python bench/mixed_load.py [--record]
    BENCH_MIXED_SECONDS=20 .venv/bin/python bench/mixed_load.py --preset demo

Needs locust: `pip install -e '.[bench]'`.
"""

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

from loadlib import (
    BIN,
    ROOT,
    Gunicorn,
    add_target_arguments,
    append_section,
    database_label,
    pick_rows,
    prepare,
    resolve_targets,
    server_env,
)

SECONDS = int(os.environ.get("BENCH_MIXED_SECONDS", "300"))
RSS_LIMIT_MB = 150


def number(value: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_target_arguments(parser)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=SECONDS, help="run time (BENCH_MIXED_SECONDS, 300)")
    parser.add_argument("--record", action="store_true", help="append the results to docs/benchmarks.md")
    args = resolve_targets(parser.parse_args())
    if not (BIN / "locust").exists():
        sys.exit("locust is missing: pip install -e '.[bench]'")
    env = server_env(args.database_url)
    prepare(env)
    rows = pick_rows(env, args, open311_client=True)
    for key in ("reports", "subscribers", "report_types", "names"):
        if not rows[key]:
            sys.exit(f"{args.utility_org} has no {key.replace('_', ' ')}: is the data generated?")
    work = Path("/tmp/khizmat-mixed-load")
    work.mkdir(exist_ok=True)
    data = work / "data.json"
    data.write_text(
        json.dumps(
            {
                "rows": rows,
                "cashier": args.cashier,
                "dispatcher": args.dispatcher,
                "password": args.password,
            }
        ),
        encoding="utf-8",
    )
    prefix = work / "locust"
    with Gunicorn(env, port=args.port, workers=args.workers, log=work / "gunicorn.log") as server:
        run = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "BENCH_LOCUST_DATA": str(data)},
            capture_output=True,
            text=True,
        )
        (work / "locust.log").write_text(run.stdout + run.stderr, encoding="utf-8")
        rss = server.worker_rss_mb()
        tracebacks = server.server_errors()
    stats_file = Path(f"{prefix}_stats.csv")
    if not stats_file.exists():
        sys.exit(f"locust wrote no statistics (exit {run.returncode}):\n{(run.stdout + run.stderr)[-3000:]}")
    with open(stats_file, encoding="utf-8") as handle:
        stats = list(csv.DictReader(handle))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))

    lines = [
        "| request | requests | failures | req/s | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    total = None
    for row in stats:
        label = f"{row['Type']} {row['Name']}" if not row["Name"].startswith("POST ") else row["Name"]
        if row["Name"] == "Aggregated":
            total = row
            label = "**all requests**"
        lines.append(
            f"| {label} | {row['Request Count']} | {row['Failure Count']} | {number(row['Requests/s']):.1f} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | {number(row['Max Response Time']):.0f} |"
        )
    errors = int(number(total["Failure Count"])) if total else -1
    summary = [
        f"Errors: {errors} (target 0: {'met' if errors == 0 else 'missed'}); tracebacks in the server log: "
        f"{tracebacks}.",
        f"RSS per worker after the load: {', '.join(f'{mb:.0f}' for mb in rss)} MB "
        f"(target < {RSS_LIMIT_MB} MB: {'met' if rss and max(rss) < RSS_LIMIT_MB else 'missed'}).",
    ]
    for failure in failures:
        summary.append(
            f"- {failure['Occurrences']} × {failure['Method']} {failure['Name']}: {failure['Error'][:200]}"
        )
    text = "\n".join(
        [
            f"### Mixed load (bench/mixed_load.py) — {datetime.date.today()}",
            "",
            f"{rows['machine']}; {rows['versions']}; gunicorn -w {args.workers} (sync workers), DEBUG off; locust "
            f"{args.users} users (citizens 60 %, cashiers 25 %, dispatchers 15 %), spawn {args.spawn_rate:g}/s, "
            f"wait 1–4 s, {args.seconds} s; {database_label(args.database_url)}; organizations {args.utility_org} "
            f"(citizens, cashiers, dispatchers). Times include following redirects; the POST of a status change "
            "includes the report page it returns to.",
            "",
            *lines,
            "",
            *summary,
        ]
    )
    print(text)
    if args.record:
        append_section(text)
        print("\nAppended to docs/benchmarks.md")
    if errors != 0:
        print(f"\nlocust log: {work / 'locust.log'}; server log: {work / 'gunicorn.log'}", file=sys.stderr)


if __name__ == "__main__":
    main()
