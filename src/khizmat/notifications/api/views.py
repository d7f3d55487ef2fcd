from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet
from khizmat.notifications import services
from khizmat.notifications.api.serializers import SmsMessageSerializer
from khizmat.notifications.models import SmsMessage
from khizmat.tenancy.mixins import PersonalDataViewSetMixin


class SmsMessageViewSet(
    PersonalDataViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, TenantViewSet
):
    queryset = SmsMessage.objects.none()
    serializer_class = SmsMessageSerializer
    permission = "sms.view"
    write_permission = "sms.retry"
    filterset_fields = {"status": ["exact"], "event": ["exact"], "created_at": ["gte", "lt"]}
    ordering = ("-created_at", "-pk")

    @extend_schema(request=None, responses={200: SmsMessageSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Send an SMS again.

        A failed message is queued again for the gateway; a message that has not failed is a 409."""
        message = services.sms_retry(actor=request.user, message=self.get_object())
        return Response(SmsMessageSerializer(message).data)
