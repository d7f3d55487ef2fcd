import pytest


@pytest.fixture(autouse=True)
def _close_pages_before_the_database_goes(transactional_db, browser):
    """Pages left open keep polling (progress bars, the driver's sender) after their test: close every page the test
    opened while its database and live server are still there, so no request reaches a torn-down database."""
    yield
    for context in browser.contexts:
        context.close()


@pytest.fixture(autouse=True)
def _password_only_logins(settings):
    """The journeys log in through the form with a password, as on `make run`, where two-factor sign-in is not
    required (TWO_FACTOR_REQUIRED=0). The two-factor step is tested in tenancy/tests/test_security_two_factor.py."""
    settings.TWO_FACTOR_REQUIRED = False
