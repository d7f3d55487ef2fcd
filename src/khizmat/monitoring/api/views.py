"""Monitoring API: the stored measures of the organizations the caller may read (a monitor: its region or country)."""

from rest_framework import mixins

from khizmat.api.base import TenantViewSet
from khizmat.monitoring.api import serializers as s
from khizmat.monitoring.models import MeasureValue


class MeasureValueViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    """Stored values per organization, measure and day or month — the raw material of every KPI."""

    queryset = MeasureValue.objects.none()
    serializer_class = s.MeasureValueSerializer
    permission = "monitoring.dashboard"
    filterset_fields = {
        "organization": ["exact"],
        "measure": ["exact"],
        "granularity": ["exact"],
        "start": ["gte", "lte"],
    }

    def get_queryset(self):
        return MeasureValue.objects.filter(
            organization_id__in=self.request._request.visible_organization_ids
        ).order_by("organization_id", "measure", "granularity", "start", "bucket")
