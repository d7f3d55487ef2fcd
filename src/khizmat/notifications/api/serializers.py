from rest_framework import serializers

from khizmat.notifications.models import SmsMessage


class SmsMessageSerializer(serializers.ModelSerializer):
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
