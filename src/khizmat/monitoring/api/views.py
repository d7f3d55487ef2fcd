"""Monitoring API: the stored measures of the organizations the caller may read (a monitor: its region or country)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet
from khizmat.api.schema import KhizmatAutoSchema
from khizmat.monitoring import dashboard as dashboards
from khizmat.monitoring import registry, selectors, services
from khizmat.monitoring.api import serializers as s
from khizmat.monitoring.models import (
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    MeasureValue,
    OpenDataPublication,
)


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


class OneAnswerSchema(KhizmatAutoSchema):
    """The "list" of these endpoints is one object (the figures, the setting), not an array of rows."""

    def _is_list_view(self, serializer=None):
        return False


class KpiDefinitionViewSet(TenantViewSet):
    """Every KPI: its code, area, name, formula and unit, in the caller's language."""

    queryset = MeasureValue.objects.none()
    permission = "monitoring.dashboard"
    serializer_class = s.KpiDefinitionSerializer
    pagination_class = None

    @extend_schema(responses=s.KpiDefinitionSerializer(many=True))
    def list(self, request):
        data = [
            {
                "code": kpi.code,
                "section": kpi.section,
                "label": str(kpi.label),
                "formula": str(kpi.formula),
                "unit": kpi.unit,
                "better": kpi.better,
                "has_records": kpi.records is not None,
            }
            for kpi in registry.kpis()
        ]
        return Response(s.KpiDefinitionSerializer(data, many=True).data)


_FILTERS = [
    OpenApiParameter("section", str, description="service_center, billing, reports or fieldwork"),
    OpenApiParameter("start", str, description="first month, YYYY-MM (default: 11 months before this one)"),
    OpenApiParameter("end", str, description="last month, YYYY-MM (default: this month)"),
    OpenApiParameter(
        "group",
        str,
        description="organization, settlement, district, region, country, funder_project or pilot",
    ),
    OpenApiParameter("region", int),
    OpenApiParameter("district", int),
    OpenApiParameter("project", int, description="a funder project: its pilot sites"),
    OpenApiParameter("pilot", str, description="pilot or others"),
    OpenApiParameter("organization", int),
]


class ResultsViewSet(TenantViewSet):
    """The dashboards' figures: each KPI of an area per group of sites, in total and month by month — the same
    filters and the same numbers as the page /monitoring/."""

    queryset = MeasureValue.objects.none()
    permission = "monitoring.dashboard"
    serializer_class = s.ResultsSerializer
    schema = OneAnswerSchema()
    pagination_class = None

    @extend_schema(parameters=_FILTERS, responses=s.ResultsSerializer)
    def list(self, request):
        django_request = request._request
        board = dashboards.build(
            scope=dashboards.scope_ids(django_request.membership, django_request.visible_organization_ids),
            params=request.query_params,
            organization=django_request.organization,
        )
        if board.form.errors:
            raise ValidationError(
                {name: [str(e) for e in errors] for name, errors in board.form.errors.items()}
            )

        def row(kpi_row):
            return {
                "key": str(kpi_row.key),
                "label": str(kpi_row.label),
                "organizations": kpi_row.organizations,
                "currency": kpi_row.currency,
                "values": kpi_row.values,
            }

        data = {
            "section": board.filters["section"],
            "start": board.filters["start"],
            "end": board.filters["end"],
            "group": board.filters["group"],
            "organizations": board.organization_ids,
            "total": row(board.headline) if board.headline else None,
            "rows": [row(r) for r in board.table],
            "series": [{"month": month, "values": values} for month, values in board.series],
        }
        return Response(s.ResultsSerializer(data).data)


