from rest_framework import serializers

from khizmat.fieldwork.models import CollectionPoint, Facility, PickupDay, Vehicle, VehicleService


class VehicleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vehicle
        fields = [
            "id",
            "plate",
            "kind",
            "make_model",
            "year",
            "capacity_m3",
            "capacity_kg",
            "fuel_norm",
            "donor",
            "status",
            "notes",
        ]
        read_only_fields = fields


class VehicleServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = VehicleService
        fields = ["id", "vehicle", "date", "kind", "odometer_km", "cost", "currency", "description"]
        read_only_fields = fields


class FacilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "kind", "name", "latitude", "longitude", "unload_minutes", "is_active"]
        read_only_fields = fields


class CollectionPointSerializer(serializers.ModelSerializer):
    expected_m3 = serializers.DecimalField(max_digits=9, decimal_places=2, read_only=True)

    class Meta:
        model = CollectionPoint
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "settlement",
            "street",
            "latitude",
            "longitude",
            "containers",
            "container_m3",
            "fill_percent",
            "expected_m3",
            "service_minutes",
            "is_active",
        ]
        read_only_fields = fields


class PickupDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = PickupDay
        fields = ["id", "settlement", "street", "weekday", "shift"]
        read_only_fields = fields
