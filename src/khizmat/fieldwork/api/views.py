"""API of field work: the fleet (vehicles, their maintenance plan and log, fuel, crews) is written through the
services, as on the fleet pages; the reference data, routes and trips are read-only here."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_filters import filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet, validated_input
from khizmat.api.filters import KhizmatFilterSet
from khizmat.core.errors import DomainError
from khizmat.fieldwork import selectors, services
from khizmat.fieldwork.api import serializers as s
from khizmat.fieldwork.choices import VehicleKind
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
from khizmat.tenancy.mixins import PersonalDataViewSetMixin

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


def _own_vehicle(organization, pk) -> Vehicle:
    """A vehicle of the organization named by its id in the body; another organization's is refused as unknown."""
    vehicle = Vehicle.objects.for_organization(organization).select_related("equipment").filter(pk=pk).first()
    if vehicle is None:
        raise DomainError(_("No such vehicle in your organization."), code="unknown_vehicle", field="vehicle")
    return vehicle


class VehicleFilter(KhizmatFilterSet):
    # Declared, not derived from the model: a derived filter reads the scoped manager when the class is built.
    kind = filters.ChoiceFilter(choices=VehicleKind.choices)
    status = filters.ChoiceFilter(field_name="equipment__status", choices=EquipmentStatus.choices)

    class Meta:
        model = Vehicle
        fields: list[str] = []


