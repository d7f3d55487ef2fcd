"""Steps shared by the browser journeys."""

from playwright.sync_api import expect

from khizmat.tenancy.tests.factories import TEST_PASSWORD


def log_in(page, base: str, username: str) -> None:
    """Log in through the real login form and wait for the first page."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("h1")).to_be_visible()
