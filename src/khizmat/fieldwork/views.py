from django.http import Http404
from django.shortcuts import render
from django.views import View

from khizmat.fieldwork import selectors
from khizmat.fieldwork.models import PickupDay
from khizmat.tenancy.scoping import scope
from khizmat.tenancy.selectors import active_organization_by_code


class PickupScheduleView(View):
    """Public, no login: "when does the truck come to my street?" for one enterprise, found by street or village."""

    def get(self, request, org_code: str):
        organization = active_organization_by_code(org_code)
        if organization is None:
            raise Http404
        with scope(organization=[organization.pk]):
            if not PickupDay.objects.filter(organization=organization).exists():
                raise Http404
            query = request.GET.get("q", "").strip()[:100]
            lines = selectors.pickup_schedule(organization=organization, query=query)
            return render(
                request,
                "fieldwork/pickup_schedule.html",
                {"organization": organization, "lines": lines, "query": query},
            )
