"""Tariffs as the council decided them, subscriber categories and exemptions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from khizmat.billing import services
from khizmat.billing.forms import CategoryForm, ExemptionForm, TariffForm
from khizmat.billing.models import Exemption, SubscriberCategory, Tariff
from khizmat.core.errors import DomainError
from khizmat.tenancy.mixins import MembershipRequiredMixin


class TariffListView(MembershipRequiredMixin, TemplateView):
    permission = "billing.tariffs"
    template_name = "billing/tariff_list.html"

    def get_context_data(self, **kwargs):
        organization = self.request.organization
        return super().get_context_data(
            tariffs=Tariff.objects.for_organization(organization).select_related("category"),
            categories=SubscriberCategory.objects.for_organization(organization),
            exemptions=Exemption.objects.for_organization(organization),
            **kwargs,
        )


class TariffAddView(MembershipRequiredMixin, View):
    permission = "billing.tariffs"
    template_name = "billing/tariff_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": TariffForm(organization=request.organization)})

    def post(self, request):
        form = TariffForm(request.POST, organization=request.organization)
        if form.is_valid():
            try:
                services.tariff_save(actor=request.user, tariff=form.instance)
            except DomainError as error:
                error.add_to_form(form)
            else:
                messages.success(request, _("Tariff recorded."))
                return redirect("billing:tariff_list")
        return render(request, self.template_name, {"form": form}, status=400)


class _SimpleAddView(MembershipRequiredMixin, View):
    """Add a category or an exemption (plain reference rows of the organization)."""

    permission = "billing.tariffs"
    template_name = "billing/simple_form.html"
    form_class = None
    title = ""

    def get(self, request):
        form = self.form_class(organization=request.organization)
        return render(request, self.template_name, {"form": form, "title": self.title})

    def post(self, request):
        form = self.form_class(request.POST, organization=request.organization)
        if form.is_valid():
            instance = form.save(commit=False)
            instance._history_user = request.user
            instance.save()
            messages.success(request, _("Saved."))
            return redirect("billing:tariff_list")
        return render(request, self.template_name, {"form": form, "title": self.title}, status=400)


class CategoryAddView(_SimpleAddView):
    form_class = CategoryForm
    title = _("New subscriber category")


class ExemptionAddView(_SimpleAddView):
    form_class = ExemptionForm
    title = _("New exemption")


urlpatterns = [
    path("billing/tariffs/", TariffListView.as_view(), name="tariff_list"),
    path("billing/tariffs/add/", TariffAddView.as_view(), name="tariff_add"),
    path("billing/categories/add/", CategoryAddView.as_view(), name="category_add"),
    path("billing/exemptions/add/", ExemptionAddView.as_view(), name="exemption_add"),
]
