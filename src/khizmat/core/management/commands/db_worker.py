"""``khizmat db_worker``: django-tasks-db's worker, with an id that says where it runs (``<host>:<pid>:<random>``)
and, before it takes a task, the recovery of the tasks its machine's dead workers left running
(:mod:`khizmat.core.taskrecovery`)."""

from django_tasks_db.management.commands import db_worker

from khizmat.core.taskrecovery import new_worker_id, tasks_recover


class Command(db_worker.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=new_worker_id())

    def handle(self, *args, **options):
        recovery = tasks_recover()
        if recovery.requeued or recovery.failed:
            self.stdout.write(
                f"Tasks of dead workers: {len(recovery.requeued)} queued again, {len(recovery.failed)} failed."
            )
        return super().handle(*args, **options)
