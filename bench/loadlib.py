"""Shared by the HTTP benchmarks (http_bench.py, mixed_load.py, dashboard_bench.py): which organizations and logins
to use, the server environment, gunicorn start and stop, logging in through the form, the rows requests hit.

Run as ``python bench/loadlib.py pick '<json>'`` it prints, as JSON, real rows of the chosen organizations (the
scripts call it in a subprocess so that their own process stays free of Django).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NATIONAL_DATABASE_URL = os.environ.get(
    "BENCH_NATIONAL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khizmat_national"
)
DEMO_DATABASE_URL = os.environ.get(
    "BENCH_DEMO_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/khizmat_benchdev"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", "/tmp/khizmat-bench-static")
SECRET_KEY = "bench-secret-key-not-for-production"
# The demo password (khizmat.core.demo.DEMO_PASSWORD), without importing Django here.
DEMO_PASSWORD = "khizmat-demo-2026"

# Organizations and logins: the generated national data (`khizmat generate --scale national`) or the pilot demo
# (`khizmat demo`). Every one can be overridden on the command line.
PRESETS = {
    "national": {
        "database_url": NATIONAL_DATABASE_URL,
        "utility_org": "g0001",
        "cashier": "g0001.cashier",
        "dispatcher": "g0001.dispatcher",
        "utility_manager": "g0001.manager",
        "psc_org": "g0002",
        "psc_operator": "g0002.operator",
        "psc_manager": "g0002.manager",
        "monitor": "gen.monitor",
    },
    "demo": {
        "database_url": DEMO_DATABASE_URL,
        "utility_org": "ynguuluu-shart",
        "cashier": "ynguuluu-shart.cashier",
        "dispatcher": "ynguuluu-shart.dispatcher",
        "utility_manager": "ynguuluu-shart.manager",
        "psc_org": "bakhmal",
        "psc_operator": "bakhmal.operator",
        "psc_manager": "bakhmal.manager",
        "monitor": "eu-undp.monitor",
    },
}
USER_ROLES = ("cashier", "dispatcher", "utility_manager", "psc_operator", "psc_manager", "monitor")


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--preset",
        choices=sorted(PRESETS),
        default="national",
        help="defaults for the options below: generated national data (g0001…) or the pilot demo",
    )
    parser.add_argument("--database-url", help="default: BENCH_NATIONAL_DATABASE_URL (national preset)")
    parser.add_argument("--utility-org", help="municipal enterprise with billing and reports (g0001)")
    parser.add_argument("--psc-org", help="public service center with applications (g0002)")
    parser.add_argument("--cashier", help="cashier of the utility (g0001.cashier)")
    parser.add_argument("--dispatcher", help="dispatcher of the utility (g0001.dispatcher)")
    parser.add_argument("--utility-manager", help="manager of the utility (g0001.manager)")
    parser.add_argument("--psc-operator", help="operator of the service center (g0002.operator)")
    parser.add_argument("--psc-manager", help="manager of the service center (g0002.manager)")
    parser.add_argument("--monitor", help="monitor over the organizations (gen.monitor)")
    parser.add_argument("--password", default=DEMO_PASSWORD, help="password of every login (the demo's)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (default: one per core)"
    )


def resolve_targets(args: argparse.Namespace) -> argparse.Namespace:
    """Fill every option left empty from the chosen preset."""
    for key, value in PRESETS[args.preset].items():
        if getattr(args, key, None) in (None, ""):
            setattr(args, key, value)
    return args


def database_label(url: str) -> str:
    """``postgresql khizmat_national`` / ``sqlite /tmp/x.sqlite3``: which database, without credentials."""
    if url.startswith("sqlite"):
        return "SQLite " + url.split(":///", 1)[1]
    return "PostgreSQL database " + url.rsplit("/", 1)[1]


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like server (DEBUG off) for benchmarks: no rate limit gets in the way."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_COOKIES": "0",
        "OPEN311_RATE": "1000000/m",
        "API_RATE_USER": "1000000/m",
        "API_RATE_ANON": "1000000/m",
        "LOG_LEVEL": "WARNING",
        # The demo's and the generated data's logins sign in with their (public) password only, as on `make run`.
        "TWO_FACTOR_REQUIRED": "0",
        "STATIC_ROOT": STATIC_ROOT,
        # As production runs it: the cache (sessions, memberships, rate limits) in Redis, shared by the workers.
        "REDIS_URL": REDIS_URL,
        **extra,
    }


def khizmat(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "khizmat"), *args], env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"khizmat {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare(env: dict[str, str], *, migrate: bool = True) -> None:
    """Schema up to date, static files collected (pages need the manifest when DEBUG is off)."""
    if migrate:
        khizmat(env, "migrate", "--noinput", "-v0")
    khizmat(env, "collectstatic", "--noinput", "-v0")


def pick_rows(
    env: dict[str, str], args: argparse.Namespace, *, count: int = 200, open311_client: bool = False
):
    """Real rows of the chosen organizations (see :func:`_pick`), read in a subprocess with Django set up."""
    options = {
        "utility_org": args.utility_org,
        "psc_org": args.psc_org,
        "count": count,
        "open311_client": open311_client,
        "database_kind": "sqlite" if args.database_url.startswith("sqlite") else "postgresql",
    }
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "pick", json.dumps(options)],
        env={**env, "DJANGO_SETTINGS_MODULE": "khizmat.settings"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(
            f"Could not read the benchmark rows from {database_label(args.database_url)}:\n{result.stderr}"
        )
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    warn_unanalyzed(rows["unanalyzed"])
    return rows


def unanalyzed_tables() -> list[str]:
    """PostgreSQL tables of some size that were never analyzed (Django set up): their plans are guesses."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 10000 "
            "AND last_analyze IS NULL AND last_autoanalyze IS NULL ORDER BY relname"
        )
        return [name for (name,) in cursor.fetchall()]


