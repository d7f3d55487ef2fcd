from rest_framework import serializers

from khizmat.monitoring.models import MeasureValue


class MeasureValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureValue
        fields = ["id", "organization", "measure", "granularity", "start", "bucket", "total", "count"]
        read_only_fields = fields
