"""Log in, log out, change password, lockout after repeated failures, safe production settings."""

import os
import subprocess
import sys

from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import TEST_PASSWORD


def test_login_lands_on_the_home_page(org_a, member, client):
    member(org_a, Role.CASHIER, username="malika")
    response = client.post(reverse("login"), {"username": "malika", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert response.status_code == 200


def test_wrong_password_gets_a_clear_translated_error(org_a, member, client):
    member(org_a, Role.CASHIER, username="malika")
    response = client.post(
        reverse("login"), {"username": "malika", "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Wrong login name or password" in response.content.decode()


def test_logout_needs_post_and_ends_the_session(operator_a, client):
    client.force_login(operator_a)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("core:home")).templates[0].name == "core/landing.html"


def test_password_change(operator_a, client):
    client.force_login(operator_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.check_password("a-new-long-passphrase")


def test_password_change_errors_show_in_russian(org_a, member, client):
    client.force_login(member(org_a, Role.OPERATOR, language="ru"))
    response = client.post(
        reverse("password_change"), {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}
    )
    assert response.status_code == 200
    with translation.override("ru"):
        expected = translation.gettext("Your old password was entered incorrectly. Please enter it again.")
    body = response.content.decode()
    assert expected != "Your old password was entered incorrectly. Please enter it again."
    assert expected in body
    assert 'class="narrow"' in body  # Khizmat's page, not the Django admin's


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(org_a, member, client):
    member(org_a, Role.CASHIER, username="malika")
    for _attempt in range(3):
        client.post(reverse("login"), {"username": "malika", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "malika", "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "khizmat.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_defaults_are_safe():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "ALLOWED_HOSTS", "SECURE_COOKIES"}}
    env.update(SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="khizmat.settings")
    code = "from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.SESSION_COOKIE_SECURE)"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "[]", "True"]


def test_non_superusers_cannot_open_the_admin(admin_a, client):
    client.force_login(admin_a)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
