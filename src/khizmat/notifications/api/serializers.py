from rest_framework import serializers

from khizmat.api.masking import MaskedFieldsMixin
from khizmat.notifications.models import SmsMessage


class SmsMessageSerializer(MaskedFieldsMixin, serializers.ModelSerializer):
    masked_fields = {"phone": "phone"}

    class Meta:
        model = SmsMessage
        fields = [
            "id",
            "phone",
            "language",
            "text",
            "event",
            "reference",
            "status",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields
