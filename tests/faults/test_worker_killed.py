"""A background worker killed mid-task (SIGKILL: out of memory, a restart of the machine).

What django-tasks-db does by itself: nothing — the task stays RUNNING for ever (it keeps no heartbeat). What Khizmat
adds (khizmat.core.taskrecovery): the next worker to start on the machine, or ``khizmat tasks_recover``, sees that the
task's worker process is gone and queues the task again; the document export it was building (left «running» by
the dead worker) is taken over by the retry and finished, once.
"""

import os
import signal
import tempfile

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from khizmat.billing.models import AccountMonth, Subscriber
from khizmat.billing.tests.factories import SubscriberFactory
from khizmat.documents.models import DocumentStatus, GeneratedDocument
from khizmat.documents.tasks import generate_document
from khizmat.documents.tests.factories import GeneratedDocumentFactory
from tests.faults.helpers import DATABASE_TASKS, postgresql_only, start_worker, wait_for

pytestmark = [
    postgresql_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def blocked_by(pid: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [pid])
        return [row[0] for row in cursor.fetchall()]


@override_settings(TASKS=DATABASE_TASKS)
def test_a_task_of_a_killed_worker_is_run_again_by_the_next_worker_and_finishes_once(org_b):
    SubscriberFactory.create_batch(3, organization=org_b)
    document = GeneratedDocumentFactory(
        organization=org_b, status=DocumentStatus.QUEUED, progress=0, file="", filename="", content_type=""
    )
    # A second session holds the tables the export reads: the worker claims the task and the document, then waits
    # inside the build — mid-task — until the test kills it.
    blocker = connection.get_new_connection(connection.get_connection_params())
    blocker.autocommit = False
    with blocker.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        blocker_pid = cursor.fetchone()[0]
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in (Subscriber, AccountMonth))
        cursor.execute(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")
    result = generate_document.enqueue(document_id=document.pk)

    with tempfile.TemporaryFile() as log:
        worker = start_worker(stdout=log)
        try:
            wait_for(lambda: blocked_by(blocker_pid), "the worker was inside the export", process=worker)
            os.kill(worker.pid, signal.SIGKILL)
            assert worker.wait(timeout=10) == -signal.SIGKILL
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
            blocker.rollback()
            blocker.close()

    # django-tasks-db leaves the task running, and the export stays «running»: without recovery, for ever.
    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.RUNNING
    [dead_worker] = task.worker_ids
    assert dead_worker.split(":")[1] == str(worker.pid)  # the id says where the worker ran
    document.refresh_from_db()
    assert document.status == DocumentStatus.RUNNING

    # The next worker (here one that runs what is queued and exits) first recovers its machine's lost tasks.
    with tempfile.TemporaryFile() as log:
        rerun = start_worker("--batch", stdout=log)
        code = rerun.wait(timeout=60)
        log.seek(0)
        output = log.read().decode(errors="replace")
    assert code == 0, output
    assert "1 queued again" in output

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    assert task.worker_ids[0] == dead_worker and len(task.worker_ids) == 2  # the same task, run a second time
    document.refresh_from_db()
    assert (document.status, document.progress) == (DocumentStatus.DONE, 100)
    assert document.size > 0 and document.file.name
    assert GeneratedDocument.objects.filter(organization=org_b).count() == 1
