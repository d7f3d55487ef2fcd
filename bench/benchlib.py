"""Shared by the bench scripts (run as `python bench/<name>.py`, so this folder is on sys.path)."""

import subprocess


def _database_exists(url: str) -> bool:
    base, name = url.rsplit("/", 1)
    return bool(
        subprocess.run(
            ["psql", f"{base}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )


def ensure_pg_database(url: str) -> None:
    """Create the PostgreSQL database named by ``url`` (postgres://…/<name>) if it does not exist."""
    if not _database_exists(url):
        base, name = url.rsplit("/", 1)
        subprocess.run(
            ["psql", f"{base}/postgres", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True
        )


def ensure_citus_database(url: str) -> None:
    """Create the database named by ``url`` on a Citus coordinator and its workers, unless the coordinator has it."""
    if not _database_exists(url):
        from khizmat.testing.citus import prepare

        prepare(url, name=url.rsplit("/", 1)[1])


def machine() -> str:
    """Cores and memory of this machine, for the results tables."""
    import os

    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    return f"{os.cpu_count()} cores, {total_kb / 1024 / 1024:.0f} GiB RAM"


def versions_line(kind: str) -> str:
    """Python, Django and database versions (Django must be set up)."""
    import platform

    import django
    from django.db import connection

    connection.ensure_connection()
    if kind == "sqlite":
        import sqlite3

        db = f"SQLite {sqlite3.sqlite_version}"
    else:
        version = connection.cursor().connection.info.server_version
        db = f"PostgreSQL {version // 10000}.{version % 100}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'citus'")
            citus = cursor.fetchone()
            if citus:
                cursor.execute("SELECT count(*) FROM citus_get_active_worker_nodes()")
                db += f", Citus {citus[0]} (coordinator and {cursor.fetchone()[0]} workers on this machine)"
    return f"Python {platform.python_version()}, Django {django.get_version()}, {db}"


def record_row(section: str, header: str, line: str) -> None:
    """Add ``line`` at the end of the table under ``header`` in docs/benchmarks.md, creating the section if needed."""
    import fcntl
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
    # Two scripts may finish at once (make bench generates on PostgreSQL and SQLite side by side).
    with open(path, "a", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _insert_row(path, section, header, line)


def _insert_row(path, section: str, header: str, line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    try:
        at = next(i for i, text in enumerate(lines) if text.startswith(header)) + 1
    except StopIteration:
        columns = header.count("|") - 1
        lines += [f"\n{section}\n\n{header}\n", "|---" * columns + "|\n"]
        at = len(lines)
    while at < len(lines) and lines[at].startswith("|"):
        at += 1
    lines.insert(at, line)
    path.write_text("".join(lines), encoding="utf-8")
