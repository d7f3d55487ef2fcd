"""The test cast (as in healthchecks' hc/test.py): one service center (A), one municipal enterprise (B) in another
country, a regional monitor and an outsider with no membership. Fixtures build the rest through factories.
"""

import os
from types import SimpleNamespace

import pytest
from django_scopes import scopes_disabled
from hypothesis import settings as hypothesis_settings

from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganizationFactory,
    RegionFactory,
    UserFactory,
    country,
)

# Property tests (hypothesis) run the same examples on every CI run: a case found while exploring fails the run of the
# change that exposed it, not a random later one. `HYPOTHESIS_PROFILE=explore make test` searches with new examples.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the test body are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _unscoped():
    """Tests build their data without a tenant scope; views run inside the middleware's scope as in production."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests (live server, browser) empty the database after each test: put the countries and their
    calendars (written by a data migration) back when they are missing, whatever order the tests run in."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "live_server" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    _seed_reference_data()
    yield


def _seed_reference_data():
    """The countries and their calendars, written by a data migration, when a transactional test emptied them."""
    import importlib

    from django.apps import apps

    seeding = importlib.import_module("khizmat.tenancy.migrations.0002_seed_countries_and_calendar")
    codes = [country["code"] for country in seeding.COUNTRIES]
    if apps.get_model("tenancy", "Country").objects.filter(code__in=codes).count() < len(codes):
        seeding.seed(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch):
    """Rate-limit counters live in the cache: each test starts with none. Their per-minute windows are pinned to
    the test's start, so a test that makes sixty requests on a slow machine never sees its window roll over."""
    import time

    import django_ratelimit.core
    from django.core.cache import cache

    started = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: started))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_is_verified(monkeypatch):
    """``client.force_login(manager)`` gives a session past the two-factor step, as a real manager has after their
    code (khizmat.testing.auth); logging in through the login form does not."""
    from django.test.client import ClientMixin

    from khizmat.testing.auth import mark_two_factor_verified

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        mark_two_factor_verified(self, user)

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On a Citus cluster (``make test-citus``: KHIZMAT_CITUS=1) the migrated test database is distributed before the
    first test, as ``khizmat distribute`` does in production. A reused database (``--reuse-db``) gets its reference
    data back if an earlier session's transactional tests emptied it."""
    with django_db_blocker.unblock():
        if os.environ.get("KHIZMAT_CITUS"):
            from django.core.management import call_command

            call_command("distribute")
        _seed_reference_data()


@pytest.fixture(scope="session")
def demo_data(django_db_setup, django_db_blocker):
    """The demo, built once for the whole session and run twice (khizmat.testing.demo), rolled back at the end. A test
    that reads it also asks for ``db``, so that its own writes are undone; such tests run last
    (pytest_collection_modifyitems), so no other test sees the demo's rows."""
    from django.db import transaction

    from khizmat.testing.demo import build

    with django_db_blocker.unblock(), transaction.atomic():
        _seed_reference_data()  # the browser tests before these emptied the database
        yield build()
        transaction.set_rollback(True)


def pytest_collection_modifyitems(config, items):
    """The tests of the shared demo run after all the others (see ``demo_data``), in their own order.

    Two groups run once, on SQLite, where they matter: CI runs the suite on SQLite and PostgreSQL side by side, and
    the PostgreSQL run is the longer one. The browser journeys (on PostgreSQL each journey's database flush costs
    more than the journey; the data rules under them are tested on both) and the tests of the shared demo (which
    ``make run`` loads into SQLite; three minutes on PostgreSQL). ``KHIZMAT_ALL_ON_POSTGRESQL=1`` runs them there
    too."""
    items[:] = [item for item in items if "demo_data" not in getattr(item, "fixturenames", ())] + [
        item for item in items if "demo_data" in getattr(item, "fixturenames", ())
    ]
    from django.db import connection

    if connection.vendor == "postgresql" and os.environ.get("KHIZMAT_ALL_ON_POSTGRESQL") != "1":
        once = pytest.mark.skip(reason="runs on SQLite (KHIZMAT_ALL_ON_POSTGRESQL=1: here too)")
        for item in items:
            if item.get_closest_marker("browser") or "demo_data" in getattr(item, "fixturenames", ()):
                item.add_marker(once)


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def org_a(db):
    return OrganizationFactory(code="center-a", name="Center A", kind=OrganizationKind.SERVICE_CENTER)


@pytest.fixture
def org_b(db):
    kg = country("KG")
    return OrganizationFactory(
        code="enterprise-b",
        name="Enterprise B",
        kind=OrganizationKind.MUNICIPAL_ENTERPRISE,
        country=kg,
        region=RegionFactory(country=kg),
    )


@pytest.fixture
def member(db):
    """``member(org, role)`` → a user with that role in that organization."""

    def make(organization, role=Role.OPERATOR, **user_fields):
        return MembershipFactory(organization=organization, role=role, user=UserFactory(**user_fields)).user

    return make


@pytest.fixture
def operator_a(member, org_a):
    return member(org_a, Role.OPERATOR)


@pytest.fixture
def admin_a(member, org_a):
    return member(org_a, Role.ADMIN)


@pytest.fixture
def cashier_b(member, org_b):
    return member(org_b, Role.CASHIER)


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def client_of(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
