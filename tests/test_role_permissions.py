"""Each role reaches exactly the pages its permissions allow, and the menu shows exactly those."""

import pytest
from django.urls import reverse

from khizmat.core.navigation import entries_for
from khizmat.tenancy.roles import PERMISSIONS, Role, role_has_permission
from khizmat.tenancy.scoping import TenantModel
from khizmat.testing.urls import project_routes

PERMISSION_ROUTES = [
    r for r in project_routes() if not r.kwargs and getattr(r.view_class, "permission", None)
]


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("route", PERMISSION_ROUTES, ids=lambda r: r.name)
def test_role_reaches_only_permitted_pages(route, role, org_a, member, client):
    client.force_login(member(org_a, role))
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


# --- Object routes, walked for every role -------------------------------------------------------------------------

# Object routes whose own object a permitted role does not get as its page (200): the statuses, and the reason.
OWN_OBJECT_EXPECTED: dict[str, tuple[dict[str, int], str]] = {
    "fieldwork:driver_route": (
        {Role.DRIVER: 404},
        "a driver opens only the routes assigned to them (src/khizmat/fieldwork/tests)",
    ),
    # The generic document is billing's arrears workbook (documents/tests/factories.py).
    **{
        name: (
            {role: 404 for role in Role.values if not role_has_permission(role, "billing.reports")},
            "a document is read only by the roles that may ask for its kind (src/khizmat/documents/tests)",
        )
        for name in (
            "documents:detail",
            "documents:download",
            "api:generateddocument-detail",
            "api:generateddocument-download",
        )
    },
}


def object_routes():
    from tests.test_tenant_isolation import object_routes as routes

    return [
        r
        for r in routes()
        if r.model and issubclass(r.model, TenantModel) and getattr(r.view_class, "permission", None)
    ]


def test_object_routes_without_a_permission_are_public_and_listed():
    from tests.test_tenant_isolation import ISOLATION_EXEMPT
    from tests.test_tenant_isolation import object_routes as routes

    unguarded = [r.name for r in routes() if not getattr(r.view_class, "permission", None)]
    assert [name for name in unguarded if name not in ISOLATION_EXEMPT] == []


def foreign_readers(permitted: list[str]) -> list[str]:
    """Who tries B's object: the administrator (or the first role allowed) and the monitor (the widest scope)."""
    if not permitted:
        return []
    readers = [Role.ADMIN if Role.ADMIN in permitted else permitted[0]]
    return readers + [Role.MONITOR] if Role.MONITOR in permitted and Role.MONITOR not in readers else readers


@pytest.mark.parametrize("route", object_routes(), ids=lambda r: r.name)
def test_every_role_gets_its_object_or_a_refusal_and_never_another_tenants(
    route, world, db, client, monkeypatch
):
    """Every role of organization A that may open the route gets A's object (GET: 200; POST actions are tried on
    B's object only); a role that may not gets 403. B's object is 404 for the administrator and the monitor (or the
    first role allowed); 403 only where the role is refused A's object too: the same answer whatever the id.
    Never a 500."""
    from tests.test_tenant_isolation import _HtmlAsPdf

    monkeypatch.setattr("weasyprint.HTML", _HtmlAsPdf)
    own, foreign = world.own[route.model], world.foreign[route.model]
    is_get = "get" in route.methods
    method = client.get if is_get else client.post

    def status(obj):
        return method(reverse(route.name, kwargs=dict.fromkeys(route.kwargs, obj.pk))).status_code

    permitted = [role for role in Role.values if role_has_permission(role, route.view_class.permission)]
    refused = [role for role in Role.values if role not in permitted]
    # Every allowed role; of the refused ones (all stopped by the same permission check before any lookup), one,
    # a different one from route to route.
    walkers = permitted + refused[len(route.name) % len(refused) :][:1] if refused else permitted
    problems = []
    for role in walkers:
        client.force_login(world.users[role])
        if role in permitted:
            exceptions = OWN_OBJECT_EXPECTED.get(route.name, ({}, ""))[0]
            expected = (exceptions.get(role, 200),) if is_get else None
        else:
            expected = (403,)
        if expected is not None and (got := status(own)) not in expected:
            problems.append(f"{role}: A's object {got}, expected {expected}")
        if role in foreign_readers(permitted) or role not in permitted:
            got = status(foreign)
            if got == 403 and status(own) == 403:
                continue  # refused whatever the id (no permission, or the action needs one the role lacks)
            if got != 404:
                problems.append(f"{role}: B's object {got}, expected 404")
        if not is_get and role == Role.ADMIN and role in permitted:
            # The action works on A's own object (an empty POST: handled, or refused with a message). The
            # administrator comes last among the allowed roles; the test's transaction is rolled back.
            got = status(own)
            if got == 404 or got >= 500:
                problems.append(f"{role}: A's object {got} on POST")
    assert problems == []
