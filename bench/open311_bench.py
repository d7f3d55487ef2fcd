"""Open311 at scale: 1,000,000 reports in PostgreSQL, `GET requests.json` (default 90-day window) and
`GET requests/{id}.json` at 8 concurrent clients against gunicorn (one worker per core), measured with wrk.

Target (issue 4): p95 < 50 ms for both. Run: `make bench-open311` (needs PostgreSQL; uses the database
`khizmat_bench`, created if missing). Appends a row to docs/benchmarks.md.
"""

import datetime
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

from benchlib import ensure_pg_database

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khizmat_bench")
REPORTS = int(os.environ.get("BENCH_REPORTS", "1000000"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = os.environ.get("BENCH_DURATION", "20s")
ENV = {
    **os.environ,
    "DATABASE_URL": PG,
    "SECRET_KEY": "bench-secret-key-not-for-production",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_COOKIES": "0",
    "OPEN311_RATE": "1000000/m",
    "LOG_LEVEL": "WARNING",
}
BIN = Path(sys.executable).parent


def khizmat(*args: str) -> str:
    return subprocess.run(
        [str(BIN / "khizmat"), *args], env=ENV, check=True, capture_output=True, text=True
    ).stdout


SEED = """
import datetime, django
django.setup()
from django.db import connection
from django.utils import timezone
from khizmat.reports.models import ReportType
from khizmat.tenancy.models import Country, Organization
from khizmat.tenancy.scoping import scopes_disabled
N = {reports}
with scopes_disabled():
    org, _ = Organization.objects.get_or_create(code="bench-city", defaults={{"kind": "municipal_enterprise", "name": "Bench city", "country": Country.objects.get(code="KG")}})
    types = [ReportType.objects.get_or_create(organization=org, code=f"type-{{i}}", defaults={{"name": f"Type {{i}}"}})[0] for i in range(5)]
    have = connection.cursor()
    have.execute("SELECT count(*) FROM reports_report WHERE organization_id = %s", [org.pk])
    missing = N - have.fetchone()[0]
    if missing > 0:
        now = timezone.now()
        with connection.cursor() as c:
            # One set-based statement: reports spread over two years, ~1 % of them in the last 90 days' window.
            c.execute(
                '''
                INSERT INTO reports_report (organization_id, number, token, report_type_id, status, description,
                    latitude, longitude, address, attributes, photo, citizen_first_name, citizen_last_name,
                    citizen_phone, citizen_email, citizen_language, device_id, account_id, source, requested_at,
                    updated_at, expected_at, public_note)
                SELECT %s, 'B-' || lpad(g::text, 7, '0'), md5(g::text), (ARRAY[%s, %s, %s, %s, %s])[1 + g %% 5],
                    (ARRAY['open','acknowledged','in_progress','resolved','closed'])[1 + (g / 7) %% 5], 'Bench report',
                    41.8 + (g %% 1000) / 10000.0, 72.9 + (g %% 997) / 10000.0, '', '{{}}', '', '', '', '', '', 'ky',
                    '', '', 'portal', %s - (g * interval '63 seconds'), %s - (g * interval '63 seconds'),
                    %s - (g * interval '63 seconds') + interval '5 days', ''
                FROM generate_series(%s, %s) AS g
                ''',
                [org.pk, *[t.pk for t in types], now, now, now, N - missing + 1, N],
            )
        with connection.cursor() as c:
            c.execute("ANALYZE reports_report")
    print(org.code)
"""


def percentiles(url: str) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c8",
            f"-d{DURATION}",
            "--latency",
            "-s",
            str(ROOT / "bench" / "percentiles.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"RESULT (.*)", out)
    return dict(item.split("=") for item in match.group(1).split())


def main() -> None:
    ensure_pg_database(PG)
    khizmat("migrate", "--noinput")
    started = time.time()
    subprocess.run(
        [sys.executable, "-c", SEED.format(reports=REPORTS)],
        env={**ENV, "DJANGO_SETTINGS_MODULE": "khizmat.settings"},
        check=True,
    )
    seeded = time.time() - started
    workers = os.cpu_count() or 2
    base = f"http://127.0.0.1:{PORT}/open311/v2"
    results = {}
    for cache_seconds in ("0", "15"):
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "khizmat.wsgi",
                "-b",
                f"127.0.0.1:{PORT}",
                "-w",
                str(workers),
                "--log-level",
                "warning",
            ],
            env={**ENV, "OPEN311_LIST_CACHE_SECONDS": cache_seconds},
        )
        try:
            time.sleep(4)
            label = "no list cache" if cache_seconds == "0" else f"list cache {cache_seconds} s"
            results[f"requests.json (90-day window, ≤1000 rows), {label}"] = percentiles(
                f"{base}/requests.json?jurisdiction_id=bench-city"
            )
            if cache_seconds == "0":
                results["requests/{id}.json"] = percentiles(
                    f"{base}/requests/B-0000500.json?jurisdiction_id=bench-city"
                )
                results["services.json (floor of the Open311 stack)"] = percentiles(
                    f"{base}/services.json?jurisdiction_id=bench-city"
                )
        finally:
            server.terminate()
            server.wait()
    machine = f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, {platform.python_version()}"
    lines = [
        f"\n### Open311 at {REPORTS:,} reports — {datetime.date.today()} ({machine}, PostgreSQL, gunicorn -w {workers}, wrk -c8 {DURATION})\n",
        f"Seeding (one INSERT … SELECT generate_series, plus ANALYZE): {seeded:.0f} s.\n\n",
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | target p95 < 50 ms |\n|---|---|---|---|---|---|---|\n",
    ]
    for name, r in results.items():
        ok = "met" if float(r["p95"]) < 50 else "missed"
        lines.append(
            f"| {name} | {r['rps']} | {r['p50']} | {r['p95']} | {r['p99']} | {r['errors']} | {ok} |\n"
        )
    text = "".join(lines)
    print(text)
    with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as handle:
        handle.write(text)


if __name__ == "__main__":
    main()