class OpenDataViewSet(TenantViewSet):
    """Whether the organization publishes its open-data page (GET), and publishing or withdrawing it (POST)."""

    queryset = OpenDataPublication.objects.none()
    permission = "monitoring.publish"
    write_permission = "monitoring.publish"
    serializer_class = s.OpenDataSerializer
    schema = OneAnswerSchema()
    parser_classes = [JSONParser]
    pagination_class = None

    def _answer(self, organization):
        published = selectors.open_data_published(organization)
        url = reverse("monitoring:open_data", args=[organization.code]) if published else ""
        return {"published": published, "url": url}

    @extend_schema(responses=s.OpenDataSerializer)
    def list(self, request):
        return Response(s.OpenDataSerializer(self._answer(request._request.organization)).data)

    @extend_schema(request=s.OpenDataSerializer, responses={200: s.OpenDataSerializer})
    def create(self, request):
        data = s.OpenDataSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = request._request.organization
        services.open_data_set(
            actor=request.user, organization=organization, published=data.validated_data["published"]
        )
        return Response(s.OpenDataSerializer(self._answer(organization)).data)


class _ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet):
    permission = "monitoring.indicators.view"
    write_permission = "monitoring.indicators.manage"

    def get_queryset(self):
        return self.queryset.model.objects.filter(organization=self.organization).order_by("pk")

    def _indicator(self, pk):
        indicator = Indicator.objects.filter(organization=self.organization, pk=pk).first()
        if indicator is None:
            raise ValidationError({"indicator": [_("Choose an indicator of your project.")]})
        return indicator

    def _site(self, pk):
        site = next((site for site in selectors.pilot_sites(self.organization) if site.pk == pk), None)
        if site is None:
            raise ValidationError({"site": [_("Choose one of the project's pilot sites.")]})
        return site


class IndicatorViewSet(mixins.UpdateModelMixin, _ProjectViewSet):
    """A funder project's indicators (its results framework); writes go through the same service as the page."""

    queryset = Indicator.objects.none()
    parser_classes = [JSONParser]
    serializer_class = s.IndicatorSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @extend_schema(request=s.IndicatorSerializer, responses={201: s.IndicatorSerializer})
    def create(self, request):
        data = s.IndicatorSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        indicator = services.indicator_save(
            actor=request.user, organization=self.organization, **data.validated_data
        )
        return Response(s.IndicatorSerializer(indicator).data, status=201)

    def update(self, request, *args, partial=False, **kwargs):
        indicator = self.get_object()
        data = s.IndicatorSerializer(indicator, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = {name: getattr(indicator, name) for name in ("code", "name", "kpi", "unit", "description")}
        values.update(data.validated_data)
        indicator = services.indicator_save(
            actor=request.user, organization=self.organization, indicator=indicator, **values
        )
        return Response(s.IndicatorSerializer(indicator).data)


class IndicatorTargetViewSet(_ProjectViewSet):
    """Baselines and targets per pilot site; POST sets (or replaces) the pair of an indicator and a site."""

    queryset = IndicatorTarget.objects.none()
    parser_classes = [JSONParser]
    serializer_class = s.IndicatorTargetSerializer
    filterset_fields = ["indicator", "site"]

    @extend_schema(request=s.IndicatorTargetSerializer, responses={200: s.IndicatorTargetSerializer})
    def create(self, request):
        data = s.IndicatorTargetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        target = services.indicator_target_set(
            actor=request.user,
            indicator=self._indicator(values.pop("indicator").pk),
            site=self._site(values.pop("site").pk),
            **values,
        )
        return Response(s.IndicatorTargetSerializer(target).data)


class IndicatorResultViewSet(_ProjectViewSet):
    """Actual values typed in for indicators no KPI measures; POST records (or replaces) a site's value of a day."""

    queryset = IndicatorResult.objects.none()
    parser_classes = [JSONParser]
    serializer_class = s.IndicatorResultSerializer
    filterset_fields = {"indicator": ["exact"], "site": ["exact"], "as_of": ["gte", "lte"]}

    @extend_schema(request=s.IndicatorResultSerializer, responses={200: s.IndicatorResultSerializer})
    def create(self, request):
        data = s.IndicatorResultSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        result = services.indicator_result_record(
            actor=request.user,
            indicator=self._indicator(values.pop("indicator").pk),
            site=self._site(values.pop("site").pk),
            **values,
        )
        return Response(s.IndicatorResultSerializer(result).data)
