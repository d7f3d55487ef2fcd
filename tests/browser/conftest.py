import importlib

import pytest
from django.apps import apps

SEED = importlib.import_module("khizmat.tenancy.migrations.0002_seed_countries_and_calendar")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Live-server tests run in real transactions and the database is emptied after each one: put the countries
    and their calendars (normally written by a data migration) back when they are missing."""
    if not apps.get_model("tenancy", "Country").objects.exists():
        SEED.seed(apps, None)
