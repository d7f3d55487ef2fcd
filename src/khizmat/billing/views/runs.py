"""Billing periods and runs: start a month's billing, watch its progress bar, approve it (which closes the month)."""

from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from khizmat.billing import selectors, services
from khizmat.billing.forms import RunForm
from khizmat.billing.models import BillingPeriod, BillingRun
from khizmat.billing.views.actions import ObjectActionView
from khizmat.core.errors import DomainError
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin


class PeriodListView(MembershipRequiredMixin, View):
    permission = "billing.run"
    template_name = "billing/period_list.html"

    def _render(self, request, form, status=200):
        organization = request.organization
        periods = list(BillingPeriod.objects.for_organization(organization).order_by("-month")[:24])
        runs = {
            run.period_id: run
            for run in BillingRun.objects.for_organization(organization)
            .filter(period__in=periods, status__in=BillingRun.LIVE)
            .order_by("requested_at")
        }
        collection = {
            row["period"].pk: row for row in selectors.collection_by_period(organization=organization)
        }
        rows = [{"period": p, "run": runs.get(p.pk), "collection": collection.get(p.pk)} for p in periods]
        return render(
            request,
            self.template_name,
            {"form": form, "rows": rows, "currency": organization.currency},
            status=status,
        )

    def get(self, request):
        return self._render(request, RunForm(initial={"month": timezone.localdate().replace(day=1)}))

    def post(self, request):
        form = RunForm(request.POST)
        if form.is_valid():
            try:
                run = services.billing_run_request(
                    actor=request.user, organization=request.organization, month=form.cleaned_data["month"]
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                return redirect("billing:billingrun_detail", pk=run.pk)
        return self._render(request, form, status=400)


class RunDetailView(TenantObjectMixin, DetailView):
    """The run with its progress bar; while it runs, htmx reloads the bar every second."""

    permission = "billing.run"
    model = BillingRun
    template_name = "billing/billingrun_detail.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["billing/partials/run_progress.html"]
        return [self.template_name]

    def get_queryset(self):
        return super().get_queryset().select_related("period", "requested_by", "approved_by")

    def get_context_data(self, **kwargs):
        return super().get_context_data(currency=self.request.organization.currency, **kwargs)


class RunApproveView(ObjectActionView):
    permission = "billing.run"
    model = BillingRun
    success_message = gettext_lazy(
        "Billing approved: the invoices are on the accounts and the month is closed."
    )

    def perform(self, run, data):
        services.billing_run_approve(actor=self.request.user, run=run)

    def next_url(self, run):
        return reverse("billing:billingrun_detail", args=[run.pk])


class RunResumeView(RunApproveView):
    success_message = gettext_lazy("The run is queued again; it continues where it stopped.")

    def perform(self, run, data):
        services.billing_run_resume(actor=self.request.user, run=run)


urlpatterns = [
    path("billing/periods/", PeriodListView.as_view(), name="period_list"),
    path("billing/runs/<int:pk>/", RunDetailView.as_view(), name="billingrun_detail"),
    path("billing/runs/<int:pk>/approve/", RunApproveView.as_view(), name="billingrun_approve"),
    path("billing/runs/<int:pk>/resume/", RunResumeView.as_view(), name="billingrun_resume"),
]
