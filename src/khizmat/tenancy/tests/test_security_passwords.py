"""Passwords: at least 12 characters, not breached (an offline list shipped with the package), not the project's
published ones; a password an administrator set must be replaced at the next login."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from khizmat.core.demo import DEMO_PASSWORD
from khizmat.tenancy import services
from khizmat.tenancy.models import User
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import TEST_PASSWORD

OWN_PASSWORD = "tulip-caravan-Samarkand-42"


def _codes(password):
    try:
        validate_password(password)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("P@ssw0rd12", "password_too_short"),
        ("qwertyuiop123", "password_too_common"),  # breached, 13 characters
        ("password1234", "password_too_common"),
        ("P@ssw0rd1234", "password_too_common"),  # breached once the look-alike symbols are read as letters
        (DEMO_PASSWORD, "password_public"),
        ("Khizmat-Demo-2026", "password_public"),
    ],
)
def test_it_refuses_short_breached_and_published_passwords(password, code):
    assert code in _codes(password)


def test_it_accepts_a_long_unbreached_password():
    assert _codes(OWN_PASSWORD) == set()


def test_the_list_is_large_and_ships_with_the_package():
    from khizmat.core.passwords import BreachedPasswordValidator

    assert len(BreachedPasswordValidator().passwords) > 40_000


def test_the_demo_still_logs_in_with_its_published_password(org_a, member, client):
    """The demo sets its password directly (it is public on purpose); production never loads the demo."""
    user = member(org_a, Role.OPERATOR, username="demo.operator")
    user.set_password(DEMO_PASSWORD)
    user.save()
    response = client.post(reverse("login"), {"username": "demo.operator", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("core:home")


@pytest.fixture
def new_member(org_a, admin_a):
    membership = services.membership_create(
        actor=admin_a,
        organization=org_a,
        username="new.operator",
        first_name="Nodira",
        last_name="Karimova",
        role=Role.OPERATOR,
        password="an-initial-passphrase-77",
    )
    return membership.user


def test_a_new_member_must_choose_their_own_password(new_member, client):
    assert new_member.must_change_password
    client.post(reverse("login"), {"username": "new.operator", "password": "an-initial-passphrase-77"})
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response.url == reverse("password_change")
    page = client.get(reverse("password_change"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Choose your own password" in page.content.decode()

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "an-initial-passphrase-77",
            "new_password1": OWN_PASSWORD,
            "new_password2": OWN_PASSWORD,
        },
    )
    assert response.status_code == 302
    new_member.refresh_from_db()
    assert not new_member.must_change_password
    assert client.get(reverse("core:home")).status_code == 200


def test_htmx_requests_are_sent_to_the_change_page_with_hx_redirect(new_member, client):
    client.force_login(new_member)
    response = client.get(reverse("core:home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("password_change")


def test_the_api_token_of_such_a_user_is_refused_with_a_clear_403(new_member, client):
    from khizmat.api.tests.factories import token_key

    response = client.get(
        "/api/v1/applications/",
        HTTP_AUTHORIZATION=f"Token {token_key(new_member)}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    assert "Choose your own password" in response.json()["detail"]


def test_a_password_reset_by_an_administrator_must_be_changed(operator_a, admin_a):
    services.user_set_password_by_administrator(
        actor=admin_a, user=operator_a, password="a-reset-passphrase-91"
    )
    operator_a.refresh_from_db()
    assert operator_a.must_change_password and operator_a.check_password("a-reset-passphrase-91")


def test_the_django_admin_marks_passwords_it_sets(operator_a, client):
    admin = User.objects.create_superuser("root", password=TEST_PASSWORD)
    client.force_login(admin)
    response = client.post(
        f"/admin/tenancy/user/{operator_a.pk}/password/",
        {"password1": "a-reset-passphrase-91", "password2": "a-reset-passphrase-91"},
    )
    assert response.status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.must_change_password


def test_users_who_chose_their_password_are_not_asked(operator_a, client):
    client.force_login(operator_a)
    assert client.get(reverse("core:home")).status_code == 200
