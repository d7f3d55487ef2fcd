"""Each role reaches exactly the pages its permissions allow, and the menu shows exactly those."""

import pytest
from django.urls import reverse

from khizmat.core.navigation import entries_for
from khizmat.tenancy.roles import PERMISSIONS, Role, kind_has_permission, role_has_permission
from khizmat.testing.urls import project_routes

PERMISSION_ROUTES = [
    r for r in project_routes() if not r.kwargs and getattr(r.view_class, "permission", None)
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("route", PERMISSION_ROUTES, ids=lambda r: r.name)
def test_role_reaches_only_permitted_pages(route, role, org_a, org_b, member, client):
    # Billing and field work are pages of a municipal enterprise (org_b), the queue and applications of a service
    # center (org_a): each page is tried in an organization of its kind.
    organization = org_a if kind_has_permission(org_a.kind, route.view_class.permission) else org_b
    client.force_login(member(organization, role))
    # POST-only actions are tried with an empty POST: refused with 403, or handled (redirect, form errors).
    post_only = "get" not in route.methods
    response = client.post(reverse(route.name)) if post_only else client.get(reverse(route.name))
    if not role_has_permission(role, route.view_class.permission):
        assert response.status_code == 403
    else:
        assert response.status_code in ((200, 302) if post_only else (200,))


@pytest.mark.parametrize("role", Role.values)
def test_menu_lists_only_permitted_entries(role, org_a, member, client):
    user = member(org_a, role)
    membership = user.memberships.get()
    entries = entries_for(membership)
    assert all(role_has_permission(role, entry.permission) for entry in entries)
    assert all(kind_has_permission(org_a.kind, entry.permission) for entry in entries)
    client.force_login(user)
    page = client.get(reverse("core:home")).content.decode()
    for entry in entries:
        assert reverse(entry.url_name) in page


def test_read_only_roles_cannot_manage_staff():
    for role in (Role.AUDITOR, Role.MONITOR):
        assert not any(role_has_permission(role, p) for p in PERMISSIONS if p.endswith(".manage"))


def test_unknown_permission_is_refused():
    assert not role_has_permission(Role.ADMIN, "no.such.permission")


def test_inactive_membership_has_no_permission(org_a, member):
    membership = member(org_a, Role.ADMIN).memberships.get()
    membership.is_active = False
    assert not membership.has_permission("staff.view")


def test_a_page_of_another_kind_of_organization_is_not_found(org_a, org_b, member, client):
    client.force_login(member(org_a, Role.MANAGER))  # a service center
    assert client.get(reverse("billing:period_list")).status_code == 404
    assert client.get(reverse("fieldwork:vehicle_performance")).status_code == 404
    client.force_login(member(org_b, Role.MANAGER))  # a municipal enterprise
    assert client.get(reverse("queue:overview")).status_code == 404
    assert client.get(reverse("billing:period_list")).status_code == 200
