"""``khizmat serve``: the production setup on one machine (``make serve``, docs/deploy.md). Migrates, collects the
static files (hashed and compressed by whitenoise), then runs gunicorn and the background worker side by side; when
either stops, or on Ctrl+C / SIGTERM, both stop. ``--dry-run`` prints the command lines and starts nothing."""

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _bin(name: str) -> str:
    """A console script of this virtualenv (beside the running Python), else the one on the PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else name


def gunicorn_command(*, bind: str, workers: int, timeout: int) -> list[str]:
    return [
        _bin("gunicorn"),
        "khizmat.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),  # sync workers: nginx in front buffers slow clients
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "30",
        "--max-requests",
        "2000",  # a worker is replaced now and then: memory held by a big export is given back
        "--max-requests-jitter",
        "200",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "127.0.0.1,::1",
        "--no-control-socket",  # gunicorn 27's admin socket in $HOME: unused, and two servers would share it
    ]


def worker_command() -> list[str]:
    return [_bin("khizmat"), "db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay"]


class Command(BaseCommand):
    help = "Run the production setup on this machine: migrate, collectstatic, gunicorn and the background worker."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("BIND", "127.0.0.1:8000"),
            help="Address of gunicorn (default: $BIND or 127.0.0.1:8000; behind nginx keep it on 127.0.0.1).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY") or 0) or (os.cpu_count() or 1) * 2,
            help="gunicorn worker processes (default: $WEB_CONCURRENCY, else two per core).",
        )
        parser.add_argument(
            "--timeout", type=int, default=120, help="Seconds before gunicorn restarts a stuck worker."
        )
        parser.add_argument("--no-worker", action="store_true", help="Web only (the worker runs elsewhere).")
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="Do not migrate (several app servers: one migration step runs before they start).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the steps and command lines; start nothing."
        )

    def handle(self, *args, bind, workers, timeout, no_worker, no_migrate, dry_run, **options):
        if settings.DEBUG:
            raise CommandError(
                "`khizmat serve` is the production setup: unset DEBUG (use `make run` to develop)."
            )
        web = gunicorn_command(bind=bind, workers=workers, timeout=timeout)
        commands = {"web": web} if no_worker else {"web": web, "worker": worker_command()}
        if dry_run:
            if not no_migrate:
                self.stdout.write("khizmat migrate --noinput")
            self.stdout.write(f"khizmat collectstatic --noinput  # into {settings.STATIC_ROOT}")
            for name, command in commands.items():
                self.stdout.write(f"{name}: {shlex.join(command)}")
            return
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=1)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving http://{bind}/ with {workers} workers — press Ctrl+C to stop.")
        self.stdout.flush()
        raise SystemExit(run_together(commands))


def run_together(commands: dict[str, list[str]]) -> int:
    """Starts every command; when one ends, or on SIGINT/SIGTERM, stops the others. Returns 0 after a stop asked for
    by a signal, 1 when a process ended by itself."""
    asked = []

    def stop(signum, frame):
        asked.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        processes = {name: subprocess.Popen(command) for name, command in commands.items()}
        ended = []
        while not asked and not ended:
            ended = [name for name, process in processes.items() if process.poll() is not None]
            time.sleep(0.2)
        for name in ended:
            print(
                f"khizmat serve: {name} stopped (status {processes[name].returncode}); stopping the others.",
                file=sys.stderr,
            )
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        return 0 if asked else 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
