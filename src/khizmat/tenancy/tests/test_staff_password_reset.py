"""An organization's administrator gives a staff member who forgot their password a new one (page and API)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import translation

from khizmat.api.tests.factories import token_key
from khizmat.tenancy.models import Membership, User
from khizmat.tenancy.roles import Role

NEW_PASSWORD = "a-fresh-passphrase-for-you-73"


def _page(operator):
    return reverse("tenancy:membership_password", args=[operator.memberships.get().pk])


def test_the_admin_sets_a_new_password_that_must_be_changed(org_a, admin_a, operator_a, client):
    operator_client = type(client)()
    operator_client.force_login(operator_a)
    AccessAttempt.objects.create(
        username=operator_a.username, ip_address="10.0.0.9", user_agent="x", failures_since_start=10
    )
    client.force_login(admin_a)
    detail = client.get(reverse("tenancy:membership_detail", args=[operator_a.memberships.get().pk]))
    assert _page(operator_a).encode() in detail.content

    response = client.post(_page(operator_a), {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})

    assert response.status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.check_password(NEW_PASSWORD)
    assert operator_a.must_change_password
    assert not AccessAttempt.objects.filter(username=operator_a.username).exists()  # the lockout is lifted
    assert operator_a.history.latest().history_user == admin_a  # audited
    # The person's open session ended with the old password.
    assert operator_client.get(reverse("tenancy:organization_detail")).status_code == 302


def test_differing_or_weak_passwords_are_refused_and_nothing_changes(org_a, admin_a, operator_a, client):
    old_hash = operator_a.password
    admin_a.language = "en"
    admin_a.save()
    client.force_login(admin_a)
    with translation.override("en"):
        differing = client.post(_page(operator_a), {"password": NEW_PASSWORD, "password_again": "other"})
        weak = client.post(_page(operator_a), {"password": "P@ssw0rd1234", "password_again": "P@ssw0rd1234"})
    assert differing.status_code == weak.status_code == 200
    assert "The two passwords differ." in differing.content.decode()
    assert "breached" in weak.content.decode() or "common" in weak.content.decode()
    operator_a.refresh_from_db()
    assert operator_a.password == old_hash and not operator_a.must_change_password


def test_a_login_shared_with_another_organization_is_left_to_the_platform(
    org_a, org_b, admin_a, operator_a, client
):
    page = _page(operator_a)
    Membership.objects.create(organization=org_b, user=operator_a, role=Role.CASHIER)
    old_hash = operator_a.password
    admin_a.language = "en"
    admin_a.save()
    client.force_login(admin_a)
    with translation.override("en"):
        response = client.post(page, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 200
    assert "ask a platform administrator" in response.content.decode()
    operator_a.refresh_from_db()
    assert operator_a.password == old_hash


def test_only_administrators_of_that_organization_reach_the_page(org_a, org_b, member, operator_a, client):
    client.force_login(member(org_a, Role.MANAGER))
    assert client.get(_page(operator_a)).status_code == 403
    client.force_login(member(org_b, Role.ADMIN))
    assert client.get(_page(operator_a)).status_code == 404


def test_the_api_sets_it_through_the_same_rules(org_a, admin_a, operator_a, client):
    url = f"/api/v1/memberships/{operator_a.memberships.get().pk}/set-password/"
    auth = {"HTTP_AUTHORIZATION": f"Token {token_key(admin_a)}", "HTTP_ACCEPT_LANGUAGE": "en"}

    weak = client.post(url, {"password": "12345678"}, content_type="application/json", **auth)
    own = client.post(
        f"/api/v1/memberships/{admin_a.memberships.get().pk}/set-password/",
        {"password": NEW_PASSWORD},
        content_type="application/json",
        **auth,
    )
    done = client.post(url, {"password": NEW_PASSWORD}, content_type="application/json", **auth)

    assert (weak.status_code, weak.json()["code"]) == (422, "weak_password")
    assert (own.status_code, own.json()["code"]) == (422, "own_password")
    assert done.status_code == 200 and done.json()["user"]["id"] == operator_a.pk
    operator_a.refresh_from_db()
    assert operator_a.check_password(NEW_PASSWORD) and operator_a.must_change_password


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_platform_staff_are_not_reset_by_an_organization(org_a, admin_a, member, flag):
    from khizmat.core.errors import DomainError
    from khizmat.tenancy import services

    platform_person = member(org_a, Role.OPERATOR, **{flag: True})
    with pytest.raises(DomainError) as error:
        services.membership_set_password(
            actor=admin_a, membership=platform_person.memberships.get(), password=NEW_PASSWORD
        )
    assert error.value.code == "password_elsewhere"
    assert not User.objects.get(pk=platform_person.pk).check_password(NEW_PASSWORD)
