"""HTTP at national scale: each scenario (Open311, API lists and details, the cashier's search, the dashboards) for
BENCH_DURATION (10 s) at 8 concurrent clients (wrk -t2 -c8) against gunicorn (one sync worker per core, DEBUG off),
next to `/healthz/`, the framework's ceiling. Then the resident memory of every worker after the load.

Targets (issue "Benchmarks at national scale"): detail endpoints ≥ 40 % of the ceiling's req/s and p95 < 50 ms;
RSS per worker < 150 MB. Lists, searches and dashboards are reported (dashboards' render target, median < 300 ms,
is measured by bench/dashboard_bench.py).

Run on the generated data (`khizmat generate --scale national`, see bench/generate_bench.py):
    .venv/bin/python bench/http_bench.py [--record]
On the pilot demo (`DEBUG=1 DATABASE_URL=… khizmat demo`), shorter:
    BENCH_DURATION=3s .venv/bin/python bench/http_bench.py --preset demo \
        --database-url postgres://postgres@127.0.0.1:5432/khizmat_benchdev
"""

import argparse
import datetime
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from loadlib import (
    ROOT,
    Gunicorn,
    add_target_arguments,
    append_section,
    dashboards,
    database_label,
    login,
    middle,
    pick_rows,
    prepare,
    request,
    resolve_targets,
    server_env,
)

DURATION = os.environ.get("BENCH_DURATION", "10s")
WRK = os.environ.get("WRK", "/usr/bin/wrk")
# A slow page is measured, not dropped (wrk's default, 2 s, would count it as a socket timeout).
WRK_TIMEOUT = os.environ.get("BENCH_WRK_TIMEOUT", "30s")
DETAIL_SHARE = 0.40  # of the ceiling's req/s
DETAIL_P95_MS = 50
RSS_LIMIT_MB = 150


def scenarios(args, rows) -> list[tuple[str, str, str, str | None]]:
    """(category, name, path, login role or None for anonymous)."""
    org = args.utility_org
    report = middle(rows["reports"])
    subscriber = middle(rows["subscribers"])
    fragment = quote(middle(rows["names"]))
    open311 = "/open311/v2"
    return [
        ("ceiling", "/healthz/", "/healthz/", None),
        ("detail", "Open311 requests/{id}.json", f"{open311}/requests/{report['number']}.json?jurisdiction_id={org}", None),
        ("detail", "API subscribers/{id}/", f"/api/v1/subscribers/{subscriber['pk']}/", "cashier"),
        ("detail", "API payments/{id}/", f"/api/v1/payments/{middle(rows['payments'])}/", "cashier"),
        ("detail", "API reports/{id}/", f"/api/v1/reports/{report['pk']}/", "dispatcher"),
        ("detail", "API applications/{id}/", f"/api/v1/applications/{middle(rows['applications'])}/", "psc_operator"),
        ("list", "Open311 services.json", f"{open311}/services.json?jurisdiction_id={org}", None),
        ("list", "Open311 requests.json (90 days, ≤ 1000, list cache 15 s)", f"{open311}/requests.json?jurisdiction_id={org}", None),
        ("list", "API subscribers/?status=active", "/api/v1/subscribers/?status=active", "cashier"),
        ("list", "API payments/", "/api/v1/payments/", "cashier"),
        ("list", "API reports/?status=open", "/api/v1/reports/?status=open", "dispatcher"),
        ("list", "API applications/", "/api/v1/applications/", "psc_operator"),
        ("list", "reports inbox (page, map)", "/reports/", "dispatcher"),
        ("page", "subscriber card (page)", f"/billing/subscribers/{subscriber['pk']}/", "cashier"),
        ("page", "report (staff page)", f"/reports/{report['pk']}/", "dispatcher"),
        ("search", "cashier search: account number", f"/billing/cash/?q={subscriber['number']}", "cashier"),
        ("search", "cashier search: name fragment", f"/billing/cash/?q={fragment}", "cashier"),
        *[("dashboard", name, path, role) for name, path, role in dashboards()],
    ]  # fmt: skip


