"""Municipal orders in the Django admin, for platform administrators: read and correct reference fields. Work
records, acts and their lines change only through services (they keep each act equal to its records)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from khizmat.contracts.models import Act, ActLine, Contract, WorkItem, WorkRecord


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ("number", "title", "organization", "customer", "starts_on", "ends_on", "status")
    list_filter = ("status", "organization")
    search_fields = ("number", "title")
    raw_id_fields = ("organization", "customer")


@admin.register(WorkItem)
class WorkItemAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "contract", "unit", "unit_price", "planned_quantity", "source")
    list_filter = ("unit", "source", "organization")
    raw_id_fields = ("organization", "contract")


@admin.register(WorkRecord)
class WorkRecordAdmin(SimpleHistoryAdmin):
    list_display = ("date", "work_item", "quantity", "is_correction", "recorded_by", "organization")
    list_filter = ("is_correction", "organization")
    raw_id_fields = ("organization", "work_item", "source_load", "recorded_by")
    readonly_fields = ("recorded_at",)


class ActLineInline(admin.TabularInline):
    model = ActLine
    extra = 0
    fields = ("work_item", "planned_quantity", "actual_quantity", "unit_price", "amount", "status")
    readonly_fields = fields
    can_delete = False


@admin.register(Act)
class ActAdmin(SimpleHistoryAdmin):
    list_display = ("number", "contract", "month", "status", "organization")
    list_filter = ("status", "organization")
    raw_id_fields = ("organization", "contract", "submitted_by", "accepted_by")
    inlines = [ActLineInline]


@admin.register(ActLine)
class ActLineAdmin(SimpleHistoryAdmin):
    list_display = ("act", "work_item", "planned_quantity", "actual_quantity", "amount", "status")
    list_filter = ("status", "organization")
    raw_id_fields = ("organization", "act", "work_item", "disputed_by", "answered_by")
