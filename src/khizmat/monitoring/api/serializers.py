from rest_framework import serializers

from khizmat.monitoring.models import Indicator, IndicatorResult, IndicatorTarget, MeasureValue


class MeasureValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureValue
        fields = ["id", "organization", "measure", "granularity", "start", "bucket", "total", "count"]
        read_only_fields = fields


class KpiDefinitionSerializer(serializers.Serializer):
    code = serializers.CharField()
    section = serializers.CharField()
    label = serializers.CharField()
    formula = serializers.CharField()
    unit = serializers.CharField()
    better = serializers.CharField(help_text="higher, lower or empty: which way is good")
    has_records = serializers.BooleanField(help_text="whether /monitoring/records/<code>/ lists the records")


class KpiRowSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="the group's id (organization, district, region…) or pilot/others")
    label = serializers.CharField()
    organizations = serializers.IntegerField()
    currency = serializers.CharField(allow_blank=True)
    values = serializers.DictField(
        child=serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    )


class KpiMonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    values = serializers.DictField(
        child=serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    )


class ResultsSerializer(serializers.Serializer):
    section = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    group = serializers.CharField()
    organizations = serializers.ListField(child=serializers.IntegerField())
    total = KpiRowSerializer(allow_null=True)
    rows = KpiRowSerializer(many=True)
    series = KpiMonthSerializer(many=True)


class OpenDataSerializer(serializers.Serializer):
    published = serializers.BooleanField()
    url = serializers.CharField(read_only=True, help_text="the public page, when published")


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "kpi", "unit", "description"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "kpi": {"required": False},
            "unit": {"required": False},
            "description": {"required": False},
        }
        validators = []  # the service checks the code's uniqueness, with a translated reason


class IndicatorTargetSerializer(serializers.ModelSerializer):
    baseline = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    target = serializers.CharField(required=False, allow_blank=True, allow_null=True)

    class Meta:
        model = IndicatorTarget
        fields = ["id", "indicator", "site", "baseline", "baseline_date", "target", "target_date"]
        read_only_fields = ["id"]
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for name in ("baseline", "target"):
            value = getattr(instance, name)
            data[name] = None if value is None else str(value)
        return data


class IndicatorResultSerializer(serializers.ModelSerializer):
    value = serializers.CharField()

    class Meta:
        model = IndicatorResult
        fields = ["id", "indicator", "site", "as_of", "value", "source"]
        read_only_fields = ["id"]
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["value"] = str(instance.value)
        return data
