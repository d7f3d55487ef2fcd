from django.contrib import admin

from khizmat.documents.models import GeneratedDocument


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "organization", "status", "progress", "requested_by", "requested_at", "size")
    list_filter = ("status", "kind")
    readonly_fields = [field.name for field in GeneratedDocument._meta.fields]