def warn_unanalyzed(tables: list[str]) -> None:
    if tables:
        print(
            f"WARNING: PostgreSQL has no statistics for {', '.join(tables)} (never analyzed; autovacuum off?): "
            "its plans are guesses and the results do not mean much. Run ANALYZE on the database first.",
            file=sys.stderr,
        )


def _pick(options: dict) -> dict:
    """Rows spread over each table (every n-th by primary key, not only the newest), in the orgs' scope."""
    import django

    django.setup()
    from benchlib import machine, versions_line
    from django.db.models import Max, Min

    from khizmat.billing.models import CashClosing, CashDesk, Payment, Subscriber
    from khizmat.reports.models import Open311Client, Report, ReportType
    from khizmat.services.models import Application
    from khizmat.tenancy.models import Organization
    from khizmat.tenancy.scoping import scopes_disabled

    count = options["count"]

    def spread(queryset, fields):
        bounds = queryset.aggregate(low=Min("pk"), high=Max("pk"))
        if bounds["low"] is None:
            return []
        step = max((bounds["high"] - bounds["low"]) // count, 1)
        rows = []
        for start in range(bounds["low"], bounds["high"] + 1, step):
            row = queryset.filter(pk__gte=start).order_by("pk").values(*fields).first()
            if row and (not rows or rows[-1]["pk"] != row["pk"]):
                rows.append(row)
            if len(rows) >= count:
                break
        return rows

    with scopes_disabled():
        missing = [
            code
            for code in (options["utility_org"], options["psc_org"])
            if not Organization.objects.filter(code=code, is_active=True).exists()
        ]
        if missing:
            sys.exit(f"No active organization with the code {', '.join(missing)}: is the data generated?")
        utility = Organization.objects.get(code=options["utility_org"])
        psc = Organization.objects.get(code=options["psc_org"])
        reports = spread(
            Report.objects.filter(organization=utility), ("pk", "number", "token", "latitude", "longitude")
        )
        for row in reports:
            row["latitude"] = float(row["latitude"]) if row["latitude"] is not None else None
            row["longitude"] = float(row["longitude"]) if row["longitude"] is not None else None
        types = [
            t.code
            for t in ReportType.objects.filter(organization=utility, is_active=True).order_by("code")
            if not any(item.get("required") for item in t.attributes or [])
        ]
        subscribers = spread(Subscriber.objects.filter(organization=utility), ("pk", "number", "holder_name"))
        payments = spread(Payment.objects.filter(organization=utility), ("pk",))
        applications = spread(Application.objects.filter(organization=psc), ("pk", "number"))
        from django.utils import timezone

        closed = CashClosing.objects.filter(organization=utility, date=timezone.localdate()).values("desk_id")
        desk = (
            CashDesk.objects.filter(organization=utility, is_active=True)
            .exclude(pk__in=closed)
            .order_by("code")
            .values_list("pk", flat=True)
            .first()
        )
        key = ""
        if options["open311_client"]:
            client = Open311Client.objects.filter(
                organization=utility, name="Khizmat load test", is_active=True
            ).first() or Open311Client.objects.create(organization=utility, name="Khizmat load test")
            key = client.api_key
    unanalyzed = unanalyzed_tables()
    # A name fragment: the first word of a holder's name, as a cashier types it.
    names = [s["holder_name"].split()[0] for s in subscribers if s["holder_name"].split()]
    return {
        "utility_org": utility.code,
        "psc_org": psc.code,
        "reports": reports,
        "report_types": types,
        "subscribers": [{"pk": s["pk"], "number": s["number"]} for s in subscribers],
        "names": names,
        "payments": [p["pk"] for p in payments],
        "applications": [a["pk"] for a in applications],
        "desk": desk,
        "open311_key": key,
        "unanalyzed": unanalyzed,
        "machine": machine(),
        "versions": versions_line(options["database_kind"]),
    }


def dashboards() -> list[tuple[str, str, str]]:
    """(name, path, login role) of every dashboard: a role's home, billing, service center, monitoring."""
    return [
        ("home (utility manager)", "/", "utility_manager"),
        ("billing: collection rate", "/billing/collection/", "utility_manager"),
        ("billing: arrears (debtors)", "/billing/arrears/", "utility_manager"),
        ("applications: operators' workload", "/applications/workload/", "psc_manager"),
        ("feedback: satisfaction scores", "/feedback/scores/", "psc_manager"),
        ("queue: today's overview", "/queue/", "psc_manager"),
        ("monitoring: organizations and staff", "/monitoring/organizations/", "monitor"),
        # Results (khizmat.monitoring): each area for the monitor of every site, by region, pilot sites alone, the
        # records behind an overdue figure; each director's own area.
        ("results: service centers by region", "/monitoring/?section=service_center&group=region", "monitor"),
        ("results: billing by region", "/monitoring/?section=billing&group=region", "monitor"),
        ("results: citizen reports by site", "/monitoring/?section=reports&group=organization", "monitor"),
        ("results: field work by region", "/monitoring/?section=fieldwork&group=region", "monitor"),
        ("results: pilot sites only", "/monitoring/?section=service_center&pilot=pilot", "monitor"),
        ("results: overdue applications (records)", "/monitoring/records/applications.overdue/", "monitor"),
        ("results: overdue reports (records)", "/monitoring/records/reports.overdue/", "monitor"),
        ("results: enterprise director (billing)", "/monitoring/?section=billing", "utility_manager"),
        ("results: center director", "/monitoring/?section=service_center", "psc_manager"),
    ]


def middle(rows: list):
    """The row in the middle of a spread-out list: a typical row, neither the oldest nor the newest."""
    if not rows:
        sys.exit("The organization has no rows for this scenario: is the data generated?")
    return rows[len(rows) // 2]


# --- HTTP without third-party clients -------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def request(
    port: int,
    method: str,
    path: str,
    *,
    cookies: dict[str, str] | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> Response:
    """One request to the local server (redirects are not followed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = dict(headers or {})
        if cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        connection.request(method, path, body=body, headers=all_headers)
        answer = connection.getresponse()
        return Response(answer.status, answer.headers, answer.read())
    finally:
        connection.close()


def _set_cookies(response: Response, cookies: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        parsed = SimpleCookie()
        parsed.load(header)
        for name, morsel in parsed.items():
            cookies[name] = morsel.value


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(port: int, username: str, password: str) -> dict[str, str]:
    """Log in through the login form (CSRF token and all), as a browser does; returns the cookies."""
    cookies: dict[str, str] = {}
    page = request(port, "GET", "/accounts/login/")
    _set_cookies(page, cookies)
    match = CSRF_INPUT.search(page.body.decode())
    if page.status != 200 or not match:
        sys.exit(f"GET /accounts/login/ answered {page.status} without a CSRF token")
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)})
    answer = request(
        port,
        "POST",
        "/accounts/login/",
        cookies=cookies,
        body=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    _set_cookies(answer, cookies)
    if answer.status != 302 or "sessionid" not in cookies:
        sys.exit(f"Login as {username!r} failed (HTTP {answer.status}): wrong username or password?")
    return cookies


# --- gunicorn --------------------------------------------------------------------------------------------------


class Gunicorn:
    """``gunicorn khizmat.wsgi`` on 127.0.0.1:<port>, as production runs it (sync workers, one per core)."""

    def __init__(self, env: dict[str, str], *, port: int, workers: int, log: Path):
        self.env, self.port, self.workers, self.log = env, port, workers, log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                sys.exit(f"Port {self.port} is in use: stop that server or choose --port.")
        self.log_handle = open(self.log, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "khizmat.wsgi",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            env=self.env,
            stdout=self.log_handle,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped at start:\n{self.log.read_text()[-3000:]}")
            try:
                if request(self.port, "GET", "/healthz/", timeout=2).status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            self.__exit__(None, None, None)
            sys.exit("gunicorn did not answer /healthz/ within 60 s")
        # Every worker imports the app lazily on its first request: let each one answer before measuring.
        for _ in range(self.workers * 4):
            request(self.port, "GET", "/healthz/")
        return self

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def server_errors(self) -> int:
        """Tracebacks the workers logged (500s, crashes) since the start."""
        self.log_handle.flush()
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return text.count("Traceback (most recent call last)")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_handle.close()


def append_section(text: str) -> None:
    """Add a section at the end of docs/benchmarks.md."""
    import fcntl

    path = ROOT / "docs" / "benchmarks.md"
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        current = path.read_text(encoding="utf-8")
        handle.write(("" if current.endswith("\n") else "\n") + "\n" + text.rstrip("\n") + "\n")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "pick":
        print(json.dumps(_pick(json.loads(sys.argv[2]))))
    else:
        sys.exit("usage: loadlib.py pick '<json options>'")
