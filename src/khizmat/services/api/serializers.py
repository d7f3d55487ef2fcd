from django.conf import settings
from rest_framework import serializers

from khizmat.api.masking import MaskedFieldsMixin
from khizmat.core.fieldrules import PHONE_API_HELP
from khizmat.services.choices import FeeStatus
from khizmat.services.models import Application, ApplicationDocument, ApplicationTransition, Service
from khizmat.services.workflow import TRANSITIONS


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = [
            "id",
            "code",
            "name",
            "description",
            "category",
            "required_documents",
            "fee",
            "currency",
            "deadline_working_days",
            "responsible_agency",
            "channel",
            "is_active",
            "is_template",
            "template_code",
        ]
        read_only_fields = fields


class ApplicationSerializer(MaskedFieldsMixin, serializers.ModelSerializer):
    masked_fields = {"applicant_id_number": "id_number", "applicant_phone": "phone"}

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "service",
            "status",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_address",
            "applicant_language",
            "fee_amount",
            "currency",
            "fee_status",
            "received_at",
            "due_date",
            "decided_at",
            "finished_at",
            "registered_by",
            "assigned_to",
        ]
        read_only_fields = fields


class ApplicationRegisterSerializer(serializers.Serializer):
    service = serializers.IntegerField(min_value=1)
    applicant_name = serializers.CharField(max_length=255)
    applicant_id_number = serializers.CharField(max_length=20)
    applicant_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default="", help_text=PHONE_API_HELP
    )
    applicant_address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    applicant_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, default="uz")
    fee_status = serializers.ChoiceField(
        choices=[FeeStatus.DUE, FeeStatus.PAID, FeeStatus.EXEMPT], required=False, default=FeeStatus.DUE
    )


class TransitionRequestSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=sorted(TRANSITIONS))
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReassignRequestSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(min_value=1)


class ApplicationTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationTransition
        fields = ["id", "application", "from_status", "to_status", "actor", "at", "comment"]
        read_only_fields = fields


class ApplicationDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationDocument
        fields = ["id", "application", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
        read_only_fields = fields
