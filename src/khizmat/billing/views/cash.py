"""The cash desk: find an account, take cash, print the receipt, close the day (Z-report)."""

import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from khizmat.billing import selectors, services
from khizmat.billing.choices import PaymentMethod
from khizmat.billing.forms import ClosingForm, PaymentForm
from khizmat.billing.models import CashClosing, CashDesk, Payment, Subscriber
from khizmat.core.errors import DomainError
from khizmat.core.pdf import render_pdf
from khizmat.tenancy.mixins import MembershipRequiredMixin, TenantObjectMixin


class CashierView(MembershipRequiredMixin, TemplateView):
    """Search by account number, holder's name in either script, street or phone; htmx refreshes the results."""

    permission = "billing.cash"
    template_name = "billing/cashier.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["billing/partials/cashier_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:100]
        organization = self.request.organization
        results = list(selectors.subscriber_search(organization=organization, query=query)) if query else []
        balances = (
            {
                row["subscriber_id"]: row["balance"]
                for row in selectors.aging_rows(
                    organization=organization, subscriber_ids=[s.pk for s in results]
                )
            }
            if results
            else {}
        )
        for account in results:
            account.balance = balances.get(account.pk, 0)
        return super().get_context_data(
            query=query,
            results=results,
            currency=organization.currency,
            desks=CashDesk.objects.filter(organization=organization, is_active=True),
            **kwargs,
        )


class PaymentTakeView(TenantObjectMixin, View):
    permission = "billing.cash"
    model = Subscriber
    template_name = "billing/payment_form.html"

    def _context(self, subscriber, form, error=None):
        return {
            "subscriber": subscriber,
            "form": form,
            "error": error,
            "balance": selectors.subscriber_balance(subscriber=subscriber),
            "currency": subscriber.organization.currency,
        }

    def get(self, request, pk):
        subscriber = get_object_or_404(self.get_queryset().select_related("settlement"), pk=pk)
        desk = request.session.get("billing_desk")
        form = PaymentForm(
            organization=request.organization, initial={"desk": desk, "payer_name": subscriber.holder_name}
        )
        return render(request, self.template_name, self._context(subscriber, form))

    def post(self, request, pk):
        subscriber = get_object_or_404(self.get_queryset().select_related("settlement"), pk=pk)
        form = PaymentForm(request.POST, organization=request.organization)
        if form.is_valid():
            data = form.cleaned_data
            try:
                payment, replayed = services.payment_post(
                    actor=request.user,
                    subscriber=subscriber,
                    amount=data["amount"],
                    method=PaymentMethod.CASH,
                    desk=data["desk"],
                    payer_name=data["payer_name"],
                    idempotency_key=data["key"],
                    confirm_repeat=data["confirm_repeat"],
                )
            except services.PaymentInFlight as error:
                return render(
                    request, self.template_name, self._context(subscriber, form, error.message), status=409
                )
            except DomainError as error:
                error.add_to_form(form)
                if error.code == "possible_duplicate":
                    form.ask_to_confirm_repeat()
            else:
                request.session["billing_desk"] = data["desk"].pk
                if replayed:
                    messages.info(request, _("This payment was already posted; here is its receipt."))
                else:
                    messages.success(
                        request,
                        _("Payment received. Receipt № %(number)s.") % {"number": payment.receipt_number},
                    )
                return redirect("billing:payment_detail", pk=payment.pk)
        return render(request, self.template_name, self._context(subscriber, form), status=400)


class PaymentDetailView(TenantObjectMixin, DetailView):
    permission = "billing.view"
    model = Payment
    template_name = "billing/payment_detail.html"

    def get_queryset(self):
        return (
            super().get_queryset().select_related("subscriber", "subscriber__settlement", "desk", "cashier")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            balance=selectors.subscriber_balance(subscriber=self.object.subscriber),
            can_reverse=self.request.membership.has_permission("billing.reverse")
            and not self.object.is_reversed,
            **kwargs,
        )


