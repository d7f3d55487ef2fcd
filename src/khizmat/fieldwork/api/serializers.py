from rest_framework import serializers

from khizmat.api.masking import MaskedFieldsMixin
from khizmat.fieldwork.models import (
    CollectionPoint,
    CrewMember,
    DriverEvent,
    Facility,
    PickupDay,
    Route,
    RoutePlan,
    RouteStop,
    Trip,
    TripLoad,
    Vehicle,
    VehicleService,
)
from khizmat.inventory.choices import EquipmentStatus


class VehicleSerializer(serializers.ModelSerializer):
    """A vehicle with the fields of its equipment record (the inventory keeps its make and model, funder project
    and status)."""

    make_model = serializers.CharField(source="equipment.model", read_only=True)
    funder_project = serializers.PrimaryKeyRelatedField(source="equipment.funder_project", read_only=True)
    status = serializers.ChoiceField(
        source="equipment.status", choices=EquipmentStatus.choices, read_only=True
    )

    class Meta:
        model = Vehicle
        fields = [
            "id",
            "equipment",
            "plate",
            "kind",
            "make_model",
            "year",
            "capacity_m3",
            "capacity_kg",
            "fuel_norm",
            "funder_project",
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
            "open_from",
            "open_until",
            "is_public_area",
            "is_active",
        ]
        read_only_fields = fields


class PickupDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = PickupDay
        fields = ["id", "settlement", "street", "weekday", "shift"]
        read_only_fields = fields


class CrewMemberSerializer(MaskedFieldsMixin, serializers.ModelSerializer):
    masked_fields = {"phone": "phone"}

    class Meta:
        model = CrewMember
        fields = ["id", "vehicle", "name", "position", "user", "phone", "is_active"]
        read_only_fields = fields


class RoutePlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoutePlan
        fields = [
            "id",
            "date",
            "scope",
            "status",
            "vehicle_ids",
            "point_count",
            "max_seconds",
            "shift_minutes",
            "shift_start",
            "progress",
            "requested_at",
            "finished_at",
            "planned_distance_m",
            "planned_duration_s",
            "manual_distance_m",
            "manual_duration_s",
            "solver_seconds",
            "feasible",
            "result",
            "violations",
            "error",
        ]
        read_only_fields = fields


class RouteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Route
        fields = [
            "id",
            "date",
            "vehicle",
            "driver",
            "source",
            "status",
            "plan",
            "planned_distance_m",
            "planned_duration_s",
        ]
        read_only_fields = fields


class RouteStopSerializer(serializers.ModelSerializer):
    class Meta:
        model = RouteStop
        fields = [
            "id",
            "route",
            "point",
            "sequence",
            "trip_number",
            "status",
            "skip_reason",
            "note",
            "marked_at",
            "report",
        ]
        read_only_fields = fields


class TripSerializer(serializers.ModelSerializer):
    class Meta:
        model = Trip
        fields = [
            "id",
            "route",
            "vehicle",
            "driver",
            "date",
            "started_at",
            "ended_at",
            "odometer_start_km",
            "odometer_end_km",
            "distance_km",
            "fuel_litres",
            "notes",
        ]
        read_only_fields = fields


class TripLoadSerializer(serializers.ModelSerializer):
    class Meta:
        model = TripLoad
        fields = ["id", "trip", "facility", "unloaded_at", "volume_m3", "weight_kg"]
        read_only_fields = fields


class DriverEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = DriverEvent
        fields = [
            "id",
            "client_id",
            "route",
            "kind",
            "payload",
            "recorded_at",
            "received_at",
            "received_from",
        ]
        read_only_fields = fields
