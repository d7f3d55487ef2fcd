from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from khizmat.fieldwork.models import CollectionPoint, Facility, PickupDay, Vehicle, VehicleService


class VehicleServiceInline(admin.TabularInline):
    model = VehicleService
    extra = 0
    fields = ("date", "kind", "odometer_km", "cost", "currency", "description")


@admin.register(Vehicle)
class VehicleAdmin(SimpleHistoryAdmin):
    list_display = ("plate", "kind", "organization", "capacity_m3", "fuel_norm", "donor", "status")
    list_filter = ("organization", "kind", "status")
    search_fields = ("plate", "make_model", "donor")
    inlines = [VehicleServiceInline]

    def save_formset(self, request, form, formset, change):
        # Log entries belong to the vehicle's organization.
        for entry in formset.save(commit=False):
            entry.organization_id = form.instance.organization_id
            entry.save()
        for removed in formset.deleted_objects:
            removed.delete()


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
    list_filter = ("organization", "kind", "is_active")
    search_fields = ("code", "name", "street")
    raw_id_fields = ("settlement",)


@admin.register(PickupDay)
class PickupDayAdmin(SimpleHistoryAdmin):
    list_display = ("settlement", "street", "weekday", "shift", "organization")
    list_filter = ("organization", "weekday", "shift")
    raw_id_fields = ("settlement",)
