from rest_framework import serializers

from khizmat.queue.models import Counter, QueueScreen, QueueTicket, ServiceGroup


class ServiceGroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceGroup
        fields = ["id", "letter", "name", "is_active"]
        read_only_fields = fields


class CounterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Counter
        fields = ["id", "number", "group_letters", "is_active"]
        read_only_fields = fields


class QueueTicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = QueueTicket
        fields = [
            "id",
            "code",
            "group",
            "day",
            "status",
            "issued_at",
            "called_at",
            "serving_started_at",
            "finished_at",
            "call_count",
            "counter",
            "operator",
            "application",
        ]
        read_only_fields = fields


class TicketIssueSerializer(serializers.Serializer):
    group = serializers.IntegerField(min_value=1)


class QueueScreenSerializer(serializers.ModelSerializer):
    """Screens without their secret link: managers read it in the web UI only."""

    class Meta:
        model = QueueScreen
        fields = ["id", "kind", "name", "language", "counter", "is_active"]
        read_only_fields = fields
