"""Tasks left behind by a dead worker: found, and run again or marked failed.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when the worker finishes it.
A worker that dies in between (killed, out of memory, the machine restarted) leaves the task RUNNING for ever: the
library keeps no heartbeat and never looks at it again. So Khizmat's workers carry an id that says where they run,
``<host>:<pid>:<random>`` (``khizmat db_worker`` sets it), and :func:`tasks_recover` finds each RUNNING task whose
worker is gone:

- on this machine, a worker is gone when its process is (the operating system says so at once);
- a worker on another machine cannot be asked: its tasks count as lost only when they have been running longer than
  ``stale_after`` (``khizmat tasks_recover --stale-after MINUTES``), which the operator chooses above the longest
  task.

A lost task whose path is in ``settings.TASKS_RETRY_AFTER_WORKER_LOSS`` (tasks safe to run again: they continue
from what was committed) is put back in the queue, the same task result with the dead worker kept in its
``worker_ids`` (so ``TaskContext.attempt`` tells the next run it is a retry), at most ``TASKS_MAX_ATTEMPTS`` times;
any other is marked FAILED with :class:`WorkerLost`. Every worker recovers its machine's tasks when it starts; cron
runs ``khizmat tasks_recover`` every few minutes. This module is plumbing: it imports no domain app.
"""

import datetime
import os
import socket
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class WorkerLost(Exception):
    """The worker running the task stopped before the task finished."""


def _host() -> str:
    return socket.gethostname()[:40].replace(":", "-")


def new_worker_id() -> str:
    """A worker id that says where the worker runs: ``<host>:<pid>:<random>`` (at most 64 characters)."""
    return f"{_host()}:{os.getpid()}:{get_random_string(12)}"


def worker_alive(worker_id: str) -> bool | None:
    """True or False for a worker of this machine (its process runs or not); None when this machine cannot tell
    (another machine's worker, or an id of another form)."""
    parts = worker_id.split(":")
    if len(parts) != 3 or parts[0] != _host() or not parts[1].isdigit():
        return None
    pid = int(parts[1])
    if pid == os.getpid():
        return (
            False  # this process is not that worker (its id would differ): the pid was reused after it died
        )
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user holds the pid: count it as alive
    return True


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def tasks_recover(*, stale_after: datetime.timedelta | None = None) -> Recovery:
    """Queue again (or mark failed) every RUNNING task whose worker is gone; returns the task ids handled."""
    now = timezone.now()
    retried = set(settings.TASKS_RETRY_AFTER_WORKER_LOSS)
    recovery = Recovery()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by()
    for task_id, task_path, worker_ids, started_at in running.values_list(
        "id", "task_path", "worker_ids", "started_at"
    ):
        alive = worker_alive(worker_ids[-1]) if worker_ids else None
        stale = stale_after is not None and started_at is not None and started_at < now - stale_after
        if not (alive is False or (alive is None and stale)):
            continue
        # Conditional on the claim seen here: a task claimed again meanwhile is not touched.
        same_claim = DBTaskResult.objects.filter(
            pk=task_id, status=TaskResultStatus.RUNNING, started_at=started_at
        )
        if task_path in retried and len(worker_ids) < settings.TASKS_MAX_ATTEMPTS:
            if same_claim.update(status=TaskResultStatus.READY, started_at=None):
                recovery.requeued.append(str(task_id))
            continue
        lost = WorkerLost(
            f"The worker {worker_ids[-1] if worker_ids else '?'} stopped (killed, crashed or restarted) before "
            f"this task finished (attempt {len(worker_ids)})."
        )
        if same_claim.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"{WorkerLost.__qualname__}: {lost}\n",
            return_value=None,
        ):
            recovery.failed.append(str(task_id))
    return recovery
