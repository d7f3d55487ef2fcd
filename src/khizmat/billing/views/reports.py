"""Arrears: debtors by age of debt, printable notices in each subscriber's language, the collection rate."""

from decimal import Decimal, InvalidOperation

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone, translation
from django.views import View
from django.views.generic import TemplateView

from khizmat.billing import selectors
from khizmat.billing.models import Subscriber
from khizmat.core.pdf import render_pdf
from khizmat.tenancy.mixins import MembershipRequiredMixin
from khizmat.tenancy.models import Settlement

# Notices rendered into one PDF at most; narrow the filter (street, age) for more.
NOTICES_PER_PDF = 300


def _filters(request) -> dict:
    params = request.GET
    filters: dict = {}
    if params.get("settlement", "").isdigit():
        filters["settlement_id"] = int(params["settlement"])
    if params.get("street", "").strip():
        filters["street"] = params["street"].strip()[:150]
    try:
        minimum = Decimal(params.get("min_balance", "").replace(",", ".") or "0")
        if minimum.is_finite() and minimum > 0:
            filters["min_balance"] = minimum
    except InvalidOperation:
        pass
    if params.get("age") in ("31", "61", "91"):
        filters["min_age_days"] = int(params["age"])
    return filters


class DebtorListView(MembershipRequiredMixin, TemplateView):
    permission = "billing.reports"
    template_name = "billing/debtors.html"

    def get_context_data(self, **kwargs):
        organization = self.request.organization
        filters = _filters(self.request)
        debtors, count, totals = selectors.debtor_summary(organization=organization, limit=500, **filters)
        settlement_ids = Subscriber.objects.for_organization(organization).values("settlement_id").distinct()
        return super().get_context_data(
            debtors=debtors,
            count=count,
            totals=totals,
            settlements=Settlement.objects.filter(pk__in=settlement_ids).order_by("name"),
            currency=organization.currency,
            today=timezone.localdate(),
            notices_cap=NOTICES_PER_PDF,
            **kwargs,
        )


class DebtorNoticesView(MembershipRequiredMixin, View):
    """One PDF with a notice per debtor of the current filter, each notice in its subscriber's language."""

    permission = "billing.reports"

    def get(self, request):
        organization = request.organization
        debtors = selectors.debtor_list(organization=organization, limit=NOTICES_PER_PDF, **_filters(request))
        today = timezone.localdate()
        notices = []
        for debtor in debtors:
            with translation.override(debtor.subscriber.language or translation.get_language()):
                notices.append(
                    render_to_string(
                        "billing/partials/debtor_notice.html",
                        {"debtor": debtor, "organization": organization, "today": today},
                    )
                )
        pdf = render_pdf("billing/debtor_notices.html", {"notices": notices, "organization": organization})
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="notices-{organization.code}-{today}.pdf"'
        return response


class CollectionView(MembershipRequiredMixin, TemplateView):
    """Collection rate per month, and per settlement and street for one month."""

    permission = "billing.reports"
    template_name = "billing/collection.html"

    def get_context_data(self, **kwargs):
        organization = self.request.organization
        by_period = selectors.collection_by_period(organization=organization)
        periods = [row["period"] for row in by_period]
        chosen = next((p for p in periods if str(p.pk) == self.request.GET.get("period")), None)
        if chosen is None:
            chosen = next(
                (row["period"] for row in by_period if row["billed"] > 0), periods[0] if periods else None
            )
        return super().get_context_data(
            by_period=by_period,
            period=chosen,
            by_street=selectors.collection_by_street(organization=organization, period=chosen)
            if chosen
            else [],
            currency=organization.currency,
            **kwargs,
        )


urlpatterns = [
    path("billing/arrears/", DebtorListView.as_view(), name="debtors"),
    path("billing/arrears/notices.pdf", DebtorNoticesView.as_view(), name="debtor_notices"),
    path("billing/collection/", CollectionView.as_view(), name="collection"),
]
