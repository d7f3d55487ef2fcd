"""A task of the fault tests only: it records which task ran in which worker process, after passing a gate the
test holds (a PostgreSQL advisory lock) so that every worker is busy before any task finishes."""

import os

from django.db import connection
from django_tasks import task

GATE = 736_201  # the advisory lock key of the gate
TABLE = "faults_task_runs"


@task(takes_context=True)
def record_run(context, n: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock_shared(%s), pg_advisory_unlock_shared(%s)", [GATE, GATE])
        cursor.execute(
            f"INSERT INTO {TABLE} (task_id, n, pid) VALUES (%s, %s, %s)",
            [str(context.task_result.id), n, os.getpid()],
        )
    return n
