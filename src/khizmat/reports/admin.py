from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from khizmat.reports.models import Open311Client, Report, ReportType, ServiceArea


@admin.register(ReportType)
class ReportTypeAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("code", "name", "organization", "resolution_working_days", "is_active")
    list_filter = ("organization", "is_active")


@admin.register(Open311Client)
class Open311ClientAdmin(SimpleHistoryAdmin):
    """API keys for Open311 client applications, one jurisdiction (organization) each."""

    list_display = ("name", "organization", "api_key", "is_active", "created_at")
    list_filter = ("organization", "is_active")
    readonly_fields = ("api_key", "created_at")


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ("number", "organization", "report_type", "status", "requested_at")
    list_filter = ("organization", "status", "source")
    search_fields = ("number",)
    raw_id_fields = ("report_type", "assigned_to", "duplicate_of")


@admin.register(ServiceArea)
class ServiceAreaAdmin(SimpleHistoryAdmin):
    """Territories: a settlement with a radius, or a polygon of [lat, lng] points."""

    list_display = ("name", "organization", "settlement", "radius_km", "report_type_codes", "is_active")
    list_filter = ("organization", "is_active")
    raw_id_fields = ("settlement",)
