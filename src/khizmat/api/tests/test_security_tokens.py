"""API tokens: they expire, can be revoked, die with a password change, and count under /api/ only."""

import datetime

import pytest
from django.contrib.auth import hashers
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from khizmat.api.models import ApiToken, key_hash
from khizmat.api.services import api_token_create
from khizmat.tenancy.roles import Role

API = "/api/v1/"


@pytest.fixture
def made(operator_a):
    token, key = api_token_create(user=operator_a, name="script")
    return token, key


def _api(key):
    return Client().get(API, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_fresh_token_works_and_only_its_hash_is_stored(made, settings):
    token, key = made
    assert _api(key).status_code == 200
    assert token.key_hash == key_hash(key) and key not in (token.key_hash, token.prefix)
    assert token.expires_at - token.created_at == datetime.timedelta(days=settings.API_TOKEN_DAYS)


def test_expired_token_is_401(made):
    token, key = made
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = _api(key)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_revoked_token_is_401(made, operator_a, client):
    token, key = made
    client.force_login(operator_a)
    client.post(reverse("core:api_token"), {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == operator_a
    assert _api(key).status_code == 401


def test_password_change_ends_the_token(made, operator_a):
    _token, key = made
    operator_a.set_password("another-long-passphrase-42")
    operator_a.save()
    assert _api(key).status_code == 401


def test_a_rehash_at_login_is_not_a_password_change(operator_a, settings):
    """A hash stored with older parameters (Django's default Argon2) is re-hashed with ours at the next login: the
    same password, so the user's API tokens keep working and the date the password was set stays."""
    settings.PASSWORD_HASHERS = ["khizmat.core.passwords.Argon2PasswordHasher"]
    old = hashers.Argon2PasswordHasher()
    operator_a.password = old.encode("a-long-passphrase-of-old", old.salt())
    operator_a.save()
    _token, key = api_token_create(user=operator_a, name="script")
    changed_at = operator_a.password_changed_at

    assert operator_a.check_password("a-long-passphrase-of-old")
    assert operator_a.password_changed_at == changed_at  # also on the object a later save() writes back

    operator_a.refresh_from_db()
    parameters = hashers.identify_hasher(operator_a.password).decode(operator_a.password)
    assert (parameters["memory_cost"], parameters["time_cost"], parameters["parallelism"]) == (19456, 2, 1)
    assert operator_a.password_changed_at == changed_at
    assert _api(key).status_code == 200


def test_inactive_user_token_is_401(made, operator_a):
    operator_a.is_active = False
    operator_a.save()
    assert _api(made[1]).status_code == 401


def test_last_use_is_written_at_most_once_an_hour(made):
    token, key = made
    _api(key)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    _api(key)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(hours=2))
    _api(key)
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(hours=1)


def test_a_token_on_a_web_page_is_not_a_login(made):
    response = Client().get(reverse("core:audit_log"), HTTP_AUTHORIZATION=f"Token {made[1]}")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_web_post_with_a_token_still_needs_csrf(made):
    client = Client(enforce_csrf_checks=True)
    for url in (reverse("core:language_set"), reverse("core:api_token")):
        response = client.post(url, {"language": "en", "name": "x"}, HTTP_AUTHORIZATION=f"Token {made[1]}")
        assert response.status_code == 403, url
    assert ApiToken.objects.count() == 1


# --- The token page -------------------------------------------------------------------------------------------------


def test_the_page_shows_a_new_key_once(operator_a, client):
    client.force_login(operator_a)
    response = client.post(reverse("core:api_token"), {"action": "create", "name": "billing sync"})
    key = response.context["new_key"]
    assert key in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    assert ApiToken.objects.get(user=operator_a).key_hash == key_hash(key)
    assert key not in client.get(reverse("core:api_token")).content.decode()
    assert _api(key).status_code == 200


def test_a_token_needs_a_name(operator_a, client):
    client.force_login(operator_a)
    client.post(reverse("core:api_token"), {"action": "create", "name": "  "}, HTTP_ACCEPT_LANGUAGE="en")
    assert not ApiToken.objects.exists()


def test_staff_cannot_revoke_someone_elses_token(made, member, org_a, client):
    token, key = made
    client.force_login(member(org_a, Role.OPERATOR))
    response = client.post(reverse("core:api_token"), {"action": "revoke", "token": token.pk})
    assert response.status_code == 404
    assert _api(key).status_code == 200


def test_a_manager_revokes_a_staff_members_token_and_it_is_audited(made, member, org_a, org_b, client):
    token, key = made
    manager = member(org_a, Role.MANAGER)
    client.force_login(manager)
    page = client.get(reverse("core:api_token"))
    assert token in page.context["staff_tokens"]
    client.post(reverse("core:api_token"), {"action": "revoke", "token": token.pk})
    assert _api(key).status_code == 401
    assert token.history.latest().history_user == manager

    other_token, other_key = api_token_create(user=member(org_b, Role.OPERATOR), name="b")
    response = client.post(reverse("core:api_token"), {"action": "revoke", "token": other_token.pk})
    assert response.status_code == 404
    assert _api(other_key).status_code == 200
