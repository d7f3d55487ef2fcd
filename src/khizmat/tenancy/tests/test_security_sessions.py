"""Staff sessions end after 30 minutes without a request and 12 hours after signing in. Time is moved by rewriting
the session's clock (khizmat.tenancy.security), never by waiting."""

import pytest
from django.urls import reverse

from khizmat.tenancy import security


@pytest.fixture
def signed_in(client, operator_a):
    client.force_login(operator_a)
    return client


def _age(client, *, login: int = 0, seen: int = 0):
    """Move the session's sign-in time and last activity ``login``/``seen`` seconds into the past."""
    session = client.session
    now = security._now()
    session[security.LOGIN_AT] = now - login
    session[security.SEEN_AT] = now - seen
    session.save()


def test_settings_are_half_an_hour_idle_and_twelve_hours_in_all(settings):
    assert settings.SESSION_IDLE_SECONDS == 1800
    assert settings.SESSION_ABSOLUTE_SECONDS == settings.SESSION_COOKIE_AGE == 12 * 3600


def test_an_active_session_goes_on(signed_in):
    _age(signed_in, login=3600, seen=1790)
    assert signed_in.get(reverse("core:home")).status_code == 200


def test_half_an_hour_idle_signs_out_with_a_message(signed_in):
    _age(signed_in, login=3600, seen=1801)
    response = signed_in.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")
    page = signed_in.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert "signed out after 30 minutes without activity" in page.content.decode()
    assert "_auth_user_id" not in signed_in.session


def test_twelve_hours_after_signing_in_the_session_ends_even_if_active(signed_in):
    _age(signed_in, login=12 * 3600 + 1, seen=5)
    response = signed_in.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    page = signed_in.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert "signed out 12 hours after logging in" in page.content.decode()


def test_htmx_requests_of_an_expired_session_get_hx_redirect(signed_in):
    _age(signed_in, login=3600, seen=1801)
    response = signed_in.get(reverse("core:home"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("login")
    assert b"<form" not in response.content


def test_last_activity_is_written_at_most_once_a_minute(signed_in):
    _age(signed_in, login=100, seen=30)
    before = signed_in.session[security.SEEN_AT]
    signed_in.get(reverse("core:home"))
    assert signed_in.session[security.SEEN_AT] == before  # not saved again within the minute
    _age(signed_in, login=100, seen=61)
    signed_in.get(reverse("core:home"))
    assert signed_in.session[security.SEEN_AT] >= security._now() - 1


def test_logging_in_starts_the_clock(org_a, member, client, password):
    member(org_a, "operator", username="malika")
    client.post(reverse("login"), {"username": "malika", "password": password})
    assert abs(client.session[security.LOGIN_AT] - security._now()) <= 1
