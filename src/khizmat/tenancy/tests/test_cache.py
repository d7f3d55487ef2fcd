"""The cached tenancy reads (khizmat.tenancy.cache): served from the cache, dropped as soon as a membership or an
organization changes, so that a revoked role or a closed organization takes effect on the next request."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khizmat.tenancy.roles import Role
from khizmat.tenancy.selectors import active_organization_by_code, membership_list_for_user
from khizmat.tenancy.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.TENANCY_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def reads(call):
    with CaptureQueriesContext(connection) as queries:
        result = call()
    return result, len(queries)


def test_a_second_request_reads_the_memberships_from_the_cache():
    membership = MembershipFactory(role=Role.CASHIER)
    first, first_queries = reads(lambda: membership_list_for_user(membership.user))
    again, again_queries = reads(lambda: membership_list_for_user(membership.user))
    assert [m.pk for m in first] == [m.pk for m in again] == [membership.pk]
    assert again[0].organization.code == membership.organization.code
    assert (first_queries, again_queries) == (1, 0)


def test_a_changed_or_removed_membership_shows_at_once():
    membership = MembershipFactory(role=Role.CASHIER)
    membership_list_for_user(membership.user)
    membership.role = Role.MANAGER
    membership.save()
    assert [m.role for m in membership_list_for_user(membership.user)] == [Role.MANAGER]
    membership.is_active = False
    membership.save()
    assert membership_list_for_user(membership.user) == []
    membership.is_active = True
    membership.save()
    membership.delete()
    assert membership_list_for_user(membership.user) == []


def test_a_closed_organization_drops_every_members_list_and_its_code():
    membership = MembershipFactory(role=Role.CASHIER)
    other = MembershipFactory(role=Role.OPERATOR)
    organization = membership.organization
    membership_list_for_user(membership.user)
    membership_list_for_user(other.user)
    assert active_organization_by_code(organization.code) == organization
    organization.is_active = False
    organization.save()
    assert membership_list_for_user(membership.user) == []
    assert active_organization_by_code(organization.code) is None
    # Another organization's members read theirs again (a new generation), still correct.
    assert [m.pk for m in membership_list_for_user(other.user)] == [other.pk]


def test_a_renamed_organization_shows_its_new_name():
    organization = OrganizationFactory(name="Old name")
    assert active_organization_by_code(organization.code).name == "Old name"
    organization.name = "New name"
    organization.save()
    assert active_organization_by_code(organization.code).name == "New name"


def test_with_the_cache_off_every_call_reads_the_database(settings):
    settings.TENANCY_CACHE_SECONDS = 0
    membership = MembershipFactory(role=Role.CASHIER)
    _, first = reads(lambda: membership_list_for_user(membership.user))
    _, again = reads(lambda: membership_list_for_user(membership.user))
    assert first == again == 1
