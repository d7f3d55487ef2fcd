"""Fixtures of the generic tests."""

import pytest
from django.db import transaction

from khizmat.testing.world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Organizations A and B with a marked row of every tenant model (khizmat.testing.world), built once per module
    and rolled back at its end. Tests that read it also ask for ``db`` so that their own writes are undone."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
