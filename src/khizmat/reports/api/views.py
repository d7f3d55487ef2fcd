from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet
from khizmat.reports import services
from khizmat.reports.api import serializers as s
from khizmat.reports.models import Open311Client, Report, ReportType, ReportUpdate, ServiceArea

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class ReportTypeViewSet(*_READ, TenantViewSet):
    queryset = ReportType.objects.none()
    serializer_class = s.ReportTypeSerializer
    permission = "reports.view"
    ordering = ("code",)


class ReportViewSet(*_READ, TenantViewSet):
    queryset = Report.objects.none()
    serializer_class = s.ReportSerializer
    permission = "reports.view"
    write_permission = "reports.handle"
    filterset_fields = {
        "status": ["exact", "in"],
        "report_type": ["exact"],
        "requested_at": ["gte", "lt"],
        "assigned_to": ["exact"],
    }
    ordering_fields = ["requested_at", "pk"]
    ordering = ("-requested_at", "-pk")

    @extend_schema(request=s.ReportStatusRequestSerializer, responses={200: s.ReportSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Change a report's status.

        Moves a citizen report along its workflow with a public note for the citizen, who gets an SMS."""
        report = self.get_object()
        serializer = s.ReportStatusRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.report_set_status(actor=request.user, report=report, **serializer.validated_data)
        return Response(s.ReportSerializer(report).data)


class ReportUpdateViewSet(*_READ, TenantViewSet):
    queryset = ReportUpdate.objects.none()
    serializer_class = s.ReportUpdateSerializer
    permission = "reports.view"
    filterset_fields = ["report"]
    ordering = ("at", "pk")


class Open311ClientViewSet(*_READ, TenantViewSet):
    queryset = Open311Client.objects.none()
    serializer_class = s.Open311ClientSerializer
    permission = "reports.configure"


class ServiceAreaViewSet(*_READ, TenantViewSet):
    queryset = ServiceArea.objects.none()
    serializer_class = s.ServiceAreaSerializer
    permission = "reports.view"
