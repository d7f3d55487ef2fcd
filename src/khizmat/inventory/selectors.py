"""Reads of the equipment inventory: the filtered list, one unit's history, and the summaries monitoring and funder
reports use (per organization and type: counts, cost per currency, counts by status)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from khizmat.inventory.choices import EquipmentStatus
from khizmat.inventory.models import Equipment, EquipmentImport, EquipmentStatusChange, HandoverAct

# The language a handover act is printed in: the receiving organization's. Organizations have no language of
# their own, so it follows the country (docs/inventory.md).
COUNTRY_LANGUAGE = {"UZ": "uz", "KG": "ky"}


def organization_language(organization) -> str:
    """The language documents addressed to ``organization`` are written in: Uzbek in Uzbekistan, Kyrgyz in
    Kyrgyzstan (by its country; Russian for any other)."""
    return COUNTRY_LANGUAGE.get(organization.country.code, "ru")


def equipment_list(
    *,
    organization_ids,
    type: str = "",
    status: str = "",
    funder_project=None,
    query: str = "",
) -> QuerySet[Equipment]:
    """Equipment of these organizations (a member's own, or a monitor's visible ones), filtered."""
    rows = Equipment.objects.filter(organization_id__in=list(organization_ids))
    if type:
        rows = rows.filter(type=type)
    if status:
        rows = rows.filter(status=status)
    if funder_project:
        rows = rows.filter(funder_project=funder_project)
    words = " ".join(str(query or "").split())
    if words:
        rows = rows.filter(
            Q(inventory_number__icontains=words)
            | Q(serial_number__icontains=words)
            | Q(model__icontains=words)
            | Q(place__icontains=words)
        )
    return rows.select_related("organization", "funder_project").order_by(
        "organization__name", "inventory_number"
    )


def equipment_status_history(*, equipment: Equipment) -> QuerySet[EquipmentStatusChange]:
    return EquipmentStatusChange.objects.filter(
        organization=equipment.organization_id, equipment=equipment
    ).select_related("changed_by")


def handover_act_list(*, organization_ids) -> QuerySet[HandoverAct]:
    return (
        HandoverAct.objects.filter(organization_id__in=list(organization_ids))
        .select_related("organization", "funder_project")
        .annotate(item_count=Count("items"))
        .order_by("-date", "-pk")
    )


def handover_act_items(*, act: HandoverAct) -> QuerySet[Equipment]:
    return Equipment.objects.filter(organization=act.organization_id, handover_act=act).order_by(
        "type", "inventory_number"
    )


def handover_act_totals(*, act: HandoverAct) -> list[tuple[str, Decimal]]:
    """The act's total cost per currency, e.g. ``[("USD", Decimal("35600.00"))]``."""
    rows = (
        handover_act_items(act=act)
        .exclude(cost=None)
        .values("currency")
        .annotate(total=Sum("cost"))
        .order_by("currency")
    )
    return [(row["currency"], Decimal(row["total"]).quantize(Decimal("0.01"))) for row in rows]


def equipment_without_act(*, organization) -> QuerySet[Equipment]:
    """Equipment of the organization not yet on a handover act (what a new act may list)."""
    return Equipment.objects.filter(organization=organization, handover_act=None).exclude(
        status=EquipmentStatus.WRITTEN_OFF
    )


def equipment_import_list(*, organization) -> QuerySet[EquipmentImport]:
    return (
        EquipmentImport.objects.filter(organization=organization)
        .defer("content")
        .select_related("uploaded_by")
    )


@dataclass
class SummaryRow:
    """Equipment of one organization and type: how many, their cost per currency, how many in each status."""

    organization_id: int
    type: str
    count: int = 0
    cost: dict[str, Decimal] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)


def equipment_summary(
    *,
    organization_ids,
    funder_project=None,
    delivered_from: datetime.date | None = None,
    delivered_to: datetime.date | None = None,
) -> list[SummaryRow]:
    """Per organization and type: count, total cost per currency (units without a cost count, add nothing), and the
    count in each status — in two grouped queries whatever the number of rows. ``funder_project`` (an organization
    or its id) and the delivery dates narrow it; rows are ordered by organization id and type."""
    rows = Equipment.objects.filter(organization_id__in=list(organization_ids))
    if funder_project is not None:
        rows = rows.filter(funder_project=funder_project)
    if delivered_from is not None:
        rows = rows.filter(delivery_date__gte=delivered_from)
    if delivered_to is not None:
        rows = rows.filter(delivery_date__lte=delivered_to)
    summary: dict[tuple[int, str], SummaryRow] = {}

    def row_of(values) -> SummaryRow:
        key = (values["organization_id"], values["type"])
        if key not in summary:
            summary[key] = SummaryRow(organization_id=key[0], type=key[1])
        return summary[key]

    for values in rows.values("organization_id", "type", "status").annotate(n=Count("pk")).order_by():
        row = row_of(values)
        row.count += values["n"]
        row.by_status[values["status"]] = row.by_status.get(values["status"], 0) + values["n"]
    costs = rows.exclude(cost=None).exclude(currency="")
    for values in costs.values("organization_id", "type", "currency").annotate(total=Sum("cost")).order_by():
        row_of(values).cost[values["currency"]] = Decimal(values["total"]).quantize(Decimal("0.01"))
    return [summary[key] for key in sorted(summary)]


def equipment_totals(rows: list[SummaryRow]) -> dict:
    """The sum of summary rows: count, cost per currency, count by status."""
    cost: dict[str, Decimal] = defaultdict(Decimal)
    by_status: dict[str, int] = defaultdict(int)
    for row in rows:
        for currency, amount in row.cost.items():
            cost[currency] += amount
        for status, count in row.by_status.items():
            by_status[status] += count
    return {"count": sum(row.count for row in rows), "cost": dict(cost), "by_status": dict(by_status)}
