import pytest


@pytest.fixture(autouse=True)
def _close_pages_before_the_database_goes(transactional_db, browser):
    """Pages left open keep polling (progress bars, the driver's sender) after their test: close every page the test
    opened while its database and live server are still there, so no request reaches a torn-down database."""
    yield
    for context in browser.contexts:
        context.close()
