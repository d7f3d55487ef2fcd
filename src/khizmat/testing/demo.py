"""One demo for every test of ``khizmat demo``: built once per test session, run a second time as an operator who runs
``make run`` twice does, and rolled back at the end (the ``demo_data`` fixture of the root conftest.py).

Building the demo is the slowest thing the suite does (10–30 s on PostgreSQL); fifteen tests that each built their own
took about three minutes of every CI run. They now share one, and each runs in a savepoint of it, so nothing one test
writes reaches another. The tests that ask for it run last (the root conftest moves them), so no other test sees its
rows.
"""

from __future__ import annotations

import dataclasses

from django.apps import apps
from django.core.management import call_command
from django.test import TestCase

from khizmat.tenancy.scoping import scopes_disabled

# Large enough for every domain's checks (a year of billing, reports in several states), small enough to build fast.
SCALE = "0.05"


@dataclasses.dataclass(frozen=True)
class DemoRun:
    """Rows per model (``app_label.Model``) after the first and after the second run, and how many callbacks the
    first run's commits left (the billing tasks it enqueued, run at once as the worker would)."""

    first: dict[str, int]
    second: dict[str, int]
    on_commit_callbacks: int

    def added_by_second_run(self, *models) -> dict[str, tuple[int, int]]:
        """``{label: (first, second)}`` of the given models (all but the history tables when none) that the second
        run changed."""
        labels = [m._meta.label for m in models] or [
            label for label in self.first if ".Historical" not in label
        ]
        return {
            label: (self.first[label], self.second[label])
            for label in labels
            if self.first[label] != self.second[label]
        }


def row_counts() -> dict[str, int]:
    with scopes_disabled():
        return {
            model._meta.label: model._base_manager.count()
            for model in apps.get_models()
            if not model._meta.proxy and model._meta.managed
        }


def build() -> DemoRun:
    """Run ``khizmat demo`` twice (inside the caller's transaction) and count the rows after each run."""
    with scopes_disabled():
        with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
            call_command("demo", "--quiet", "--force", "--scale", SCALE)
        first = row_counts()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("demo", "--quiet", "--force", "--scale", SCALE)
        second = row_counts()
    return DemoRun(first=first, second=second, on_commit_callbacks=len(callbacks))
