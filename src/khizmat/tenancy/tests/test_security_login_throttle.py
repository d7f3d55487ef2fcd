"""Failed logins are limited per (login, address), per address across logins, and per login across addresses
except from an address the login signs in from — so a stranger cannot lock a known login out."""

import pytest
from django.urls import reverse

from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import TEST_PASSWORD

A = "203.0.113.7"  # the stranger
B = "198.51.100.20"  # the user's office

LIMITS = {"AXES_FAILURE_LIMIT": 3, "LOGIN_FAILURE_LIMIT_PER_ADDRESS": 5, "LOGIN_FAILURE_LIMIT_PER_ACCOUNT": 4}
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_limits")]


@pytest.fixture
def _limits(settings):
    for name, value in LIMITS.items():
        setattr(settings, name, value)


def _login(client, username, password, address):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _signed_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("core:home")


def test_it_locks_the_login_at_the_address_that_guessed_it(org_a, member, client):
    member(org_a, Role.CASHIER, username="malika")
    for _attempt in range(2):
        assert _login(client, "malika", "wrong", A).status_code == 200
    assert _login(client, "malika", "wrong", A).status_code == 429  # the failure that reaches the limit
    response = _login(client, "malika", TEST_PASSWORD, A)  # even the right password, from there, for an hour
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed logins" in body and "Logging in from another place is not affected" in body


def test_a_strangers_failures_do_not_lock_the_user_out_of_their_office(org_a, member, client):
    member(org_a, Role.CASHIER, username="malika")
    assert _signed_in(_login(client, "malika", TEST_PASSWORD, B))  # B is where she works
    client.logout()
    for _attempt in range(3):  # the pair (malika, A) is locked…
        _login(client, "malika", "wrong", A)
    assert _login(client, "malika", TEST_PASSWORD, A).status_code == 429
    # …and the per-login limit (4) is passed through other addresses too:
    _login(client, "malika", "wrong", "192.0.2.1")
    _login(client, "malika", "wrong", "192.0.2.2")
    assert _signed_in(_login(client, "malika", TEST_PASSWORD, B))


def test_a_login_attacked_from_many_addresses_is_refused_at_a_new_address(org_a, member, client):
    member(org_a, Role.CASHIER, username="malika")
    for number in range(4):
        _login(client, "malika", "wrong", f"192.0.2.{number + 1}")
    assert _login(client, "malika", TEST_PASSWORD, "192.0.2.99").status_code == 429


def test_many_logins_tried_from_one_address_lock_that_address(org_a, member, client):
    member(org_a, Role.CASHIER, username="malika")
    for number in range(5):  # five different logins, one failure each: no pair is near its limit
        _login(client, f"guess{number}", "wrong", A)
    assert _login(client, "malika", TEST_PASSWORD, A).status_code == 429
    assert _signed_in(_login(client, "malika", TEST_PASSWORD, B))  # another address is not affected


def test_the_lockout_page_is_in_the_users_language(org_a, member, client):
    from django.utils import translation

    for _attempt in range(3):
        _login(client, "malika", "wrong", A)
    response = client.post(
        reverse("login"), {"username": "malika", "password": "x"}, REMOTE_ADDR=A, HTTP_ACCEPT_LANGUAGE="ky"
    )
    assert response.status_code == 429
    assert 'lang="ky"' in response.content.decode()
    with translation.override("ky"):
        text = translation.gettext("Too many failed logins")
    assert text in response.content.decode()


def test_a_success_clears_only_its_own_pair(org_a, member, client, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT = 100
    member(org_a, Role.CASHIER, username="malika")
    for _attempt in range(2):
        _login(client, "malika", "wrong", A)
        _login(client, "malika", "wrong", B)
    assert _signed_in(_login(client, "malika", TEST_PASSWORD, B))
    client.logout()
    _login(client, "malika", "wrong", A)  # A's two earlier failures still count: third one locks
    assert _login(client, "malika", TEST_PASSWORD, A).status_code == 429
