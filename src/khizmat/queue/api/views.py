from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet
from khizmat.core.errors import DomainError
from khizmat.queue import services
from khizmat.queue.api import serializers as s
from khizmat.queue.models import Counter, QueueScreen, QueueTicket, ServiceGroup

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


class ServiceGroupViewSet(*_READ, TenantViewSet):
    queryset = ServiceGroup.objects.none()
    serializer_class = s.ServiceGroupSerializer
    permission = "queue.view"
    ordering = ("letter",)


class CounterViewSet(*_READ, TenantViewSet):
    queryset = Counter.objects.none()
    serializer_class = s.CounterSerializer
    permission = "queue.view"
    ordering = ("number",)


class QueueTicketViewSet(*_READ, TenantViewSet):
    queryset = QueueTicket.objects.none()
    serializer_class = s.QueueTicketSerializer
    permission = "queue.view"
    write_permission = "queue.operate"
    filterset_fields = {
        "day": ["exact", "gte", "lte"],
        "status": ["exact"],
        "group": ["exact"],
        "counter": ["exact"],
    }
    ordering_fields = ["issued_at", "pk"]
    ordering = ("-day", "-issued_at", "-pk")

    @extend_schema(request=s.TicketIssueSerializer, responses={201: s.QueueTicketSerializer})
    def create(self, request):
        serializer = s.TicketIssueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        group = ServiceGroup.objects.filter(
            organization=self.organization, pk=serializer.validated_data["group"]
        ).first()
        if group is None:
            raise DomainError(_("This queue is closed."), code="group_closed")
        ticket = services.ticket_issue(organization=self.organization, group=group)
        return Response(s.QueueTicketSerializer(ticket).data, status=status.HTTP_201_CREATED)


class QueueScreenViewSet(*_READ, TenantViewSet):
    queryset = QueueScreen.objects.none()
    serializer_class = s.QueueScreenSerializer
    permission = "queue.manage"