class PaymentReceiptView(TenantObjectMixin, View):
    """The receipt (PDF, in the subscriber's language) with the desk's sequential number and the balance after."""

    permission = "billing.view"
    model = Payment

    def get(self, request, pk):
        payment = get_object_or_404(
            self.get_queryset().select_related("subscriber", "subscriber__settlement", "desk", "cashier"),
            pk=pk,
        )
        subscriber = payment.subscriber
        with translation.override(subscriber.language or translation.get_language()):
            pdf = render_pdf(
                "billing/receipt.html",
                {
                    "payment": payment,
                    "subscriber": subscriber,
                    "organization": request.organization,
                    "balance": payment.balance_after
                    if payment.balance_after is not None
                    else selectors.subscriber_balance(subscriber=subscriber, as_of=payment.received_on),
                    "LANGUAGE_CODE": translation.get_language(),
                },
            )
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"receipt-{payment.desk.code if payment.desk else 'bank'}-{payment.receipt_number or payment.pk}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


def _day(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


class CashClosingView(MembershipRequiredMixin, View):
    """The day's totals of a desk and the closing form; closing refuses a difference without an explanation."""

    permission = "billing.cash"
    template_name = "billing/cash_closing.html"

    def _context(self, request, form=None):
        organization = request.organization
        desks = list(CashDesk.objects.filter(organization=organization, is_active=True))
        desk_id = request.GET.get("desk") or request.POST.get("desk") or request.session.get("billing_desk")
        desk = next((d for d in desks if str(d.pk) == str(desk_id)), desks[0] if desks else None)
        date = _day(request.GET.get("date") or request.POST.get("date"))
        summary = services.cash_day_summary(desk=desk, date=date) if desk else None
        closing = (
            CashClosing.objects.filter(organization=organization, desk=desk, date=date).first()
            if desk
            else None
        )
        return {
            "desks": desks,
            "desk": desk,
            "date": date,
            "summary": summary,
            "closing": closing,
            "payments": selectors.payments_of_day(desk=desk, date=date) if desk else [],
            "form": form or ClosingForm(initial={"counted_cash": summary["expected_cash"] if summary else 0}),
            "currency": organization.currency,
            "recent": CashClosing.objects.filter(organization=organization).select_related("desk", "cashier")[
                :20
            ],
        }

    def get(self, request):
        return render(request, self.template_name, self._context(request))

    def post(self, request):
        context = self._context(request, ClosingForm(request.POST))
        form = context["form"]
        if context["desk"] is None:
            messages.error(request, _("This organization has no cash desk."))
            return redirect("billing:cash_closing")
        if form.is_valid():
            try:
                closing = services.cash_closing_create(
                    actor=request.user, desk=context["desk"], date=context["date"], **form.cleaned_data
                )
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("The day is closed."))
                return redirect("billing:cashclosing_detail", pk=closing.pk)
        return render(request, self.template_name, context, status=400)


class CashClosingDetailView(TenantObjectMixin, DetailView):
    permission = "billing.reports"
    model = CashClosing
    template_name = "billing/cashclosing_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            payments=selectors.payments_of_day(desk=self.object.desk, date=self.object.date), **kwargs
        )


urlpatterns = [
    path("billing/cash/", CashierView.as_view(), name="cashier"),
    path("billing/cash/closing/", CashClosingView.as_view(), name="cash_closing"),
    path("billing/cash/closings/<int:pk>/", CashClosingDetailView.as_view(), name="cashclosing_detail"),
    path("billing/subscribers/<int:pk>/pay/", PaymentTakeView.as_view(), name="payment_add"),
    path("billing/payments/<int:pk>/", PaymentDetailView.as_view(), name="payment_detail"),
    path("billing/payments/<int:pk>/receipt.pdf", PaymentReceiptView.as_view(), name="payment_receipt"),
]
