"""Synthetic data at the size of a country's deployment, for benchmarks: ``khizmat generate --scale national``.

The generator writes what a whole country would hold after a year: hundreds of organizations, a million utility
accounts with twelve months of invoices and millions of payments, a million applications at public service
centers and a million citizen reports. It is built for speed and repeatability, not for demos:

* **Set-based.** Large tables are filled with ``INSERT … SELECT`` over a numbered series (PostgreSQL's
  ``generate_series``, SQLite's recursive CTE), never row by row in Python. Only configuration rows (a few per
  organization) go through the ORM, with ``bulk_create`` or copies of one template organization in SQL.
* **Reproducible.** Every "random" choice is a hash of the row's number and the seed (:meth:`Generator.hash`),
  so the same seed, scale and ``--as-of`` date give the same rows on SQLite and on PostgreSQL.
* **Consistent.** Rows obey the product's invariants: invoices come from the billing run's own SQL
  (:func:`khizmat.billing.services.invoice_insert_sql`), every invoice of an approved month and every payment has
  its ledger entry, numbers are unique per organization and their sequences are moved past them, receipts are
  gap-free per desk. ``khizmat billing_check`` passes on generated data.

A step is a callable ``step(gen: Generator) -> None`` registered from ``khizmat/<app>/generate.py`` with
:func:`register`; :func:`discover` runs the foundation first, then the apps in ``INSTALLED_APPS`` order — the
same shape as ``khizmat demo`` (see :mod:`khizmat.core.demo`). A later module adds its data with its own step.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module

from django.apps import apps
from django.db import connection, transaction
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Scale:
    """How much to generate. Counts are totals over all generated organizations."""

    name: str
    organizations: (
        int  # half utilities (billing), half public service centers (applications); all get reports
    )
    subscribers: int
    months: int
    payments: int
    applications: int
    reports: int


SCALES = {
    scale.name: scale
    for scale in (
        Scale("tiny", 4, 2_000, 3, 3_000, 2_000, 2_000),
        Scale("small", 20, 50_000, 12, 250_000, 50_000, 50_000),
        Scale("regional", 100, 250_000, 12, 1_250_000, 250_000, 250_000),
        Scale("national", 400, 1_000_000, 12, 5_000_000, 1_000_000, 1_000_000),
    )
}

ORG_PREFIX = "g"
AGENCY_CODE = "gen-agency"
MONITOR_USERNAME = "gen.monitor"


def org_code(index: int) -> str:
    """``g0001``…: odd numbers are utilities (municipal enterprises), even numbers public service centers."""
    return f"{ORG_PREFIX}{index:04d}"


@dataclass
class Unit:
    """One generated organization as the SQL steps see it (``k`` numbers it within its kind from 0)."""

    index: int
    code: str
    kind: str
    country: str
    currency: str
    k: int = 0
    org_id: int = 0
    region_id: int = 0
    settlement_ids: list[int] = field(default_factory=list)
    latitude: float = 0.0
    longitude: float = 0.0
    users: dict[str, int] = field(default_factory=dict)  # role → user id


class Generator:
    """Shared state of one generation and the few SQL pieces that differ between SQLite and PostgreSQL."""

    def __init__(self, *, scale: Scale, seed: int, as_of: datetime.date, stdout):
        self.scale = scale
        self.seed = seed
        self.as_of = as_of
        self.stdout = stdout
        self.units: list[Unit] = []
        self.timings: list[tuple[str, float, int]] = []
        self.vendor = connection.vendor
        self.superuser = False
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                self.superuser = bool(cursor.fetchone()[0])

    # --- The organizations of one kind, and how many rows each one gets --------------------------------------

    def units_of(self, kind: str) -> list[Unit]:
        return [unit for unit in self.units if unit.kind == kind]

    @staticmethod
    def first_rows(total: int, parts: int) -> list[int]:
        """Where each part's rows start (1-based) under :meth:`part_sql`'s skewed split, plus ``total + 1``.

        Part ``k`` holds rows ``g`` with ``floor(parts · (g-1)² / total²) = k``: the first organization is the size
        of a regional town (≈ total/√parts rows), the last ones are villages — as in a real country.
        """
        starts = []
        for k in range(parts):
            target = k * total * total
            x = math.isqrt(-(-target // parts))
            while x * x * parts < target:
                x += 1
            while x > 0 and (x - 1) * (x - 1) * parts >= target:
                x -= 1
            starts.append(x + 1)
        return [*starts, total + 1]

    @staticmethod
    def part_sql(g: str, total: int, parts: int) -> str:
        """The part (0-based organization number within its kind) of row ``g``; see :meth:`first_rows`."""
        return f"((({g}) - 1) * (({g}) - 1) * {int(parts)} / {int(total) * int(total)})"

    # --- Portable SQL -------------------------------------------------------------------------------------------

    def series(self, count: int) -> str:
        """A FROM item with one column ``g`` = 1…count."""
        if self.vendor == "postgresql":
            return f"generate_series(1::bigint, {int(count)}::bigint) AS s(g)"
        return (
            f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {int(count)}) "
            "SELECT g FROM s) AS s"
        )

    def salt(self, purpose: str) -> int:
        digest = hashlib.sha256(f"{self.seed}:{purpose}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % 1_000_003

    def hash(self, expr: str, purpose: str) -> str:
        """A deterministic pseudo-random integer in [0, 2³¹ - 1) from ``expr`` (an integer) and the seed.

        One linear step, then a square modulo a prime: the square breaks the linear relation between two purposes,
        so that e.g. the status and the type of a report are independent.
        """
        salt = self.salt(purpose)
        linear = f"((({expr}) * 1103515245 + {salt}) % 2147483648)"
        return f"(({linear} * {linear}) % 2147483647)"

    def pick(self, expr: str, purpose: str, count: int) -> str:
        """0…count-1, uniformly."""
        return f"({self.hash(expr, purpose)} % {int(count)})"

    def pad(self, expr: str, width: int) -> str:
        if self.vendor == "postgresql":
            return f"lpad(CAST({expr} AS text), {int(width)}, '0')"
        return f"printf('%0{int(width)}d', {expr})"

    def hex32(self, expr: str, purpose: str) -> str:
        """32 hexadecimal characters (a token) from two hashes."""
        a, b = self.hash(expr, purpose + ":a"), self.hash(expr, purpose + ":b")
        if self.vendor == "postgresql":
            return (
                f"(lpad(to_hex({a}), 8, '0') || lpad(to_hex({b}), 8, '0') || "
                f"lpad(to_hex({a} + 7), 8, '0') || lpad(to_hex({b} + 13), 8, '0'))"
            )
        return f"printf('%08x%08x%08x%08x', {a}, {b}, {a} + 7, {b} + 13)"

    def at(self, base: datetime.datetime, seconds: str) -> str:
        """A timestamp ``seconds`` after ``base`` (UTC)."""
        stamp = base.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
        if self.vendor == "postgresql":
            return f"(TIMESTAMPTZ '{stamp}+00' + ({seconds}) * INTERVAL '1 second')"
        return f"datetime('{stamp}', '+' || ({seconds}) || ' seconds')"

    def plus(self, timestamp: str, seconds: str) -> str:
        """A timestamp expression moved ``seconds`` (an integer expression) later."""
        if self.vendor == "postgresql":
            return f"({timestamp} + ({seconds}) * INTERVAL '1 second')"
        return f"datetime({timestamp}, '+' || ({seconds}) || ' seconds')"

    def day(self, base: datetime.date, days: str) -> str:
        """A date ``days`` after ``base``."""
        if self.vendor == "postgresql":
            return f"(DATE '{base.isoformat()}' + CAST({days} AS integer))"
        return f"date('{base.isoformat()}', '+' || ({days}) || ' days')"

    def year(self, date: str) -> str:
        """The year (an integer) of a date expression."""
        if self.vendor == "postgresql":
            return f"CAST(EXTRACT(YEAR FROM {date}) AS integer)"
        return f"CAST(strftime('%Y', {date}) AS integer)"

    def least(self, *exprs: str) -> str:
        return f"{'LEAST' if self.vendor == 'postgresql' else 'MIN'}({', '.join(exprs)})"

    def day_of(self, timestamp: str) -> str:
        """The UTC date of a timestamp expression."""
        if self.vendor == "postgresql":
            return f"CAST(({timestamp}) AT TIME ZONE 'UTC' AS date)"
        return f"date({timestamp})"

    # --- Temporary lookup tables --------------------------------------------------------------------------------

    def lookup(self, name: str, columns: list[str], rows: list[tuple]) -> None:
        """A temporary table ``name`` (first column its key) that the INSERT … SELECTs join with."""
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            definition = ", ".join(
                f"{column} {'bigint PRIMARY KEY' if i == 0 else self._type(rows, i)}"
                for i, column in enumerate(columns)
            )
            cursor.execute(f"CREATE TEMPORARY TABLE {name} ({definition})")
            if rows:
                placeholders = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {name} VALUES ({placeholders})", rows)
            if self.vendor == "postgresql":
                cursor.execute(f"ANALYZE {name}")

    @staticmethod
    def _type(rows: list[tuple], index: int) -> str:
        sample = next((row[index] for row in rows if row[index] is not None), 0)
        if isinstance(sample, bool):
            return "boolean"
        if isinstance(sample, int):
            return "bigint"
        if isinstance(sample, float):
            return "double precision"
        return "text"

    def clone(
        self, model, template_id: int, organization_ids: list[int], overrides: dict | None = None
    ) -> int:
        """Copy the template organization's rows of ``model`` to each organization in one INSERT … SELECT.

        ``overrides`` maps a column to an SQL expression over ``t`` (the template row) and ``c.org_id``.
        """
        overrides = overrides or {}
        targets = [pk for pk in organization_ids if pk != template_id]
        if not targets:
            return 0
        self.lookup("gen_clone_to", ["org_id"], [(pk,) for pk in targets])
        quote = connection.ops.quote_name
        columns = [
            field.column
            for field in model._meta.concrete_fields
            if not field.primary_key and field.column != "organization_id"
        ]
        values = ", ".join(overrides.get(column, f"t.{quote(column)}") for column in columns)
        return self.execute(
            f"copy {model._meta.db_table}",
            f"INSERT INTO {quote(model._meta.db_table)} (organization_id, {', '.join(map(quote, columns))}) "
            f"SELECT c.org_id, {values} FROM {quote(model._meta.db_table)} t CROSS JOIN gen_clone_to c "
            "WHERE t.organization_id = %s",
            [template_id],
        )

    # --- Running SQL with a progress line -------------------------------------------------------------------------

    def execute(self, label: str, sql: str, params=None) -> int:
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            count = max(cursor.rowcount, 0)
        self.timings.append((label, time.monotonic() - started, count))
        return count

    def yearly_number_sequences(
        self, label: str, table: str, prefix: str, date_column: str, organizations: str
    ):
        """Move each organization's ``<prefix>:<year>`` number sequence past the rows numbered per year in ``table``
        (``organizations``: an SQL list of their ids), so the next number the product gives follows them."""
        year = self.year(date_column)
        return self.execute(
            label,
            f"""
            INSERT INTO core_numbersequence (organization_id, key, last_value)
            SELECT organization_id, '{prefix}:' || CAST({year} AS text), count(*)
            FROM {table} WHERE organization_id IN ({organizations})
            GROUP BY organization_id, {year}
            """,
        )

    def say(self, message: str) -> None:
        self.stdout.write(message)

    @cached_property
    def citus(self) -> bool:
        if self.vendor != "postgresql":
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
            return cursor.fetchone() is not None

    def analyze(self, *tables: str) -> None:
        if self.citus:
            # Citus refuses a parallel ANALYZE of a distributed table in a transaction that read a reference table it
            # points to; the run's closing VACUUM ANALYZE covers them.
            return
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


Step = Callable[[Generator], None]
STEPS: list[Step] = []


def register(step: Step) -> Step:
    if step not in STEPS:
        STEPS.append(step)
    return step


def discover() -> list[Step]:
    """Each Khizmat app's ``generate`` module in ``INSTALLED_APPS`` order (``tenancy``, the foundation, first)."""
    order = {}
    for index, app_config in enumerate(apps.get_app_configs()):
        if app_config.name.startswith("khizmat.") and module_has_submodule(app_config.module, "generate"):
            import_module(f"{app_config.name}.generate")
        order[f"{app_config.name}.generate"] = index
    return sorted(STEPS, key=lambda step: order.get(step.__module__, len(order)))


