from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from khizmat.core.errors import DomainError
from khizmat.notifications import services
from khizmat.notifications.models import SmsMessage, SmsStatus
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin


class MessageListView(MembershipRequiredMixin, ListView):
    """SMS of the organization, failed ones first: nothing is lost without someone seeing it."""

    permission = "sms.view"
    model = SmsMessage
    template_name = "notifications/message_list.html"
    paginate_by = 100

    def get_queryset(self):
        messages_ = SmsMessage.objects.filter(organization=self.request.organization)
        status = self.request.GET.get("status", "")
        if status in SmsStatus.values:
            messages_ = messages_.filter(status=status)
        return messages_.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs):
        failed = SmsMessage.objects.filter(organization=self.request.organization, status=SmsStatus.FAILED)
        return super().get_context_data(
            statuses=SmsStatus.choices,
            failed=failed.order_by("-created_at")[:50],
            failed_count=failed.count(),
            **kwargs,
        )


class MessageRetryView(TenantObjectMixin, View):
    permission = "sms.retry"
    model = SmsMessage
    http_method_names = ["post"]

    def post(self, request, pk):
        message = get_object_or_404(self.get_queryset(), pk=pk)
        try:
            services.sms_retry(actor=request.user, message=message)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The SMS will be sent again."))
        return redirect("notifications:message_list")
