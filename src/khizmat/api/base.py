"""Shared plumbing of the REST API: tenant-restricted viewsets, permissions, pagination, errors.

Every viewset reads its rows through ``Model.objects.for_organization(request.organization)`` inside the request's
tenant scope, so another organization's id is 404, as in the web UI. Writes go through the app's services.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from khizmat.core.errors import DomainError
from khizmat.core.errors import PermissionDenied as DomainPermissionDenied


class MembershipPermission(permissions.BasePermission):
    """The caller needs an active membership whose role has the view's ``permission`` (reads) or
    ``write_permission`` (writes)."""

    message = _("Your role does not allow this action.")

    def has_permission(self, request, view):
        membership = getattr(request._request, "membership", None)
        if membership is None or not request.user.is_authenticated:
            return False
        needed = view.permission if request.method in permissions.SAFE_METHODS else view.write_permission
        return bool(needed) and membership.has_permission(needed)


def validated_input(request, serializer_class, **kwargs) -> dict:
    """The request's body read by an input serializer (400 with each field's error if not well-formed); with
    ``partial=True`` only the fields given. What the data means is the service's to check."""
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class TenantViewSet(viewsets.GenericViewSet):
    """Base of every API viewset: set ``queryset`` (for the schema), ``permission`` and, for writes,
    ``write_permission``; rows come from the active organization only."""

    permission_classes = [permissions.IsAuthenticated, MembershipPermission]
    permission: str = ""
    write_permission: str = ""
    select_related: tuple[str, ...] = ()

    @property
    def organization(self):
        return self.request._request.organization

    def get_queryset(self):
        queryset = self.queryset.model.objects.for_organization(self.organization)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset.order_by(*(self.ordering or ("-pk",)))

    ordering: tuple[str, ...] = ("-pk",)


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Shared reference data (places, calendars): readable by any member."""

    permission_classes = [permissions.IsAuthenticated, MembershipPermission]
    permission = "search.use"
    write_permission = ""


def exception_handler(exc, context):
    """Domain errors keep their stable ``code`` and translated ``detail`` with their status (409 conflict with the
    current state, 422 a refused rule); refusals of the role are 403, not 500."""
    if isinstance(exc, Http404):
        # Django's "No Application matches the given query." is English and names the model: the client gets the
        # translated "Not found." like every other 404.
        exc = exceptions.NotFound()
    elif isinstance(exc, DomainPermissionDenied | DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(
            getattr(exc, "message", None) or _("Your role does not allow this action.")
        )
    elif isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status)
    return drf_exception_handler(exc, context)
