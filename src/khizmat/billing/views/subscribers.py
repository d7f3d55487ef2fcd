"""Subscriber accounts: the list with search, the card (balance, ledger, invoices, payments, complaints), edits."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView

from khizmat.billing import selectors, services
from khizmat.billing.choices import SubscriberStatus
from khizmat.billing.forms import AdjustmentForm, SubscriberForm, SubscriberStatusForm
from khizmat.billing.models import Invoice, Payment, Subscriber
from khizmat.billing.views.actions import ObjectActionView
from khizmat.core.errors import DomainError
from khizmat.core.htmx import HtmxPartialMixin
from khizmat.reports.models import Report
from khizmat.tenancy.mixins import MembershipRequiredMixin, PersonalDataMixin, TenantObjectMixin


class SubscriberListView(HtmxPartialMixin, MembershipRequiredMixin, ListView):
    permission = "billing.view"
    template_name = "billing/subscriber_list.html"
    partial_template_name = "billing/partials/subscriber_table.html"
    paginate_by = 50

    def get_queryset(self):
        organization = self.request.organization
        query = self.request.GET.get("q", "").strip()
        if query:
            accounts = selectors.subscriber_search(organization=organization, query=query, limit=200)
            return list(accounts)
        accounts = Subscriber.objects.for_organization(organization).select_related("settlement", "category")
        status = self.request.GET.get("status")
        if status in SubscriberStatus.values:
            accounts = accounts.filter(status=status)
        return accounts.order_by("number")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=SubscriberStatus.choices,
            can_edit=self.request.membership.has_permission("billing.subscribers"),
            **kwargs,
        )


class SubscriberDetailView(PersonalDataMixin, TenantObjectMixin, DetailView):
    """The subscriber card: balance and arrears by age, the ledger with running balance, documents, complaints."""

    permission = "billing.view"
    model = Subscriber
    template_name = "billing/subscriber_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("settlement", "category", "exemption")

    def get_context_data(self, **kwargs):
        subscriber = self.object
        organization = self.request.organization
        membership = self.request.membership
        ledger = selectors.subscriber_ledger(subscriber=subscriber)
        complaints = (
            Report.objects.filter(organization=organization, citizen_phone=subscriber.phone).order_by("-pk")[
                :20
            ]
            if subscriber.phone
            else []
        )
        return super().get_context_data(
            balance=ledger[-1]["balance"] if ledger else 0,
            aging=selectors.subscriber_aging(subscriber=subscriber),
            ledger=list(reversed(ledger))[:120],
            invoices=Invoice.objects.filter(organization=organization, subscriber=subscriber)
            .select_related("period", "run")
            .filter(run__status__in=["draft", "approved"])
            .order_by("-period__month", "service")[:36],
            payments=Payment.objects.filter(organization=organization, subscriber=subscriber)
            .select_related("desk")
            .order_by("-received_at")[:60],
            complaints=complaints,
            history=subscriber.history.select_related("history_user").order_by("-history_date")[:20],
            currency=organization.currency,
            can_edit=membership.has_permission("billing.subscribers"),
            can_take_cash=membership.has_permission("billing.cash"),
            can_reverse=membership.has_permission("billing.reverse"),
            can_adjust=membership.has_permission("billing.run"),
            status_form=kwargs.pop("status_form", None)
            or SubscriberStatusForm(initial={"status": subscriber.status}),
            adjustment_form=kwargs.pop("adjustment_form", None) or AdjustmentForm(),
            **kwargs,
        )


class SubscriberFormView(MembershipRequiredMixin, View):
    """Register a new account (``pk`` absent) or edit one."""

    permission = "billing.subscribers"
    model = Subscriber
    template_name = "billing/subscriber_form.html"

    def _instance(self, pk):
        if pk is None:
            return None
        return get_object_or_404(Subscriber.objects.for_organization(self.request.organization), pk=pk)

    def get(self, request, pk=None):
        form = SubscriberForm(instance=self._instance(pk), organization=request.organization)
        return render(request, self.template_name, {"form": form, "object": form.instance if pk else None})

    def post(self, request, pk=None):
        instance = self._instance(pk)
        form = SubscriberForm(request.POST, instance=instance, organization=request.organization)
        if form.is_valid():
            try:
                subscriber = services.subscriber_save(actor=request.user, subscriber=form.instance)
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Account %(number)s saved.") % {"number": subscriber.number})
                return redirect("billing:subscriber_detail", pk=subscriber.pk)
        return render(request, self.template_name, {"form": form, "object": instance}, status=400)


class SubscriberStatusView(ObjectActionView):
    permission = "billing.subscribers"
    model = Subscriber
    form_class = SubscriberStatusForm
    invalid_message = gettext_lazy("Choose a status.")
    success_message = gettext_lazy("Status changed.")

    def perform(self, subscriber, data):
        services.subscriber_set_status(
            actor=self.request.user, subscriber=subscriber, status=data["status"], on=data["on"]
        )

    def next_url(self, subscriber):
        return reverse("billing:subscriber_detail", args=[subscriber.pk])


class SubscriberAdjustView(ObjectActionView):
    permission = "billing.run"
    model = Subscriber
    form_class = AdjustmentForm
    invalid_message = gettext_lazy("Enter an amount and the reason.")
    success_message = gettext_lazy("Adjustment posted.")

    def perform(self, subscriber, data):
        services.adjustment_post(actor=self.request.user, subscriber=subscriber, **data)

    def next_url(self, subscriber):
        return reverse("billing:subscriber_detail", args=[subscriber.pk])


class PaymentReverseView(ObjectActionView):
    permission = "billing.reverse"
    model = Payment
    success_message = gettext_lazy("Payment reversed.")

    def perform(self, payment, data):
        services.payment_reverse(
            actor=self.request.user, payment=payment, reason=self.request.POST.get("reason", "")
        )

    def next_url(self, payment):
        return reverse("billing:subscriber_detail", args=[payment.subscriber_id])


urlpatterns = [
    path("billing/subscribers/", SubscriberListView.as_view(), name="subscriber_list"),
    path("billing/subscribers/add/", SubscriberFormView.as_view(), name="subscriber_add"),
    path("billing/subscribers/<int:pk>/", SubscriberDetailView.as_view(), name="subscriber_detail"),
    path("billing/subscribers/<int:pk>/edit/", SubscriberFormView.as_view(), name="subscriber_edit"),
    path("billing/subscribers/<int:pk>/status/", SubscriberStatusView.as_view(), name="subscriber_status"),
    path("billing/subscribers/<int:pk>/adjust/", SubscriberAdjustView.as_view(), name="subscriber_adjust"),
    path("billing/payments/<int:pk>/reverse/", PaymentReverseView.as_view(), name="payment_reverse"),
]
