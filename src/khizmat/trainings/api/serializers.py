from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from khizmat.api.masking import MaskedFieldsMixin
from khizmat.core.fieldrules import PHONE_API_HELP
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.models import Organization, Settlement
from khizmat.trainings.choices import EventKind
from khizmat.trainings.models import Event, EventMaterial, Participant, ParticipantImport

EVENT_FIELDS = [
    "id",
    "organization",
    "topic",
    "kind",
    "start_date",
    "end_date",
    "settlement",
    "venue",
    "funder_project",
    "participating_organizations",
    "description",
    "status",
]


class EventSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The organizer.")
    settlement = serializers.PrimaryKeyRelatedField(
        queryset=Settlement.objects.all(), required=False, allow_null=True
    )
    funder_project = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.FUNDER_PROJECT),
        required=False,
        allow_null=True,
    )
    participating_organizations = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(is_active=True), many=True, required=False
    )

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        extra_kwargs = {"venue": {"required": False}, "description": {"required": False}}


class ParticipantSerializer(MaskedFieldsMixin, serializers.ModelSerializer):
    masked_fields = {"phone": "phone"}

    affiliation = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="The organization the participant comes from, when it is registered in Khizmat.",
    )

    class Meta:
        model = Participant
        fields = [
            "id",
            "event",
            "full_name",
            "sex",
            "affiliation",
            "affiliation_name",
            "position",
            "phone",
            "attended",
        ]
        extra_kwargs = {
            "phone": {"help_text": PHONE_API_HELP, "required": False},
            "affiliation_name": {"required": False},
            "position": {"required": False},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        organization = getattr(getattr(request, "_request", None), "organization", None)
        if "event" in self.fields and not self.fields["event"].read_only:
            self.fields["event"].queryset = (
                Event.objects.for_organization(organization) if organization else Event.objects.none()
            )


class ParticipantUpdateSerializer(ParticipantSerializer):
    class Meta(ParticipantSerializer.Meta):
        read_only_fields = ["event"]


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.BooleanField()


class EventMaterialSerializer(serializers.ModelSerializer):
    file = serializers.FileField(
        write_only=True, help_text="PDF, DOCX, PPTX, XLSX, JPEG or PNG, at most 25 MB (typed by its content)."
    )

    class Meta:
        model = EventMaterial
        fields = [
            "id",
            "event",
            "title",
            "file",
            "original_name",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
        ]
        read_only_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        organization = getattr(getattr(request, "_request", None), "organization", None)
        self.fields["event"].queryset = (
            Event.objects.for_organization(organization) if organization else Event.objects.none()
        )


IMPORT_FIELDS = [
    "id",
    "event",
    "file_name",
    "status",
    "headers",
    "columns",
    "row_count",
    "errors",
    "imported_count",
    "uploaded_by",
    "uploaded_at",
    "imported_at",
    "task",
    "progress",
    "failure",
]


class ParticipantImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParticipantImport
        fields = IMPORT_FIELDS
        read_only_fields = IMPORT_FIELDS


class ParticipantImportUploadSerializer(serializers.Serializer):
    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.none())
    file = serializers.FileField(
        help_text="The participant list, an Excel workbook (.xlsx) like the template."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        organization = getattr(getattr(request, "_request", None), "organization", None)
        if organization is not None:
            self.fields["event"].queryset = Event.objects.for_organization(organization)


class CountsQuerySerializer(serializers.Serializer):
    funder_project = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(kind=OrganizationKind.FUNDER_PROJECT), required=False
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)


class SexCountsSerializer(serializers.Serializer):
    registered_female = serializers.IntegerField()
    registered_male = serializers.IntegerField()
    registered = serializers.IntegerField()
    attended_female = serializers.IntegerField()
    attended_male = serializers.IntegerField()
    attended = serializers.IntegerField()


class EventCountsSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="event_id")
    organization = serializers.IntegerField(source="organization_id")
    topic = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    funder_project = serializers.IntegerField(source="funder_project_id", allow_null=True)
    counts = serializers.SerializerMethodField()

    @extend_schema_field(SexCountsSerializer)
    def get_counts(self, row):
        return row.counts.as_dict()


class OrganizationCountsSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id", allow_null=True)
    name = serializers.CharField()
    counts = serializers.SerializerMethodField()

    @extend_schema_field(SexCountsSerializer)
    def get_counts(self, row):
        return row.counts.as_dict()


class ParticipantCountsSerializer(serializers.Serializer):
    totals = serializers.SerializerMethodField()
    events = EventCountsSerializer(many=True)
    by_organization = OrganizationCountsSerializer(many=True)

    @extend_schema_field(SexCountsSerializer)
    def get_totals(self, result):
        return result.totals.as_dict()
