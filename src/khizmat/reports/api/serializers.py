from rest_framework import serializers

from khizmat.reports.choices import ReportStatus
from khizmat.reports.models import Open311Client, Report, ReportType, ReportUpdate, ServiceArea


class ReportTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportType
        fields = [
            "id",
            "code",
            "name",
            "description",
            "group",
            "attributes",
            "resolution_working_days",
            "is_active",
        ]
        read_only_fields = fields


class ReportSerializer(serializers.ModelSerializer):
    public_note = serializers.CharField(
        source="note", read_only=True
    )  # system notes in the reader's language

    class Meta:
        model = Report
        fields = [
            "id",
            "number",
            "report_type",
            "status",
            "description",
            "latitude",
            "longitude",
            "address",
            "attributes",
            "source",
            "requested_at",
            "updated_at",
            "expected_at",
            "public_note",
            "assigned_to",
            "duplicate_of",
        ]
        read_only_fields = fields


class ReportStatusRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[s for s in ReportStatus.values if s != ReportStatus.DUPLICATE])
    public_note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReportUpdateSerializer(serializers.ModelSerializer):
    public_note = serializers.CharField(
        source="note", read_only=True
    )  # system notes in the reader's language

    class Meta:
        model = ReportUpdate
        fields = ["id", "report", "status", "public_note", "actor", "at"]
        read_only_fields = fields


class Open311ClientSerializer(serializers.ModelSerializer):
    """Client applications, without their keys (issued and read in the admin)."""

    class Meta:
        model = Open311Client
        fields = ["id", "name", "is_active", "created_at"]
        read_only_fields = fields


class ServiceAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceArea
        fields = ["id", "name", "settlement", "radius_km", "polygon", "report_type_codes", "is_active"]
        read_only_fields = fields
