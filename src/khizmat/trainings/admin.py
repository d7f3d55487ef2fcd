"""Trainings in the Django admin, for platform administrators: read and correct reference fields. Participants,
attendance and imports change through the services (they keep the rules and the audit trail)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from khizmat.trainings.models import Event, EventMaterial, Participant, ParticipantImport


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ("topic", "kind", "start_date", "end_date", "status", "organization", "funder_project")
    list_filter = ("kind", "status", "funder_project")
    search_fields = ("topic", "venue")
    raw_id_fields = ("organization", "settlement", "funder_project")


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "sex", "event", "affiliation", "attended", "organization")
    list_filter = ("sex", "attended")
    raw_id_fields = ("organization", "event", "affiliation")
    readonly_fields = ("identity_key",)


@admin.register(EventMaterial)
class EventMaterialAdmin(SimpleHistoryAdmin):
    list_display = ("title", "event", "content_type", "size", "uploaded_at", "organization")
    raw_id_fields = ("organization", "event", "uploaded_by")


@admin.register(ParticipantImport)
class ParticipantImportAdmin(SimpleHistoryAdmin):
    list_display = (
        "file_name",
        "event",
        "status",
        "row_count",
        "imported_count",
        "uploaded_at",
        "organization",
    )
    raw_id_fields = ("organization", "event", "uploaded_by")
    exclude = ("content",)