def wrk(url: str, cookie: str | None) -> dict:
    command = [WRK, "-t2", "-c8", f"-d{DURATION}", f"--timeout={WRK_TIMEOUT}", "--latency"]
    command += ["-s", str(ROOT / "bench" / "percentiles.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT (.*)", out)
    if not match:
        sys.exit(f"wrk printed no result for {url}:\n{out}")
    return {key: float(value) for key, value in (item.split("=") for item in match.group(1).split())}


def drain(args) -> None:
    """Wait until the workers have answered what wrk left queued (sync workers finish requests whose client has
    gone), so that a slow scenario does not slow down the next one."""
    for _ in range(args.workers * 2):
        request(args.port, "GET", "/healthz/", timeout=600)


def verdict(category: str, result: dict, ceiling: float) -> str:
    if not result["requests"]:
        return "no answer within the run"
    if category == "detail":
        ok = (
            result["rps"] >= DETAIL_SHARE * ceiling and result["p95"] < DETAIL_P95_MS and not result["errors"]
        )
        return "met" if ok else "missed"
    if category == "dashboard":
        return "report (render target: dashboard_bench)"
    return "—" if category == "ceiling" else "report"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_target_arguments(parser)
    parser.add_argument(
        "--only", help="run the scenarios whose name matches this regular expression (and the ceiling)"
    )
    parser.add_argument("--record", action="store_true", help="append the results to docs/benchmarks.md")
    parser.add_argument(
        "--title", default="at national scale", help='of the recorded section, e.g. "on Citus, regional data"'
    )
    args = resolve_targets(parser.parse_args())
    if not Path(WRK).exists():
        sys.exit(f"{WRK} is missing: apt-get install -y wrk")
    env = server_env(args.database_url)
    prepare(env)
    rows = pick_rows(env, args)
    plan = scenarios(args, rows)
    if args.only:
        plan = [s for s in plan if s[0] == "ceiling" or re.search(args.only, s[1])]
    log = Path("/tmp/khizmat-http-bench-gunicorn.log")
    results = []
    with Gunicorn(env, port=args.port, workers=args.workers, log=log) as server:
        sessions = {}
        for role in sorted({s[3] for s in plan if s[3]}):
            sessions[role] = login(args.port, getattr(args, role), args.password)
        # Every scenario must answer 200 before anything is measured: a redirect to the login page or a 404
        # would otherwise be measured as a fast page.
        for _category, name, path, role in plan:
            answer = request(args.port, "GET", path, cookies=sessions.get(role))
            if answer.status != 200:
                sys.exit(
                    f"{name}: GET {path} as {getattr(args, role) if role else 'anonymous'} answered "
                    f"{answer.status}, not 200:\n{answer.body[:500].decode(errors='replace')}\n"
                    f"(server log: {log})"
                )
        base = f"http://127.0.0.1:{args.port}"
        ceiling = 0.0
        for category, name, path, role in plan:
            cookie = "; ".join(f"{k}={v}" for k, v in sessions[role].items()) if role else None
            result = wrk(base + path, cookie)
            drain(args)
            if category == "ceiling":
                ceiling = result["rps"]
            results.append((category, name, role, result))
            print(
                f"{name:<58} {result['rps']:>8.1f} req/s  p50 {result['p50']:>7.2f}  p95 {result['p95']:>7.2f}  "
                f"p99 {result['p99']:>7.2f} ms  errors {result['errors']:.0f}",
                flush=True,
            )
        rss = server.worker_rss_mb()
        tracebacks = server.server_errors()

    lines = [
        "| scenario | as | requests | req/s | p50 ms | p95 ms | p99 ms | errors | % of ceiling | target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for category, name, role, r in results:
        share = 100 * r["rps"] / ceiling if ceiling else 0
        who = getattr(args, role) if role else "anonymous"
        lines.append(
            f"| {name} | {who} | {r['requests']:.0f} | {r['rps']:.1f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} | "
            f"{r['errors']:.0f} | {share:.0f} % | {verdict(category, r, ceiling)} |"
        )
    rss_ok = bool(rss) and max(rss) < RSS_LIMIT_MB
    detail = [r for r in results if r[0] == "detail"]
    met = sum(verdict("detail", r[3], ceiling) == "met" for r in detail)
    summary = [
        f"RSS per worker after the load: {', '.join(f'{mb:.0f}' for mb in rss)} MB "
        f"(target < {RSS_LIMIT_MB} MB: {'met' if rss_ok else 'missed'}).",
        f"Detail endpoints meeting ≥ {DETAIL_SHARE:.0%} of the ceiling and p95 < {DETAIL_P95_MS} ms: {met} of {len(detail)}.",
        f"Tracebacks in the server log: {tracebacks}.",
    ]
    text = "\n".join(
        [
            f"### HTTP {args.title} (bench/http_bench.py) — {datetime.date.today()}",
            "",
            f"{rows['machine']}; {rows['versions']}; gunicorn -w {args.workers} (sync workers), DEBUG off; "
            f"wrk -t2 -c8 -d{DURATION} per scenario; {database_label(args.database_url)}; organizations "
            f"{args.utility_org} (utility) and {args.psc_org} (service center). Errors are non-2xx/3xx answers and "
            "socket errors; every URL answered 200 before it was measured.",
            "",
            *lines,
            "",
            *summary,
        ]
    )
    print()
    print(text)
    if args.record:
        append_section(text)
        print("\nAppended to docs/benchmarks.md")


if __name__ == "__main__":
    main()
