"""``khizmat tasks_recover`` (and every worker when it starts): a task left RUNNING by a worker whose process is gone
is queued again when it is safe to run again, else marked failed; a live worker's task, or one of another machine
that is not yet stale, is left alone. On SQLite and PostgreSQL."""

import datetime
import io
import socket
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from khizmat.core.taskrecovery import new_worker_id, worker_alive

pytestmark = pytest.mark.django_db

BILLING = "khizmat.billing.tasks.execute_billing_run"  # safe to run again
SMS = "khizmat.notifications.tasks.send_sms"  # not: a message may have left the gateway already


@pytest.fixture(scope="module")
def dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def here(pid: int) -> str:
    return f"{socket.gethostname()[:40].replace(':', '-')}:{pid}:abcdefabcdef"


def running(task_path: str, *worker_ids: str, started: datetime.datetime | None = None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [], "kwargs": {"run_id": 1}},
        task_path=task_path,
        worker_ids=list(worker_ids),
        backend_name="default",
        run_after=get_date_max(),
        started_at=started or timezone.now(),
    )


def recover(*arguments: str) -> str:
    out = io.StringIO()
    call_command("tasks_recover", *arguments, stdout=out)
    return out.getvalue()


def status(task: DBTaskResult) -> str:
    task.refresh_from_db()
    return task.status


def test_worker_ids_say_where_the_worker_runs(dead_pid):
    worker_id = new_worker_id()
    assert len(worker_id) <= 64
    assert (
        worker_alive(worker_id) is False
    )  # this very process is no worker: its pid in an old id is a dead one
    assert worker_alive(here(dead_pid)) is False
    assert worker_alive(here(1)) is True  # init: alive (another user's process counts as alive)
    assert worker_alive("another-host:123:abc") is None  # cannot tell
    assert worker_alive("a0b1c2d3e4f5") is None  # django-tasks-db's default ids


def test_lost_tasks_are_queued_again_or_failed_and_others_left_alone(dead_pid):
    requeued = running(BILLING, here(dead_pid))
    sms = running(SMS, here(dead_pid))
    third_attempt = running(BILLING, here(dead_pid), here(dead_pid), here(dead_pid))
    alive = running(BILLING, here(1))
    elsewhere = running(BILLING, "another-host:123:abc", started=timezone.now() - datetime.timedelta(hours=2))

    assert recover() == "1 task(s) queued again, 2 marked failed.\n"

    requeued.refresh_from_db()
    assert (requeued.status, requeued.started_at, requeued.worker_ids) == (
        TaskResultStatus.READY,
        None,
        [here(dead_pid)],  # kept: the next run's TaskContext.attempt is 2
    )
    assert DBTaskResult.objects.ready().filter(pk=requeued.pk).exists()
    for failed in (sms, third_attempt):
        failed.refresh_from_db()
        assert failed.status == TaskResultStatus.FAILED
        assert failed.exception_class_path == "khizmat.core.taskrecovery.WorkerLost"
        assert "stopped" in failed.traceback and failed.finished_at is not None
    assert status(alive) == status(elsewhere) == TaskResultStatus.RUNNING

    # Another machine's worker cannot be asked: its task counts as lost once older than --stale-after.
    assert recover("--stale-after", "180") == "0 task(s) queued again, 0 marked failed.\n"
    assert recover("--stale-after", "60") == "1 task(s) queued again, 0 marked failed.\n"
    assert status(elsewhere) == TaskResultStatus.READY
    assert status(alive) == TaskResultStatus.RUNNING
