from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from khizmat.api.fields import ChoiceOrNullField
from khizmat.api.masking import MaskedFieldsMixin
from khizmat.core.fieldrules import PHONE_API_HELP
from khizmat.fieldwork.choices import CrewPosition, ServiceKind
from khizmat.fieldwork.models import (
    CollectionPoint,
    CrewMember,
    DriverEvent,
    Facility,
    FuelRecord,
    MaintenanceRule,
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
from khizmat.tenancy.choices import Currency

# An id in a request body: looked up by the view within the caller's organization (another's answers 422).
ID = {"min_value": 1, "max_value": 2**63 - 1}
LOCAL_CURRENCY_HELP = _("Empty: the organization's currency (the only one its amounts are in).")


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


@extend_schema_serializer(component_name="Vehicle")  # VehicleRequest: its enums keep one name
class VehicleChangeSerializer(serializers.ModelSerializer):
    """A vehicle's fields to write, its own and those its equipment record keeps (make and model, funder project,
    cost…): read here, checked and saved by ``services.vehicle_create`` / ``vehicle_update``."""

    make_model = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("Empty: the registration plate.")
    )
    funder_project = serializers.IntegerField(
        **ID,
        required=False,
        allow_null=True,
        help_text=_("The id of the funder project (an organization) that gave the vehicle, if one did."),
    )
    serial_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    inventory_number = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text=_("Empty: the next free number.")
    )
    cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    currency = ChoiceOrNullField(
        choices=Currency.choices,  # as the vehicle form
        required=False,
        allow_blank=True,
        help_text=_("The currency of the cost; required with a cost."),
    )
    delivery_date = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Vehicle
        fields = [
            "plate",
            "kind",
            "make_model",
            "year",
            "capacity_m3",
            "capacity_kg",
            "fuel_norm",
            "funder_project",
            "serial_number",
            "inventory_number",
            "cost",
            "currency",
            "delivery_date",
            "notes",
        ]


@extend_schema_serializer(component_name="Vehicle")  # VehicleRequest: its enums keep one name
class VehicleCreateSerializer(VehicleChangeSerializer):
    status = serializers.ChoiceField(
        choices=EquipmentStatus.choices,
        required=False,
        help_text=_("In use unless told; a new vehicle is in use, broken or in repair."),
    )

    class Meta(VehicleChangeSerializer.Meta):
        fields = [*VehicleChangeSerializer.Meta.fields, "status"]


class VehicleStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=EquipmentStatus.choices)
    reason = serializers.CharField(max_length=500)


class VehicleServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = VehicleService
        fields = ["id", "vehicle", "rule", "date", "kind", "odometer_km", "cost", "currency", "description"]
        read_only_fields = fields


@extend_schema_serializer(component_name="VehicleService")  # VehicleServiceRequest: its enums keep one name
class VehicleServiceRecordSerializer(serializers.ModelSerializer):
    """An entry of a vehicle's maintenance log to write: ``services.maintenance_record`` checks it."""

    vehicle = serializers.IntegerField(**ID)
    rule = serializers.IntegerField(
        **ID,
        required=False,
        allow_null=True,
        help_text=_(
            "The id of the maintenance plan's service this entry fulfils: it is next due counted from here."
        ),
    )
    currency = ChoiceOrNullField(
        choices=Currency.choices, required=False, allow_blank=True, help_text=LOCAL_CURRENCY_HELP
    )

    class Meta:
        model = VehicleService
        fields = ["vehicle", "rule", "date", "kind", "odometer_km", "cost", "currency", "description"]


class FuelRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = FuelRecord
        fields = ["id", "vehicle", "date", "litres", "cost", "currency", "odometer_km", "note"]
        read_only_fields = fields


@extend_schema_serializer(component_name="FuelRecord")  # FuelRecordRequest: its enums keep one name
class FuelRecordCreateSerializer(serializers.ModelSerializer):
    """A refuelling to write: ``services.fuel_record_create`` checks it."""

    vehicle = serializers.IntegerField(**ID)
    currency = ChoiceOrNullField(
        choices=Currency.choices, required=False, allow_blank=True, help_text=LOCAL_CURRENCY_HELP
    )

    class Meta:
        model = FuelRecord
        fields = ["vehicle", "date", "litres", "cost", "currency", "odometer_km", "note"]


DUE_STATES = ["overdue", "soon", "ok"]  # selectors.MaintenanceDue.state


class MaintenanceRuleSerializer(serializers.ModelSerializer):
    """A service of a vehicle's maintenance plan, with when it is next due (``null`` for an inactive one). The
    viewset computes the due dates of a page's rules at once and passes them as ``due`` in the context
    (``{rule id: selectors.MaintenanceDue}``)."""

    next_date = serializers.SerializerMethodField(
        help_text=_("The day it is next due (counted from the last log entry that fulfilled it).")
    )
    next_km = serializers.SerializerMethodField(help_text=_("The odometer reading it is next due at."))
    state = serializers.SerializerMethodField(
        help_text=_("overdue, soon (within 14 days or 500 km) or ok; null for an inactive service.")
    )

    class Meta:
        model = MaintenanceRule
        fields = [
            "id",
            "vehicle",
            "name",
            "kind",
            "every_days",
            "every_km",
            "start_date",
            "start_km",
            "is_active",
            "next_date",
            "next_km",
            "state",
        ]
        read_only_fields = fields

    def _due(self, rule):
        return self.context.get("due", {}).get(rule.pk)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_next_date(self, rule):
        due = self._due(rule)
        return due.next_date if due else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_next_km(self, rule):
        due = self._due(rule)
        return due.next_km if due else None

    @extend_schema_field(ChoiceOrNullField(choices=DUE_STATES, allow_blank=True))
    def get_state(self, rule):
        due = self._due(rule)
        return due.state if due else None


@extend_schema_serializer(component_name="MaintenanceRule")  # MaintenanceRuleRequest: its enums keep one name
class MaintenanceRuleChangeSerializer(serializers.ModelSerializer):
    """A service of the maintenance plan to change: ``services.maintenance_rule_save`` checks it (at least one
    interval)."""

    class Meta:
        model = MaintenanceRule
        fields = ["name", "kind", "every_days", "every_km", "start_date", "start_km", "is_active"]
        extra_kwargs = {
            "kind": {"default": ServiceKind.SERVICE},  # not applied to a partial change
            "start_date": {"required": False, "help_text": _("Empty: today.")},
        }


@extend_schema_serializer(component_name="MaintenanceRule")  # MaintenanceRuleRequest: its enums keep one name
class MaintenanceRuleCreateSerializer(MaintenanceRuleChangeSerializer):
    vehicle = serializers.IntegerField(**ID)

    class Meta(MaintenanceRuleChangeSerializer.Meta):
        fields = ["vehicle", *MaintenanceRuleChangeSerializer.Meta.fields]


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


@extend_schema_serializer(component_name="CrewMember")  # CrewMemberRequest: its enums keep one name
class CrewMemberWriteSerializer(serializers.ModelSerializer):
    """A crew member to write: ``services.crew_member_save`` checks it. On a change, a given ``vehicle`` moves them."""

    vehicle = serializers.IntegerField(**ID)
    user = serializers.IntegerField(
        **ID,
        required=False,
        allow_null=True,
        help_text=_(
            "The id of the driver's login: an active driver, dispatcher or manager of this organization."
        ),
    )
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, help_text=PHONE_API_HELP)

    class Meta:
        model = CrewMember
        fields = ["vehicle", "name", "position", "user", "phone", "is_active"]
        extra_kwargs = {"position": {"default": CrewPosition.DRIVER}}  # not applied to a partial change


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
