"""View mixins: a page needs a membership, and a permission of its role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied


class MembershipRequiredMixin(LoginRequiredMixin):
    """The user must be logged in with an active membership whose role has ``permission`` (if set)."""

    permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = getattr(request, "membership", None)
        if membership is None:
            raise PermissionDenied("no_membership")
        if self.permission and not membership.has_permission(self.permission):
            raise PermissionDenied("role")
        return super().dispatch(request, *args, **kwargs)


class TenantObjectMixin(MembershipRequiredMixin):
    """Detail, edit and delete views: the object is looked up among the active organization's rows only.

    Another tenant's object is simply not found (404), whatever its id.
    """

    def get_queryset(self):
        return self.model.objects.for_organization(self.request.organization)
