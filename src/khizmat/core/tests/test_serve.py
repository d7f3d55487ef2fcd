"""`khizmat serve` (`make serve`): the command lines it starts, and the web server and the worker stopping together.
No server is started here: `--dry-run` prints the lines, and short-lived stand-ins play the two processes."""

import io
import shlex
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from khizmat.core.management.commands.serve import run_together


def _dry_run(*args) -> dict[str, list[str]]:
    out = io.StringIO()
    call_command("serve", "--dry-run", *args, stdout=out)
    lines = out.getvalue().splitlines()
    steps = {}
    for line in lines:
        name, _, rest = line.partition(": ")
        steps[name if rest else line.split("  #")[0]] = shlex.split(rest) if rest else []
    return steps


def test_the_dry_run_prints_migrate_collectstatic_gunicorn_and_the_worker(settings):
    settings.DEBUG = False
    steps = _dry_run("--bind", "127.0.0.1:9000", "--workers", "3")
    assert list(steps) == ["khizmat migrate --noinput", "khizmat collectstatic --noinput", "web", "worker"]
    web, worker = steps["web"], steps["worker"]
    assert Path(web[0]).name == "gunicorn" and Path(web[0]).exists()  # this virtualenv's gunicorn
    assert web[1] == "khizmat.wsgi:application"
    options = dict(zip(web[2::2], web[3::2], strict=False))
    assert options["--bind"] == "127.0.0.1:9000" and options["--workers"] == "3"
    assert Path(worker[0]).name == "khizmat" and Path(worker[0]).exists()
    assert worker[1] == "db_worker" and "--no-reload" in worker


def test_several_app_servers_run_without_migrating_and_without_a_worker(settings):
    settings.DEBUG = False
    assert list(_dry_run("--no-migrate", "--no-worker")) == ["khizmat collectstatic --noinput", "web"]


def test_serve_refuses_debug(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="unset DEBUG"):
        call_command("serve", "--dry-run", stdout=io.StringIO())


def test_when_one_process_ends_the_other_is_stopped():
    status = run_together(
        {
            "web": [sys.executable, "-c", "pass"],
            "worker": [sys.executable, "-c", "import time; time.sleep(60)"],
        }
    )
    assert status == 1


def test_a_signal_stops_both_and_is_a_clean_exit():
    """Ctrl+C / systemd's SIGTERM to `khizmat serve`: here the first stand-in sends it."""
    sends_term = "import os, signal, time; os.kill(os.getppid(), signal.SIGTERM); time.sleep(60)"
    status = run_together(
        {
            "web": [sys.executable, "-c", sends_term],
            "worker": [sys.executable, "-c", "import time; time.sleep(60)"],
        }
    )
    assert status == 0
