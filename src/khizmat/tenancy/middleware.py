"""Resolve the active membership and run the request inside its tenant scope.

After this middleware, ``request.membership`` is the user's active membership (or None), ``request.organization``
its organization, and every query on a TenantModel is limited to ``request.visible_organization_ids``. The request
runs in its organization's time zone (:mod:`khizmat.tenancy.localtime`); without one, in the server's.
Platform superusers in the Django admin work unscoped: the admin maintains reference data across tenants.
"""

from django.urls import reverse
from django.utils import timezone

from khizmat.tenancy.localtime import organization_zone
from khizmat.tenancy.scoping import scope, scopes_disabled
from khizmat.tenancy.selectors import membership_list_for_user, organization_ids_visible_to_membership

SESSION_KEY = "khizmat_membership_id"


class TenantScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        user = request.user
        memberships = membership_list_for_user(user)
        chosen = None
        wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        wanted_code = request.headers.get("X-Khizmat-Organization", "")  # API clients choose by code
        for membership in memberships:
            if membership.pk == wanted or (wanted_code and membership.organization.code == wanted_code):
                chosen = membership
                break
        if chosen is None and memberships:
            chosen = memberships[0]
        request.memberships = memberships
        request.membership = chosen
        request.organization = chosen.organization if chosen else None
        request.visible_organization_ids = organization_ids_visible_to_membership(chosen)

        if request.organization is not None:
            timezone.activate(organization_zone(request.organization))
        else:
            timezone.deactivate()
        try:
            if user.is_authenticated and user.is_superuser and request.path.startswith(self.admin_prefix):
                with scopes_disabled():
                    return self.get_response(request)
            with scope(organization=request.visible_organization_ids):
                return self.get_response(request)
        finally:
            # Public pages may have activated the zone of the organization they show (localtime.activate_for).
            timezone.deactivate()
