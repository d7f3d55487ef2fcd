"""Dashboards at national scale: each dashboard rendered in-process (Django's test client, the whole middleware
stack, DEBUG off) as its user: one warm-up, then 10 timed renders; min / median / max and the queries per render.

Target (issue "Benchmarks at national scale"): median < 300 ms. A dashboard that misses it is profiled once with
pyinstrument (`pip install -e '.[bench]'`): the hot spots are printed and the HTML profile kept in /tmp.

    .venv/bin/python bench/dashboard_bench.py [--record]                       # PostgreSQL, generated data
    .venv/bin/python bench/dashboard_bench.py --database-url sqlite:////tmp/khizmat-national.sqlite3
    .venv/bin/python bench/dashboard_bench.py --preset demo                    # the pilot demo
"""

import argparse
import datetime
import os
import re
import statistics
import sys
import time

from loadlib import (
    add_target_arguments,
    append_section,
    dashboards,
    database_label,
    prepare,
    resolve_targets,
    server_env,
    unanalyzed_tables,
    warn_unanalyzed,
)

RENDERS = int(os.environ.get("BENCH_RENDERS", "10"))
TARGET_MS = 300


def profile(client, path: str, name: str) -> str:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "(pyinstrument is missing: pip install -e '.[bench]')"
    profiler = Profiler(interval=0.001)
    with profiler:
        client.get(path)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    html = f"/tmp/khizmat-dashboard-{slug}.html"
    with open(html, "w", encoding="utf-8") as handle:
        handle.write(profiler.output_html())
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    return f"{text}\n(full profile: {html})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_target_arguments(parser)
    parser.add_argument("--only", help="the dashboards whose name matches this regular expression")
    parser.add_argument("--no-profile", action="store_true", help="do not profile the dashboards that miss")
    parser.add_argument("--record", action="store_true", help="append the results to docs/benchmarks.md")
    args = resolve_targets(parser.parse_args())
    env = server_env(args.database_url)
    prepare(env)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "khizmat.settings"

    import django

    django.setup()
    from benchlib import machine, versions_line
    from django.db import connection
    from django.test import Client

    from khizmat.tenancy.models import User

    warn_unanalyzed(unanalyzed_tables())
    kind = "sqlite" if args.database_url.startswith("sqlite") else "postgresql"
    plan = [d for d in dashboards() if not args.only or re.search(args.only, d[0])]
    results = []
    profiles = []
    for name, path, role in plan:
        username = getattr(args, role)
        user = User.objects.filter(username=username).first()
        if user is None:
            sys.exit(f"No user {username!r} in {database_label(args.database_url)}: is the data generated?")
        client = Client()
        client.force_login(user)
        queries = []  # counted by a wrapper: the test client's request_started signal empties connection.queries

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        started = time.perf_counter()
        with connection.execute_wrapper(count):
            response = client.get(path)
        first = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            sys.exit(f"{name}: GET {path} as {username} answered {response.status_code}, not 200")
        times = []
        for _ in range(RENDERS):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        median = statistics.median(times)
        results.append((name, path, username, first, min(times), median, max(times), len(queries)))
        print(
            f"{name:<36} first {first:>8.1f}  min {min(times):>8.1f}  median {median:>8.1f}  max {max(times):>8.1f} ms  "
            f"{len(queries):>3} queries  {'met' if median < TARGET_MS else 'MISSED'}",
            flush=True,
        )
        if median >= TARGET_MS and not args.no_profile:
            profiles.append((name, profile(client, path, name)))

    lines = [
        f"| dashboard | URL | as | first ms | min ms | median ms | max ms | queries | median < {TARGET_MS} ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, path, username, first, low, median, high, count in results:
        ok = "met" if median < TARGET_MS else "missed"
        lines.append(
            f"| {name} | `{path}` | {username} | {first:.1f} | {low:.1f} | {median:.1f} | {high:.1f} | {count} | {ok} |"
        )
    text = "\n".join(
        [
            f"### Dashboards (bench/dashboard_bench.py) — {datetime.date.today()}, {kind}",
            "",
            f"{machine()}; {versions_line(kind)}; {database_label(args.database_url)}; in-process test client, "
            f"DEBUG off, 1 first render (a new process: cold caches, counted queries) + {RENDERS} timed renders each. "
            "Nothing on these pages is cached between requests except the user's memberships.",
            "",
            *lines,
        ]
    )
    for name, output in profiles:
        print(f"\n=== Profile: {name} ===\n{output}")
    print()
    print(text)
    if args.record:
        append_section(text)
        print("\nAppended to docs/benchmarks.md")


if __name__ == "__main__":
    main()
