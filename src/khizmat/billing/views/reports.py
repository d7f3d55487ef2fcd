"""Arrears: debtors by age of debt, printable notices in each subscriber's language, the collection rate."""

from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from khizmat.billing import documents, selectors
from khizmat.billing.models import Subscriber
from khizmat.documents.actions import DocumentRequestView
from khizmat.tenancy.mixins import MembershipRequiredMixin
from khizmat.tenancy.models import Settlement


class DebtorListView(MembershipRequiredMixin, TemplateView):
    permission = "billing.reports"
    template_name = "billing/debtors.html"

    def get_context_data(self, **kwargs):
        organization = self.request.organization
        filters = documents.debtor_filters(self.request.GET)
        debtors, count, totals = selectors.debtor_summary(organization=organization, limit=500, **filters)
        settlement_ids = Subscriber.objects.for_organization(organization).values("settlement_id").distinct()
        return super().get_context_data(
            debtors=debtors,
            count=count,
            totals=totals,
            settlements=Settlement.objects.filter(pk__in=settlement_ids).order_by("name"),
            currency=organization.currency,
            today=timezone.localdate(),
            notices_cap=documents.NOTICES_PER_PDF,
            **kwargs,
        )


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
    path(
        "billing/arrears/notices/",
        DocumentRequestView.as_view(kind="billing.debtor_notices", permission=documents.PERMISSION),
        name="debtor_notices",
    ),
    path("billing/collection/", CollectionView.as_view(), name="collection"),
]
