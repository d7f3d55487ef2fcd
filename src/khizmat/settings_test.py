"""Settings for the test suite: the production settings with fast hashing and no secure-cookie requirement."""

import os

os.environ.setdefault("SECRET_KEY", "khizmat-test-secret-key")
os.environ.setdefault("SECURE_COOKIES", "0")

from khizmat.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
AXES_ENABLED = True
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}},  # noqa: F405
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SMS_FILE = ""
OPEN311_LIST_CACHE_SECONDS = 0  # tests read their own writes at once
REPORTS_PORTAL_CACHE_SECONDS = 0
TENANCY_CACHE_SECONDS = 0  # the local-memory cache outlives each test's rolled-back rows (see tenancy/tests)
FIELDWORK_PLAN_MAX_ITERATIONS = 2000  # the test days have a dozen points (the acceptance test lifts it)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # A test database need not survive a crash: commits (transactional tests, the migrations that build it) do not
    # wait for the write-ahead log to reach the disk.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
