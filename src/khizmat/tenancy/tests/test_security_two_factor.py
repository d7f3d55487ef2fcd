"""Two-factor sign-in: managers, administrators and platform staff prove a TOTP code (or a backup code) after
their password; until enrolled they are sent to enrollment; other roles are not asked."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import TEST_PASSWORD
from khizmat.testing.auth import forget_two_factor

pytestmark = pytest.mark.django_db


def _password_login(client, username):
    response = client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def _code(device, offset=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"


@pytest.fixture
def manager(org_a, member):
    return member(org_a, Role.MANAGER, username="aziz.manager")


@pytest.fixture
def enrolled(manager):
    return TOTPDevice.objects.create(user=manager, name="phone", confirmed=True)


def test_a_manager_without_a_device_is_sent_to_enrollment(manager, client):
    _password_login(client, "aziz.manager")
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("tenancy:two_factor_enroll"))


def test_enrollment_shows_a_qr_code_and_the_key_then_backup_codes_once(manager, client):
    _password_login(client, "aziz.manager")
    page = client.get(reverse("tenancy:two_factor_enroll"), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "<svg" in body and 'class="secret"' in body
    device = TOTPDevice.objects.get(user=manager, confirmed=False)

    wrong = client.post(reverse("tenancy:two_factor_enroll"), {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "This code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # instead of waiting out django-otp's delay after a wrong code

    done = client.post(
        reverse("tenancy:two_factor_enroll"), {"code": _code(device)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    codes = done.context["codes"]
    assert len(codes) == 10 and codes[0] in done.content.decode()
    assert client.get(reverse("core:home")).status_code == 200  # verified by enrolling
    device.refresh_from_db()
    assert device.confirmed
    # Audited: the user's history says who enrolled an authenticator, and when.
    manager.refresh_from_db()
    assert manager.two_factor_enrolled_at is not None
    latest = manager.history.order_by("-history_date", "-history_id").first()
    assert latest.two_factor_enrolled_at == manager.two_factor_enrolled_at
    assert latest.history_user == manager


def test_with_a_device_a_wrong_code_is_refused(enrolled, client):
    _password_login(client, "aziz.manager")
    response = client.get(reverse("core:home"))
    assert response.url.startswith(reverse("tenancy:two_factor_verify"))
    wrong = client.post(reverse("tenancy:two_factor_verify"), {"code": "123456"}, HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 200 and "This code is not right" in wrong.content.decode()
    assert client.get(reverse("core:home")).status_code == 302
    enrolled.refresh_from_db()
    assert enrolled.throttling_failure_count == 1  # django-otp delays the next try (1 s, then 2, 4…)


def test_with_a_device_the_right_code_passes(enrolled, client):
    _password_login(client, "aziz.manager")
    right = client.post(reverse("tenancy:two_factor_verify"), {"code": _code(enrolled)})
    assert right.status_code == 302 and right.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_a_backup_code_works_once(enrolled, client, manager):
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=manager, name="backup codes").token_set.create(token="abcdefghjk")
    _password_login(client, "aziz.manager")
    assert client.post(reverse("tenancy:two_factor_verify"), {"code": "abcdefghjk"}).status_code == 302
    client.logout()
    _password_login(client, "aziz.manager")
    again = client.post(reverse("tenancy:two_factor_verify"), {"code": "abcdefghjk"})
    assert again.status_code == 200


def test_a_session_without_a_factor_is_checked_again_every_few_minutes(org_a, member, client, monkeypatch):
    """An operator's requests do not look for devices each time; a device enrolled meanwhile (another session) is
    asked for once the re-check time has passed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from khizmat.tenancy import security

    operator = member(org_a, Role.OPERATOR, username="dilnoza")
    _password_login(client, "dilnoza")
    assert client.get(reverse("core:home")).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:home")).status_code == 200
    assert not [q for q in captured if "otp_" in q["sql"]]

    TOTPDevice.objects.create(user=operator, name="phone", confirmed=True)
    assert client.get(reverse("core:home")).status_code == 200  # within the re-check time
    later = security._now() + security.NO_FACTOR_RECHECK_SECONDS
    monkeypatch.setattr(security, "_now", lambda: later)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("tenancy:two_factor_verify") in response["Location"]


def test_an_operator_is_not_asked(org_a, member, client):
    member(org_a, Role.OPERATOR, username="dilnoza")
    _password_login(client, "dilnoza")
    assert client.get(reverse("core:home")).status_code == 200


def test_an_administrator_of_an_organization_is_asked(org_a, member, client):
    member(org_a, Role.ADMIN, username="the.admin")
    _password_login(client, "the.admin")
    assert client.get(reverse("core:home")).url.startswith(reverse("tenancy:two_factor_enroll"))


def test_the_django_admin_asks_platform_staff_too(client, db):
    from khizmat.tenancy.models import User

    User.objects.create_superuser("root", password=TEST_PASSWORD)
    client.post(reverse("admin:login"), {"username": "root", "password": TEST_PASSWORD})
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("tenancy:two_factor_enroll"))


def test_htmx_requests_get_hx_redirect(enrolled, client):
    _password_login(client, "aziz.manager")
    response = client.get(reverse("core:home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("tenancy:two_factor_verify")


def test_session_api_calls_of_an_unverified_manager_are_refused(enrolled, client):
    _password_login(client, "aziz.manager")
    response = client.get("/api/v1/applications/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403 and response.json()["code"] == "two_factor_required"


def test_not_required_when_switched_off_for_the_demo(manager, client, settings):
    settings.TWO_FACTOR_REQUIRED = False
    _password_login(client, "aziz.manager")
    assert client.get(reverse("core:home")).status_code == 200


def test_force_login_in_tests_gives_a_verified_session(manager, client):
    client.force_login(manager)
    assert client.get(reverse("core:home")).status_code == 200
    forget_two_factor(client)
    assert client.get(reverse("core:home")).status_code == 302
