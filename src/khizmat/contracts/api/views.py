"""Read-only API of municipal orders, for both sides: the enterprise's members read its contracts, a local
government's members (``contracts.oversee``) read the contracts it ordered from an enterprise it oversees — the same
rule as the pages (``khizmat.contracts.selectors``), inside the same widened scope."""

from rest_framework import mixins

from khizmat.api.base import TenantViewSet
from khizmat.contracts import selectors
from khizmat.contracts.api import serializers as s
from khizmat.contracts.models import Act, ActLine, Contract, WorkItem, WorkRecord
from khizmat.tenancy.scoping import scope

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class CounterpartyViewSet(*_READ, TenantViewSet):
    permission = "contracts.view"
    visible = None  # a selector: membership → queryset

    def dispatch(self, request, *args, **kwargs):
        membership = getattr(request, "membership", None)
        if membership is None:
            return super().dispatch(request, *args, **kwargs)
        with scope(organization=selectors.contract_scope_ids(membership, request.visible_organization_ids)):
            return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        queryset = type(self).visible(self.request._request.membership)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset.order_by(*(self.ordering or ("-pk",)))


class ContractViewSet(CounterpartyViewSet):
    queryset = Contract.objects.none()
    serializer_class = s.ContractSerializer
    visible = selectors.contracts_visible_to
    filterset_fields = ["status", "customer"]
    ordering = ("-starts_on", "number")


class WorkItemViewSet(CounterpartyViewSet):
    queryset = WorkItem.objects.none()
    serializer_class = s.WorkItemSerializer
    visible = selectors.work_items_visible_to
    filterset_fields = ["contract", "unit", "source"]
    ordering = ("contract", "code")


class WorkRecordViewSet(CounterpartyViewSet):
    queryset = WorkRecord.objects.none()
    serializer_class = s.WorkRecordSerializer
    visible = selectors.work_records_visible_to
    filterset_fields = {"work_item": ["exact"], "date": ["gte", "lte"], "is_correction": ["exact"]}
    ordering = ("-date", "-pk")


class ActViewSet(CounterpartyViewSet):
    queryset = Act.objects.none()
    serializer_class = s.ActSerializer
    visible = selectors.acts_visible_to
    filterset_fields = ["contract", "status", "month"]
    ordering = ("-month", "contract")


class ActLineViewSet(CounterpartyViewSet):
    queryset = ActLine.objects.none()
    serializer_class = s.ActLineSerializer
    visible = selectors.act_lines_visible_to
    filterset_fields = ["act", "status"]
    ordering = ("act", "work_item")