class VehicleViewSet(*_READ, TenantViewSet):
    """Vehicles with their equipment record's make and model, funder project and status. A vehicle and its equipment
    record are written together; its status changes with the ``status`` action, kept in the inventory's history."""

    queryset = Vehicle.objects.none()
    serializer_class = s.VehicleSerializer
    permission = "fieldwork.view"
    write_permission = "fieldwork.manage"
    filterset_class = VehicleFilter
    select_related = ("equipment",)
    ordering = ("plate",)

    def _answer(self, vehicle, *, created: bool = False) -> Response:
        vehicle = self.get_queryset().get(
            pk=vehicle.pk
        )  # as a read shows it, the equipment record's fields fresh
        return Response(
            s.VehicleSerializer(vehicle).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=s.VehicleCreateSerializer, responses={201: s.VehicleSerializer})
    def create(self, request):
        data = validated_input(request, s.VehicleCreateSerializer)
        vehicle = services.vehicle_create(actor=request.user, organization=self.organization, **data)
        return self._answer(vehicle, created=True)

    @extend_schema(request=s.VehicleChangeSerializer, responses={200: s.VehicleSerializer})
    def partial_update(self, request, pk=None):
        vehicle = self.get_object()
        data = validated_input(request, s.VehicleChangeSerializer, partial=True)
        vehicle = services.vehicle_update(actor=request.user, vehicle=vehicle, **data)
        return self._answer(vehicle)

    @extend_schema(request=s.VehicleStatusSerializer, responses={200: s.VehicleSerializer})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Change a vehicle's status.

        The new status and why (in use, broken, in repair, written off): its equipment record's status, kept with
        who, when and why. A vehicle not in use is not offered to the route planner; a written-off one stays
        written off (409)."""
        vehicle = self.get_object()
        data = validated_input(request, s.VehicleStatusSerializer)
        services.vehicle_status_change(
            actor=request.user, vehicle=vehicle, status=data["status"], reason=data["reason"]
        )
        return self._answer(vehicle)


class VehicleServiceViewSet(*_READ, TenantViewSet):
    """The vehicles' maintenance log. An entry that names a service of the maintenance plan (``rule``) counts that
    service again from its date."""

    queryset = VehicleService.objects.none()
    serializer_class = s.VehicleServiceSerializer
    permission = "fieldwork.view"
    write_permission = "fieldwork.manage"
    filterset_fields = {"vehicle": ["exact"], "rule": ["exact"], "date": ["gte", "lte"], "kind": ["exact"]}
    ordering = ("-date", "-pk")

    @extend_schema(request=s.VehicleServiceRecordSerializer, responses={201: s.VehicleServiceSerializer})
    def create(self, request):
        data = validated_input(request, s.VehicleServiceRecordSerializer)
        vehicle = _own_vehicle(self.organization, data.pop("vehicle"))
        rule_id = data.pop("rule", None)
        rule = None
        if rule_id is not None:
            rule = MaintenanceRule.objects.for_organization(self.organization).filter(pk=rule_id).first()
            if rule is None:
                raise DomainError(
                    _("No such service in the maintenance plan."), code="unknown_rule", field="rule"
                )
        entry = services.maintenance_record(actor=request.user, vehicle=vehicle, rule=rule, **data)
        return Response(s.VehicleServiceSerializer(entry).data, status=status.HTTP_201_CREATED)


class FuelRecordViewSet(*_READ, TenantViewSet):
    """Refuellings of the vehicles: litres, cost and the odometer then."""

    queryset = FuelRecord.objects.none()
    serializer_class = s.FuelRecordSerializer
    permission = "fieldwork.view"
    write_permission = "fieldwork.manage"
    filterset_fields = {"vehicle": ["exact"], "date": ["gte", "lte"]}
    ordering = ("-date", "-pk")

    @extend_schema(request=s.FuelRecordCreateSerializer, responses={201: s.FuelRecordSerializer})
    def create(self, request):
        data = validated_input(request, s.FuelRecordCreateSerializer)
        vehicle = _own_vehicle(self.organization, data.pop("vehicle"))
        record = services.fuel_record_create(actor=request.user, vehicle=vehicle, **data)
        return Response(s.FuelRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class MaintenanceRuleViewSet(*_READ, TenantViewSet):
    """The vehicles' maintenance plan: each service every so many days or kilometres, whichever comes first, with
    when it is next due (``next_date``, ``next_km``) and whether it is overdue, due soon or fine (``state``)."""

    queryset = MaintenanceRule.objects.none()
    serializer_class = s.MaintenanceRuleSerializer
    permission = "fieldwork.view"
    write_permission = "fieldwork.manage"
    filterset_fields = ["vehicle", "kind", "is_active"]
    select_related = ("vehicle",)
    ordering = ("vehicle", "name")
    FIELDS = ("name", "kind", "every_days", "every_km", "start_date", "start_km", "is_active")

    def _serialize(self, rules: list[MaintenanceRule], *, many: bool):
        """The rules with their due dates, computed once for all of them (one selector call for the page)."""
        due = {}
        if rules:
            vehicle_ids = {rule.vehicle_id for rule in rules}
            due = {
                item.rule.pk: item
                for item in selectors.maintenance_due(organization=self.organization, vehicle_ids=vehicle_ids)
            }
        context = {**self.get_serializer_context(), "due": due}
        return s.MaintenanceRuleSerializer(rules if many else rules[0], many=many, context=context).data

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is not None:
            return self.get_paginated_response(self._serialize(list(page), many=True))
        return Response(self._serialize(list(queryset), many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._serialize([self.get_object()], many=False))

    @extend_schema(request=s.MaintenanceRuleCreateSerializer, responses={201: s.MaintenanceRuleSerializer})
    def create(self, request):
        data = validated_input(request, s.MaintenanceRuleCreateSerializer)
        vehicle = _own_vehicle(self.organization, data.pop("vehicle"))
        rule = services.maintenance_rule_save(actor=request.user, vehicle=vehicle, **data)
        return Response(self._serialize([rule], many=False), status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MaintenanceRuleChangeSerializer, responses={200: s.MaintenanceRuleSerializer})
    def partial_update(self, request, pk=None):
        rule = self.get_object()
        data = validated_input(request, s.MaintenanceRuleChangeSerializer, partial=True)
        values = {name: getattr(rule, name) for name in self.FIELDS} | data  # what is not given stays
        rule = services.maintenance_rule_save(actor=request.user, vehicle=rule.vehicle, rule=rule, **values)
        return Response(self._serialize([rule], many=False))


class FacilityViewSet(*_READ, TenantViewSet):
    queryset = Facility.objects.none()
    serializer_class = s.FacilitySerializer
    permission = "fieldwork.view"
    filterset_fields = ["kind", "is_active"]
    ordering = ("kind", "name")


class CollectionPointViewSet(*_READ, TenantViewSet):
    queryset = CollectionPoint.objects.none()
    serializer_class = s.CollectionPointSerializer
    permission = "fieldwork.view"
    filterset_fields = ["settlement", "kind", "is_active"]
    ordering = ("code",)


class PickupDayViewSet(*_READ, TenantViewSet):
    queryset = PickupDay.objects.none()
    serializer_class = s.PickupDaySerializer
    permission = "fieldwork.view"
    filterset_fields = ["settlement", "weekday", "shift"]
    ordering = ("settlement", "street", "weekday", "shift")


class CrewMemberViewSet(PersonalDataViewSetMixin, *_READ, TenantViewSet):
    """The vehicles' crews: drivers (whose login shows them the vehicle's routes) and loaders. Phones are masked
    except in the detail answer of a role that may see personal data in full."""

    queryset = CrewMember.objects.none()
    serializer_class = s.CrewMemberSerializer
    permission = "fieldwork.view"
    write_permission = "fieldwork.manage"
    filterset_fields = ["vehicle", "position", "is_active"]
    ordering = ("vehicle", "position", "name")

    def _save(self, request, data: dict, member: CrewMember | None = None) -> CrewMember:
        vehicle = (
            _own_vehicle(self.organization, data.pop("vehicle")) if "vehicle" in data else member.vehicle
        )
        if isinstance(data.get("user"), int):  # an id from the body; a kept login is the user itself
            data["user"] = get_user_model().objects.filter(pk=data["user"]).first()
            if data["user"] is None:
                raise DomainError(
                    _("This login is not a driver of this organization."), code="not_a_driver", field="user"
                )
        return services.crew_member_save(actor=request.user, vehicle=vehicle, member=member, **data)

    @extend_schema(request=s.CrewMemberWriteSerializer, responses={201: s.CrewMemberSerializer})
    def create(self, request):
        member = self._save(request, validated_input(request, s.CrewMemberWriteSerializer))
        return Response(self.get_serializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CrewMemberWriteSerializer, responses={200: s.CrewMemberSerializer})
    def partial_update(self, request, pk=None):
        member = self.get_object()
        data = validated_input(request, s.CrewMemberWriteSerializer, partial=True)
        kept = {name: getattr(member, name) for name in ("name", "position", "user", "phone", "is_active")}
        member = self._save(request, kept | data, member)
        return Response(self.get_serializer(member).data)


class RoutePlanViewSet(*_READ, TenantViewSet):
    queryset = RoutePlan.objects.none()
    serializer_class = s.RoutePlanSerializer
    permission = "fieldwork.view"
    filterset_fields = {"date": ["exact", "gte", "lte"], "status": ["exact"]}
    ordering = ("-requested_at", "-pk")


class RouteViewSet(*_READ, TenantViewSet):
    queryset = Route.objects.none()
    serializer_class = s.RouteSerializer
    permission = "fieldwork.view"
    filterset_fields = {"date": ["exact", "gte", "lte"], "vehicle": ["exact"], "status": ["exact"]}
    ordering = ("-date", "vehicle")


class RouteStopViewSet(*_READ, TenantViewSet):
    queryset = RouteStop.objects.none()
    serializer_class = s.RouteStopSerializer
    permission = "fieldwork.view"
    filterset_fields = ["route", "status", "skip_reason"]
    ordering = ("route", "sequence")


class TripViewSet(*_READ, TenantViewSet):
    queryset = Trip.objects.none()
    serializer_class = s.TripSerializer
    permission = "fieldwork.view"
    filterset_fields = {"date": ["exact", "gte", "lte"], "vehicle": ["exact"]}
    ordering = ("-date", "vehicle")


class TripLoadViewSet(*_READ, TenantViewSet):
    queryset = TripLoad.objects.none()
    serializer_class = s.TripLoadSerializer
    permission = "fieldwork.view"
    filterset_fields = {"trip": ["exact"], "facility": ["exact"], "unloaded_at": ["gte", "lte"]}
    ordering = ("-unloaded_at", "-pk")


class DriverEventViewSet(*_READ, TenantViewSet):
    queryset = DriverEvent.objects.none()
    serializer_class = s.DriverEventSerializer
    permission = "fieldwork.view"
    filterset_fields = ["route", "kind"]
    ordering = ("-received_at", "-pk")
