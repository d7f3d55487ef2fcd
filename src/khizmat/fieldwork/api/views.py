"""Read-only API of the field-work reference data (routes, trips and orders come with their pages)."""

from rest_framework import mixins

from khizmat.api.base import TenantViewSet
from khizmat.fieldwork.api import serializers as s
from khizmat.fieldwork.models import CollectionPoint, Facility, PickupDay, Vehicle, VehicleService

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class VehicleViewSet(*_READ, TenantViewSet):
    queryset = Vehicle.objects.none()
    serializer_class = s.VehicleSerializer
    permission = "fieldwork.view"
    filterset_fields = ["kind", "status"]
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
