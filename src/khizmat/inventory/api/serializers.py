from rest_framework import serializers

from khizmat.inventory.choices import EquipmentStatus
from khizmat.inventory.models import Equipment, EquipmentImport, EquipmentStatusChange, HandoverAct
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.models import Organization


class FunderProjectField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Organization.objects.filter(kind=OrganizationKind.FUNDER_PROJECT)


class EquipmentSerializer(serializers.ModelSerializer):
    funder_project = FunderProjectField(allow_null=True, required=False)
    inventory_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="Empty: the organization's next number."
    )

    class Meta:
        model = Equipment
        fields = [
            "id",
            "organization",
            "inventory_number",
            "type",
            "model",
            "serial_number",
            "cost",
            "currency",
            "funder_project",
            "delivery_date",
            "place",
            "status",
            "handover_act",
            "notes",
        ]
        read_only_fields = ["id", "organization", "status", "handover_act"]


class EquipmentStatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = EquipmentStatusChange
        fields = ["id", "equipment", "from_status", "to_status", "reason", "changed_by", "changed_at"]
        read_only_fields = fields


class StatusChangeRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=EquipmentStatus.choices)
    reason = serializers.CharField(max_length=1000)


class ItemIdsField(serializers.ListField):
    """Equipment ids: written as a list, read from the act's items."""

    def to_representation(self, data):
        if hasattr(data, "values_list"):
            return list(data.order_by("pk").values_list("pk", flat=True))
        return super().to_representation(data)


class HandoverActSerializer(serializers.ModelSerializer):
    funder_project = FunderProjectField(allow_null=True, required=False)
    number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="Empty: the organization's next number."
    )
    items = ItemIdsField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=1000,
        help_text="Ids of the equipment handed over (of the receiving organization, on no other act).",
    )

    class Meta:
        model = HandoverAct
        fields = [
            "id",
            "organization",
            "number",
            "date",
            "funder_project",
            "handed_over_by_name",
            "handed_over_by_position",
            "received_by_name",
            "received_by_position",
            "notes",
            "items",
        ]
        read_only_fields = ["id", "organization"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["items"] = (
            list(instance.items.order_by("pk").values_list("pk", flat=True)) if instance.pk else []
        )
        return data


class EquipmentImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = EquipmentImport
        fields = [
            "id",
            "file_name",
            "status",
            "headers",
            "row_count",
            "errors",
            "imported_count",
            "uploaded_at",
            "imported_at",
            "task",
            "progress",
            "failure",
        ]
        read_only_fields = fields


class EquipmentImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The supplier's list as an Excel workbook (.xlsx), columns as the template."
    )
