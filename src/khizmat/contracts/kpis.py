"""Municipal orders as monitoring measures and KPIs (khizmat.monitoring.registry): fulfilment of the accepted acts.

A FLOW by the act's month: the lines of an act count on the first day of the month the act covers, once the local
government has accepted it (an act accepted in April for March counts in March). Quantities of different work items
have different units, so fulfilment weighs them by price:

    act fulfilment % = Σ accepted amounts (done × unit price) ÷ Σ planned amounts (monthly plan × unit price) × 100,

over the lines of the acts accepted for the months of the period. Amounts are in the enterprise's currency: across
countries the figure is not given (mixed currencies).
"""

from __future__ import annotations

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils.translation import gettext_lazy as _

from khizmat.contracts.choices import ActStatus
from khizmat.contracts.models import Act, ActLine
from khizmat.monitoring.registry import (
    FIELDWORK,
    MONEY,
    PERCENT,
    Kpi,
    Measure,
    Percent,
    Source,
    Window,
    date_rows,
    register_kpi,
    register_measure,
    register_source,
)

SOURCE = "contracts"


def _first_day(organization_ids):
    first = (
        Act.objects.filter(organization_id__in=organization_ids)
        .order_by("month")
        .values_list("month")
        .first()
    )
    return first[0] if first else None


def _planned_amount(window: Window):
    """Planned amount (monthly plan × unit price) of the accepted acts' lines, by the act's month."""
    planned = ExpressionWrapper(
        F("planned_quantity") * F("unit_price"), output_field=DecimalField(max_digits=28, decimal_places=5)
    )
    return date_rows(
        ActLine.objects.filter(act__status=ActStatus.ACCEPTED), "act__month", window, total=Sum(planned)
    )


def _accepted_amount(window: Window):
    """Amount of the work done (accepted) on the accepted acts' lines, by the act's month."""
    return date_rows(
        ActLine.objects.filter(act__status=ActStatus.ACCEPTED), "act__month", window, total=Sum("amount")
    )


register_source(Source(SOURCE, _("Municipal orders"), _first_day))
register_measure(
    Measure(
        "contracts.planned_amount", SOURCE, _("Planned amount of accepted acts"), _planned_amount, unit=MONEY
    )
)
register_measure(
    Measure("contracts.accepted_amount", SOURCE, _("Accepted amount of acts"), _accepted_amount, unit=MONEY)
)

register_kpi(
    Kpi(
        "contracts.act_fulfilment",
        FIELDWORK,
        _("Act fulfilment"),
        _(
            "accepted amounts (done × unit price) ÷ planned amounts (monthly plan × unit price) × 100, over the "
            "acts accepted for the months of the period"
        ),
        PERCENT,
        Percent("contracts.accepted_amount", "contracts.planned_amount", use_total=True, money=True),
        public=True,
    )
)
