from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet
from khizmat.inventory import imports, services
from khizmat.inventory.api import serializers as s
from khizmat.inventory.choices import ImportTask
from khizmat.inventory.models import Equipment, EquipmentImport, EquipmentStatusChange, HandoverAct

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)
VIEW, MANAGE = "inventory.view", "inventory.manage"


class VisibleViewSet(TenantViewSet):
    """Reads cover the organizations the membership sees (a monitor's region or funded centres); writes act on the
    active organization's rows only."""

    def get_queryset(self):
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            visible = self.request._request.visible_organization_ids
            queryset = self.queryset.model.objects.filter(organization_id__in=visible)
            return queryset.order_by(*(self.ordering or ("-pk",)))
        return super().get_queryset()


class EquipmentViewSet(*_READ, mixins.CreateModelMixin, mixins.UpdateModelMixin, VisibleViewSet):
    queryset = Equipment.objects.none()
    serializer_class = s.EquipmentSerializer
    permission = VIEW
    write_permission = MANAGE
    filterset_fields = {
        "type": ["exact"],
        "status": ["exact"],
        "funder_project": ["exact"],
        "serial_number": ["exact"],
        "inventory_number": ["exact"],
        "delivery_date": ["gte", "lte"],
    }
    ordering = ("inventory_number", "pk")

    def perform_create(self, serializer):
        serializer.instance = services.equipment_create(
            actor=self.request.user, organization=self.organization, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.equipment_update(
            actor=self.request.user, equipment=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        request=s.StatusChangeRequestSerializer, responses={201: s.EquipmentStatusChangeSerializer}
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Change the status of a unit.

        The new status and why (in use, broken, in repair, written off); kept as a status change with who and when.
        A written-off unit stays written off (409)."""
        equipment = self.get_object()
        serializer = s.StatusChangeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = services.equipment_status_change(
            actor=request.user, equipment=equipment, **serializer.validated_data
        )
        return Response(s.EquipmentStatusChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class EquipmentStatusChangeViewSet(*_READ, VisibleViewSet):
    queryset = EquipmentStatusChange.objects.none()
    serializer_class = s.EquipmentStatusChangeSerializer
    permission = VIEW
    filterset_fields = ["equipment", "to_status"]
    ordering = ("-changed_at", "-pk")


class HandoverActViewSet(*_READ, mixins.CreateModelMixin, VisibleViewSet):
    queryset = HandoverAct.objects.none()
    serializer_class = s.HandoverActSerializer
    permission = VIEW
    write_permission = MANAGE
    filterset_fields = {"funder_project": ["exact"], "date": ["gte", "lte"], "number": ["exact"]}
    ordering = ("-date", "-pk")

    def perform_create(self, serializer):
        serializer.instance = services.handover_act_create(
            actor=self.request.user, organization=self.organization, **serializer.validated_data
        )


class EquipmentImportViewSet(*_READ, mixins.CreateModelMixin, TenantViewSet):
    """Upload a supplier's list: it is checked in the background (follow ``progress`` and ``task``), then imported
    with the ``import`` action once its check found no error."""

    queryset = EquipmentImport.objects.none()
    serializer_class = s.EquipmentImportSerializer
    permission = MANAGE
    write_permission = MANAGE
    filterset_fields = ["status"]
    ordering = ("-uploaded_at", "-pk")
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return super().get_queryset().defer("content")

    @extend_schema(
        request={"multipart/form-data": s.EquipmentImportUploadSerializer},
        responses={201: s.EquipmentImportSerializer},
    )
    def create(self, request, *args, **kwargs):
        """Upload a supplier's list.

        An Excel workbook (.xlsx) with the template's columns; its rows are checked in the background."""
        upload = s.EquipmentImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        record = imports.equipment_import_upload(
            actor=request.user, organization=self.organization, upload=upload.validated_data["file"]
        )
        imports.equipment_import_start(actor=request.user, record=record, step=ImportTask.CHECK)
        record.refresh_from_db()
        return Response(s.EquipmentImportSerializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: s.EquipmentImportSerializer})
    @action(detail=True, methods=["post"], url_path="import")
    def run_import(self, request, pk=None):
        """Import a checked list.

        Imports every unit of a list whose check found no error, in the background: all units or none."""
        record = self.get_object()
        imports.equipment_import_start(actor=request.user, record=record, step=ImportTask.IMPORT)
        record.refresh_from_db()
        return Response(s.EquipmentImportSerializer(record).data, status=status.HTTP_202_ACCEPTED)
