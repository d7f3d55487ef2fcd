"""Helpers of the fault tests: what PostgreSQL's clients see when the server restarts, and a worker in a thread.

A restart is simulated by ``pg_terminate_backend()`` of every backend of the test database, from a connection to the
``postgres`` maintenance database: each client's connection drops at once, mid-transaction if it was in one, with
PostgreSQL's admin-shutdown error — exactly what a restart does to its clients, without touching the shared server
(other test databases on it carry on).
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from khizmat.tenancy.scoping import scopes_disabled

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="terminates PostgreSQL backends (what a server restart does to its clients); SQLite has no server",
)


def terminate_database_backends() -> int:
    """Drop every connection to the test database (the caller's own too), waiting until each has gone; returns how
    many there were. The test's own connection must be closed afterwards (``connection.close()``)."""
    name = connection.settings_dict["NAME"]
    admin = connection.get_new_connection({**connection.get_connection_params(), "dbname": "postgres"})
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            return cursor.fetchone()[0]
    finally:
        admin.close()


class FaultAt:
    """An execute wrapper (``connection.execute_wrapper``) that terminates the database's backends right before
    the ``nth`` statement for which ``matches(sql)`` is true, then lets that statement run into the dropped
    connection."""

    def __init__(self, matches, nth: int):
        self.matches, self.nth, self.seen, self.fired = matches, nth, 0, False

    def __call__(self, execute, sql, params, many, context):
        if not self.fired and self.matches(sql):
            self.seen += 1
            if self.seen == self.nth:
                self.fired = True
                terminate_database_backends()
        return execute(sql, params, many, context)


def run_in_thread(function, *, fault=None):
    """Run ``function()`` in a thread of its own (its own database connection, closed at the end), with ``fault``
    wrapping its statements; returns ``(result, exception)``. The test's connection is closed afterwards, since a
    fault drops it too."""
    outcome: dict = {}

    def target():
        try:
            with scopes_disabled():
                if fault is None:
                    outcome["result"] = function()
                else:
                    with connection.execute_wrapper(fault):
                        outcome["result"] = function()
        except Exception as error:  # handed to the test
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the work did not end within a minute"
    connection.close()
    return outcome.get("result"), outcome.get("error")


def database_url_of_the_tests() -> str:
    """The URL of the test database (pytest-django's), for subprocesses."""
    s = connection.settings_dict
    if connection.vendor != "postgresql":
        return f"sqlite:///{s['TEST']['NAME'] or s['NAME']}"
    credentials = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        credentials += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(s['NAME'], safe='')}"


ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def start_worker(*arguments: str, stdout=subprocess.DEVNULL) -> subprocess.Popen:
    """``khizmat db_worker`` in a process of its own, on the test database, with the database task backend."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
        "DATABASE_URL": database_url_of_the_tests(),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    command = [
        sys.executable,
        "-m",
        "khizmat",
        "db_worker",
        "--no-startup-delay",
        "--no-reload",
        "--interval=0.05",
    ]
    return subprocess.Popen(
        [*command, *arguments], env=env, cwd=ROOT, stdout=stdout, stderr=subprocess.STDOUT
    )


def wait_for(condition, what: str, timeout: float = 30, process: subprocess.Popen | None = None):
    """Poll ``condition()`` until it is true (returned); fail after ``timeout`` seconds or when ``process`` ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            pytest.fail(f"the worker ended (code {process.returncode}) before {what}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting until {what}")
