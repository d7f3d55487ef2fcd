"""The inventory in the Django admin, for platform administrators: read and correct reference fields. The organization
of a row is never changed once saved (an UPDATE must not set organization_id); status changes go through the service
(they keep who, when and why)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from khizmat.inventory.models import Equipment, EquipmentImport, EquipmentStatusChange, HandoverAct


class OrganizationFixedAdmin(SimpleHistoryAdmin):
    def get_readonly_fields(self, request, obj=None):
        fixed = ("organization",) if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *fixed)


@admin.register(Equipment)
class EquipmentAdmin(OrganizationFixedAdmin):
    list_display = (
        "inventory_number",
        "type",
        "model",
        "serial_number",
        "organization",
        "funder_project",
        "status",
    )
    list_filter = ("type", "status", "currency")
    search_fields = ("inventory_number", "serial_number", "model")
    raw_id_fields = ("organization", "funder_project", "handover_act")
    readonly_fields = ("status",)


@admin.register(EquipmentStatusChange)
class EquipmentStatusChangeAdmin(OrganizationFixedAdmin):
    list_display = ("equipment", "from_status", "to_status", "changed_by", "changed_at")
    raw_id_fields = ("organization", "equipment", "changed_by")


@admin.register(HandoverAct)
class HandoverActAdmin(OrganizationFixedAdmin):
    list_display = ("number", "date", "organization", "funder_project", "received_by_name")
    search_fields = ("number", "received_by_name", "handed_over_by_name")
    raw_id_fields = ("organization", "funder_project", "created_by")


@admin.register(EquipmentImport)
class EquipmentImportAdmin(OrganizationFixedAdmin):
    list_display = ("file_name", "organization", "status", "row_count", "imported_count", "uploaded_at")
    raw_id_fields = ("organization", "uploaded_by")
    exclude = ("content",)
