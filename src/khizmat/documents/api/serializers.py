from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from khizmat.documents.models import GeneratedDocument


class GeneratedDocumentSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = GeneratedDocument
        fields = [
            "id",
            "kind",
            "title",
            "params",
            "language",
            "status",
            "progress",
            "requested_at",
            "finished_at",
            "filename",
            "content_type",
            "size",
            "error",
            "download",
        ]
        read_only_fields = fields

    def get_title(self, document) -> str:
        return str(document.title)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download(self, document):
        if document.status != "done":
            return None
        return reverse(
            "api:generateddocument-download", args=[document.pk], request=self.context.get("request")
        )


class DocumentRequestSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=60, help_text="A document kind, e.g. `billing.arrears`.")
    params = serializers.DictField(
        required=False, default=dict, help_text='The kind\'s parameters, e.g. `{"as_of": "2026-11-30"}`.'
    )
