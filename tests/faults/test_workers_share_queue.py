"""Several workers take tasks from one queue, and no task is run twice: three ``db_worker --batch`` processes on
PostgreSQL share 200 tasks, each recording its run; every task ran exactly once, and every worker ran some.

django-tasks-db claims a task with ``SELECT … FOR UPDATE SKIP LOCKED`` and marks it RUNNING in the same transaction:
a row another worker is claiming is skipped, never waited for or taken twice.
"""

import contextlib
import tempfile
from collections import Counter

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.faults.helpers import DATABASE_TASKS, postgresql_only, start_worker, wait_for
from tests.faults.tasks import GATE, TABLE, record_run

pytestmark = [
    postgresql_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TASKS = 200
WORKERS = 3


@pytest.mark.django_db
def test_the_claim_skips_rows_locked_by_another_worker():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        DBTaskResult.objects.ready().get_locked()
    assert "FOR UPDATE SKIP LOCKED" in queries.captured_queries[-1]["sql"]


@pytest.fixture
def runs_table():
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {TABLE} (task_id uuid NOT NULL, n integer NOT NULL, pid integer NOT NULL)"
        )
    yield
    connection.close()  # a fresh session, whatever the test left
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


@override_settings(TASKS=DATABASE_TASKS)
def test_three_workers_run_each_of_200_tasks_exactly_once(runs_table):
    gate = connection.get_new_connection(connection.get_connection_params())
    gate.autocommit = True
    with gate.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [GATE])  # closed: the first tasks wait at it
    ids = {str(record_run.enqueue(n=n).id) for n in range(TASKS)}
    with contextlib.ExitStack() as stack:
        logs = [stack.enter_context(tempfile.TemporaryFile()) for _ in range(WORKERS)]
        workers = [start_worker("--batch", stdout=log) for log in logs]
        try:
            running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
            for worker in workers:
                wait_for(
                    lambda: running.count() == WORKERS,
                    "each worker had claimed a task",
                    timeout=90,  # three Django processes starting at once on a busy machine
                    process=worker,
                )
            with gate.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [GATE])
            codes = [worker.wait(timeout=60) for worker in workers]
        finally:
            gate.close()
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
        outputs = []
        for log in logs:
            log.seek(0)
            outputs.append(log.read().decode(errors="replace"))
    assert codes == [0] * WORKERS, outputs

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT task_id::text, pid FROM {TABLE}")
        runs = cursor.fetchall()
    per_task = Counter(task_id for task_id, _pid in runs)
    assert set(per_task) == ids  # every task ran…
    assert set(per_task.values()) == {1}  # …exactly once
    per_worker = Counter(pid for _task_id, pid in runs)
    assert set(per_worker) == {worker.pid for worker in workers}  # and the three workers shared them
    results = DBTaskResult.objects.filter(pk__in=ids)
    assert results.filter(status=TaskResultStatus.SUCCESSFUL).count() == TASKS
    assert all(len(worker_ids) == 1 for worker_ids in results.values_list("worker_ids", flat=True))