def generate(*, scale: Scale, seed: int, as_of: datetime.date, stdout) -> Generator:
    """Run every step; each step commits its own transactions (a national run is tens of millions of rows)."""
    gen = Generator(scale=scale, seed=seed, as_of=as_of, stdout=stdout)
    if gen.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Inserting millions of rows into tables with several indexes: keep the index pages in memory (512 MiB
            # instead of SQLite's 2 MiB default) so that each insert does not re-read them from the file.
            cursor.execute("PRAGMA cache_size = -524288")
    for step in discover():
        started = time.monotonic()
        with transaction.atomic():
            if gen.vendor == "postgresql":
                with connection.cursor() as cursor:
                    # Generated rows can be generated again: no need to wait for the disk at each commit.
                    cursor.execute("SET LOCAL synchronous_commit = off")
                    if gen.superuser:
                        # Rows are consistent by construction: skip the deferred per-row foreign-key triggers,
                        # which would otherwise double the time of a national run at commit. Needs a superuser.
                        cursor.execute("SET LOCAL session_replication_role = replica")
            step(gen)
        gen.say(f"  {step.__module__.split('.')[1]}: {time.monotonic() - started:.1f} s")
    if gen.vendor == "postgresql" and not connection.in_atomic_block:  # (tests run inside a transaction)
        # What autovacuum does some time after a bulk load, done now so that measurements start from the steady
        # state: statistics, and the visibility map that lets reports read covering indexes alone.
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        gen.say(f"  vacuum and analyze: {time.monotonic() - started:.1f} s")
    return gen
