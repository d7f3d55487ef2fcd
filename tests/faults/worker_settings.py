"""Settings of the worker processes the fault tests start: the test settings with the database task backend (the
tests' own settings run tasks at once, in the test's process)."""

from khizmat.settings_test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
