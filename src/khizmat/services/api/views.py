from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet, validated_input
from khizmat.core.errors import DomainError
from khizmat.services import services
from khizmat.services.api import serializers as s
from khizmat.services.models import Application, ApplicationDocument, ApplicationTransition, Service
from khizmat.tenancy.mixins import PersonalDataViewSetMixin
from khizmat.tenancy.models import User

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class ServiceViewSet(*_READ, TenantViewSet):
    queryset = Service.objects.none()
    serializer_class = s.ServiceSerializer
    permission = "catalog.view"
    filterset_fields = ["category", "channel", "is_active", "is_template"]
    ordering_fields = ["code", "pk"]
    ordering = ("code",)


class ApplicationViewSet(PersonalDataViewSetMixin, *_READ, TenantViewSet):
    queryset = Application.objects.none()
    serializer_class = s.ApplicationSerializer
    permission = "applications.view"
    write_permission = "applications.register"
    filterset_fields = {
        "status": ["exact", "in"],
        "service": ["exact"],
        "assigned_to": ["exact"],
        "due_date": ["lt", "gte", "lte"],
        "received_at": ["gte", "lt"],
        "number": ["exact"],
    }
    ordering_fields = ["received_at", "due_date", "pk"]
    ordering = ("-received_at", "-pk")

    @extend_schema(request=s.ApplicationRegisterSerializer, responses={201: s.ApplicationSerializer})
    def create(self, request):
        data = validated_input(self.request, s.ApplicationRegisterSerializer)
        service = Service.objects.filter(organization=self.organization, pk=data.pop("service")).first()
        if service is None:
            raise DomainError(_("This service is not offered by your organization."), code="unknown_service")
        application = services.application_register(
            actor=request.user, organization=self.organization, service=service, **data
        )
        return Response(s.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TransitionRequestSerializer, responses={200: s.ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="transition")
    def transition(self, request, pk=None):
        """Move an application along its workflow.

        `name` is a step of the workflow (e.g. `start_review`, `approve`, `issue`); a step the current status does
        not allow is a 409, a step the role may not take a 403."""
        application = self.get_object()  # another tenant's id is 404 before anything else
        data = validated_input(self.request, s.TransitionRequestSerializer)
        application = services.application_transition(
            actor=request.user, application=application, name=data["name"], comment=data["comment"]
        )
        return Response(s.ApplicationSerializer(application).data)

    @extend_schema(request=s.ReassignRequestSerializer, responses={200: s.ApplicationSerializer})
    @action(detail=True, methods=["post"], url_path="reassign")
    def reassign(self, request, pk=None):
        """Reassign an application.

        Gives the application to another operator of the organization who may process it."""
        application = self.get_object()
        data = validated_input(self.request, s.ReassignRequestSerializer)
        assignee = User.objects.filter(pk=data["assignee"]).first()
        if assignee is None:
            raise DomainError(_("This person cannot process applications here."), code="bad_assignee")
        application = services.application_reassign(
            actor=request.user, application=application, assignee=assignee
        )
        return Response(s.ApplicationSerializer(application).data)


class ApplicationTransitionViewSet(*_READ, TenantViewSet):
    queryset = ApplicationTransition.objects.none()
    serializer_class = s.ApplicationTransitionSerializer
    permission = "applications.view"
    filterset_fields = ["application", "to_status"]
    ordering = ("at", "pk")


class ApplicationDocumentViewSet(*_READ, TenantViewSet):
    queryset = ApplicationDocument.objects.none()
    serializer_class = s.ApplicationDocumentSerializer
    permission = "applications.view"
    filterset_fields = ["application"]
