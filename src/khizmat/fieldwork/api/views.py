"""Read-only API of the field-work reference data (routes, trips and orders come with their pages)."""

from django_filters import filters
from rest_framework import mixins

from khizmat.api.base import TenantViewSet
from khizmat.api.filters import KhizmatFilterSet
from khizmat.fieldwork.api import serializers as s
from khizmat.fieldwork.choices import VehicleKind
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
from khizmat.tenancy.mixins import PersonalDataViewSetMixin

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class VehicleFilter(KhizmatFilterSet):
    # Declared, not derived from the model: a derived filter reads the scoped manager when the class is built.
    kind = filters.ChoiceFilter(choices=VehicleKind.choices)
    status = filters.ChoiceFilter(field_name="equipment__status", choices=EquipmentStatus.choices)

    class Meta:
        model = Vehicle
        fields: list[str] = []


class VehicleViewSet(*_READ, TenantViewSet):
    """Vehicles with their equipment record's make and model, funder project and status; the status changes through
    the inventory (``POST /api/v1/equipment/{equipment}/status/``)."""

    queryset = Vehicle.objects.none()
    serializer_class = s.VehicleSerializer
    permission = "fieldwork.view"
    filterset_class = VehicleFilter
    select_related = ("equipment",)
    ordering = ("plate",)


class VehicleServiceViewSet(*_READ, TenantViewSet):
    queryset = VehicleService.objects.none()
    serializer_class = s.VehicleServiceSerializer
    permission = "fieldwork.view"
    filterset_fields = {"vehicle": ["exact"], "date": ["gte", "lte"], "kind": ["exact"]}
    ordering = ("-date", "-pk")


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
    queryset = CrewMember.objects.none()
    serializer_class = s.CrewMemberSerializer
    permission = "fieldwork.view"
    filterset_fields = ["vehicle", "position", "is_active"]
    ordering = ("vehicle", "position", "name")


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
