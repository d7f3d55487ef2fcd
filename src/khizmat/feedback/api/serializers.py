from rest_framework import serializers

from khizmat.api.masking import MaskedFieldsMixin
from khizmat.feedback.models import FeedbackCase, Rating


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["id", "score", "comment", "channel", "ticket", "application", "operator", "created_at"]
        read_only_fields = fields


class FeedbackCaseSerializer(MaskedFieldsMixin, serializers.ModelSerializer):
    masked_fields = {"citizen_phone": "phone"}

    class Meta:
        model = FeedbackCase
        fields = [
            "id",
            "kind",
            "status",
            "text",
            "citizen_name",
            "citizen_phone",
            "rating",
            "application",
            "created_at",
            "due_date",
            "answer",
            "answered_by",
            "answered_at",
        ]
        read_only_fields = fields


class AnswerRequestSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=4000)
