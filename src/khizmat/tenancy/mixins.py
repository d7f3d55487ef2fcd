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


class PersonalDataMixin:
    """A detail page showing a person's ID number or phone: sets ``full_personal_data`` in the context (True only
    for roles with ``personal_data.full``) and, when it is True, logs the view (one INSERT).

    Templates show the values through ``{% load masking %}`` filters with ``full_personal_data`` as argument.
    """

    def personal_data_label(self, obj) -> str:
        return ""

    def get_context_data(self, **kwargs):
        from khizmat.tenancy.privacy import may_see_full, record_access, view_name

        full = may_see_full(getattr(self.request, "membership", None))
        if full:
            record_access(
                self.request,
                self.object,
                view=view_name(self.request),
                label=self.personal_data_label(self.object),
            )
        return super().get_context_data(full_personal_data=full, **kwargs)


class PersonalDataViewSetMixin:
    """An API viewset whose serializer masks personal data (khizmat.api.masking.MaskedFieldsMixin): the detail
    answer (``retrieve``) is full for roles with ``personal_data.full`` and logged; lists and other answers are
    masked."""

    def retrieve(self, request, *args, **kwargs):
        from rest_framework.response import Response

        from khizmat.tenancy.privacy import may_see_full, record_access, view_name

        instance = self.get_object()
        full = may_see_full(getattr(request._request, "membership", None))
        if full:
            record_access(request._request, instance, view=view_name(request._request))
        context = {**self.get_serializer_context(), "full_personal_data": full}
        return Response(self.get_serializer_class()(instance, context=context).data)
