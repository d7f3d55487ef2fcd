from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from khizmat.fieldwork.models import (
    CollectionPoint,
    CrewMember,
    DriverEvent,
    Facility,
    PickupDay,
    Route,
    RoutePlan,
    RouteStop,
    Trip,
    TripLoad,
    Vehicle,
    VehicleService,
)


class InlinesOfTheSameOrganization:
    """Rows added in an inline (log entries, stops, loads) belong to the parent's organization."""

    def save_formset(self, request, form, formset, change):
        for row in formset.save(commit=False):
            row.organization_id = form.instance.organization_id
            row.save()
        for removed in formset.deleted_objects:
            removed.delete()


class VehicleServiceInline(admin.TabularInline):
    model = VehicleService
    extra = 0
    fields = ("date", "kind", "odometer_km", "cost", "currency", "description")


@admin.register(Vehicle)
class VehicleAdmin(InlinesOfTheSameOrganization, SimpleHistoryAdmin):
    list_display = ("plate", "kind", "organization", "capacity_m3", "fuel_norm", "equipment_status")
    list_filter = ("organization", "kind", "equipment__status")
    search_fields = ("plate", "equipment__model", "equipment__inventory_number")
    raw_id_fields = ("equipment",)
    inlines = [VehicleServiceInline]

    @admin.display(description=_("status"), ordering="equipment__status")
    def equipment_status(self, vehicle):
        return vehicle.equipment.get_status_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("equipment")


@admin.register(VehicleService)
class VehicleServiceAdmin(SimpleHistoryAdmin):
    list_display = ("vehicle", "date", "kind", "odometer_km", "cost", "currency")
    list_filter = ("organization", "kind")
    raw_id_fields = ("vehicle",)


@admin.register(Facility)
class FacilityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "organization", "latitude", "longitude", "unload_minutes", "is_active")
    list_filter = ("organization", "kind", "is_active")


@admin.register(CollectionPoint)
class CollectionPointAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "organization", "settlement", "street", "containers", "is_active")
    list_filter = ("organization", "kind", "is_public_area", "is_active")
    search_fields = ("code", "name", "street")
    raw_id_fields = ("settlement",)


@admin.register(PickupDay)
class PickupDayAdmin(SimpleHistoryAdmin):
    list_display = ("settlement", "street", "weekday", "shift", "organization")
    list_filter = ("organization", "weekday", "shift")
    raw_id_fields = ("settlement",)


@admin.register(CrewMember)
class CrewMemberAdmin(SimpleHistoryAdmin):
    list_display = ("name", "position", "vehicle", "user", "organization", "is_active")
    list_filter = ("organization", "position", "is_active")
    search_fields = ("name", "phone", "vehicle__plate")
    raw_id_fields = ("vehicle", "user")


@admin.register(RoutePlan)
class RoutePlanAdmin(SimpleHistoryAdmin):
    list_display = (
        "date",
        "organization",
        "status",
        "point_count",
        "planned_distance_m",
        "manual_distance_m",
    )
    list_filter = ("organization", "status")
    raw_id_fields = ("requested_by",)
    date_hierarchy = "date"


class RouteStopInline(admin.TabularInline):
    model = RouteStop
    extra = 0
    fields = ("sequence", "trip_number", "point", "status", "skip_reason", "note", "report")
    raw_id_fields = ("point", "report")


@admin.register(Route)
class RouteAdmin(InlinesOfTheSameOrganization, SimpleHistoryAdmin):
    list_display = ("date", "vehicle", "driver", "organization", "source", "status")
    list_filter = ("organization", "source", "status")
    raw_id_fields = ("vehicle", "driver", "plan")
    date_hierarchy = "date"
    inlines = [RouteStopInline]


@admin.register(RouteStop)
class RouteStopAdmin(SimpleHistoryAdmin):
    list_display = ("route", "sequence", "point", "status", "skip_reason", "organization")
    list_filter = ("organization", "status", "skip_reason")
    raw_id_fields = ("route", "point", "marked_by", "report")


class TripLoadInline(admin.TabularInline):
    model = TripLoad
    extra = 0
    fields = ("unloaded_at", "facility", "volume_m3", "weight_kg")


@admin.register(Trip)
class TripAdmin(InlinesOfTheSameOrganization, SimpleHistoryAdmin):
    list_display = ("date", "vehicle", "driver", "distance_km", "fuel_litres", "organization")
    list_filter = ("organization",)
    raw_id_fields = ("route", "vehicle", "driver")
    date_hierarchy = "date"
    inlines = [TripLoadInline]


@admin.register(TripLoad)
class TripLoadAdmin(SimpleHistoryAdmin):
    list_display = ("trip", "unloaded_at", "facility", "volume_m3", "organization")
    list_filter = ("organization",)
    raw_id_fields = ("trip", "facility")


@admin.register(DriverEvent)
class DriverEventAdmin(admin.ModelAdmin):
    list_display = ("recorded_at", "route", "kind", "received_from", "client_id", "organization")
    list_filter = ("organization", "kind")
    raw_id_fields = ("route", "received_from")
    readonly_fields = ("client_id", "route", "kind", "payload", "recorded_at", "received_at", "received_from")
