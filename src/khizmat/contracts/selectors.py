"""Read-side queries of municipal orders, and the one rule of who sees a contract.

A contract, its work items, records and acts belong to the enterprise doing the work. Its members with
``contracts.view`` see them. The ordering local government sees them too, but only while it oversees the enterprise
(``tenancy.Oversight(overseer=customer, overseen=provider)``) and only members with ``contracts.oversee``. No one
else does. Pages that show contracts run inside :func:`contract_scope_ids` (the user's own organizations plus those
providers) — see ``views.ContractScopeMixin``.
"""

import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from khizmat.contracts.choices import ActStatus
from khizmat.contracts.models import Act, ActLine, Contract, WorkItem, WorkRecord, fulfilment_percent
from khizmat.tenancy.models import Oversight
from khizmat.tenancy.scoping import scope

ZERO = Decimal("0")


def _overseen_ids(organization) -> list[int]:
    return list(Oversight.objects.filter(overseer=organization).values_list("overseen_id", flat=True))


def provider_ids_visible_to(membership) -> list[int]:
    """Enterprises whose contracts ordered by the membership's organization it may read (oversight required)."""
    if membership is None or not membership.has_permission("contracts.oversee"):
        return []
    organization = membership.organization
    overseen = _overseen_ids(organization)
    if not overseen:
        return []
    # Contract is scoped: read the overseen enterprises' contracts inside their scope only.
    with scope(organization=overseen):
        return sorted(
            set(
                Contract.objects.filter(organization_id__in=overseen, customer=organization).values_list(
                    "organization_id", flat=True
                )
            )
        )


def contract_scope_ids(membership, visible_organization_ids) -> list[int]:
    """The scope of a contracts page: what the request may see anyway, plus the providers above."""
    return sorted({*visible_organization_ids, *provider_ids_visible_to(membership)})


def contract_visibility(membership) -> Q:
    """The filter of the contracts a membership may read (a Q on Contract)."""
    if membership is None:
        return Q(pk__in=[])
    organization = membership.organization
    condition = Q(pk__in=[])
    if membership.has_permission("contracts.view"):
        condition |= Q(organization=organization)
    if membership.has_permission("contracts.oversee"):
        condition |= Q(customer=organization, organization_id__in=_overseen_ids(organization))
    return condition


def contracts_visible_to(membership) -> QuerySet[Contract]:
    """Contracts of the membership's enterprise, and those its local government ordered from an enterprise it
    oversees. Call inside :func:`contract_scope_ids`' scope."""
    return Contract.objects.filter(contract_visibility(membership))


def contract_ids_visible_to(membership) -> list[int]:
    """Ids of :func:`contracts_visible_to` (usable in any scope: it enters the widened one itself)."""
    organizations = contract_scope_ids(membership, [membership.organization_id] if membership else [])
    with scope(organization=organizations):
        return list(contracts_visible_to(membership).values_list("pk", flat=True))


def _draft_of_another(membership, prefix: str = "") -> Q:
    """Acts still in draft at the enterprise: the customer reads an act from its submission on."""
    organization_id = membership.organization_id if membership else None
    return Q(**{f"{prefix}status": ActStatus.DRAFT}) & ~Q(**{f"{prefix}organization_id": organization_id})


def acts_visible_to(membership) -> QuerySet[Act]:
    """Acts of the contracts the membership reads; the customer's side sees none in draft."""
    return Act.objects.filter(contract__in=contracts_visible_to(membership)).exclude(
        _draft_of_another(membership)
    )


def act_lines_visible_to(membership) -> QuerySet[ActLine]:
    return ActLine.objects.filter(act__contract__in=contracts_visible_to(membership)).exclude(
        _draft_of_another(membership, "act__")
    )


def work_items_visible_to(membership) -> QuerySet[WorkItem]:
    return WorkItem.objects.filter(contract__in=contracts_visible_to(membership))


def work_records_visible_to(membership) -> QuerySet[WorkRecord]:
    return WorkRecord.objects.filter(work_item__contract__in=contracts_visible_to(membership))


def contract_list(*, membership) -> list[Contract]:
    """The contracts a member sees, each marked with the side the member's organization is on."""
    contracts = list(
        contracts_visible_to(membership)
        .select_related("organization", "customer")
        .order_by("-starts_on", "number")
    )
    for contract in contracts:
        contract.is_customer_side = contract.customer_id == membership.organization_id
    return contracts


def contract_progress(*, contract: Contract) -> dict:
    """Work items with planned quantity, what was done to date, fulfilment and amount; totals of the contract."""
    items = list(
        WorkItem.objects.filter(organization=contract.organization, contract=contract).order_by("code")
    )
    done = dict(
        WorkRecord.objects.filter(organization=contract.organization, work_item__contract=contract)
        .values("work_item_id")
        .annotate(total=Sum("quantity"))
        .order_by()
        .values_list("work_item_id", "total")
    )
    rows = []
    for item in items:
        actual = done.get(item.pk) or ZERO
        rows.append(
            {
                "item": item,
                "planned": item.planned_quantity,
                "monthly_plan": item.monthly_plan,
                "actual": actual,
                "fulfilment": fulfilment_percent(actual, item.planned_quantity),
                "planned_amount": (item.planned_quantity * item.unit_price).quantize(Decimal("0.01")),
                "amount": (actual * item.unit_price).quantize(Decimal("0.01")),
            }
        )
    planned_amount = sum((row["planned_amount"] for row in rows), ZERO)
    amount = sum((row["amount"] for row in rows), ZERO)
    return {
        "rows": rows,
        "planned_amount": planned_amount,
        "amount": amount,
        "fulfilment": fulfilment_percent(amount, planned_amount),
    }


def act_summary(*, act: Act) -> dict:
    """Lines of an act with their records of the month, the planned and due amounts and the fulfilment (by money)."""
    lines = list(
        ActLine.objects.filter(organization=act.organization, act=act)
        .select_related("work_item", "disputed_by", "answered_by")
        .order_by("work_item__code")
    )
    records = {}
    for record in (
        WorkRecord.objects.filter(
            organization=act.organization,
            work_item__contract_id=act.contract_id,
            date__gte=act.month,
            date__lt=next_month(act.month),
        )
        .select_related("recorded_by", "source_load")
        .order_by("date", "pk")
    ):
        records.setdefault(record.work_item_id, []).append(record)
    for line in lines:
        line.records = records.get(line.work_item_id, [])
        line.planned_amount = (line.planned_quantity * line.unit_price).quantize(Decimal("0.01"))
    planned_amount = sum((line.planned_amount for line in lines), ZERO)
    amount = sum((line.amount for line in lines), ZERO)
    return {
        "lines": lines,
        "planned_amount": planned_amount,
        "amount": amount,
        "fulfilment": fulfilment_percent(amount, planned_amount),
        "open_disputes": sum(1 for line in lines if line.status == "disputed"),
    }


def next_month(month):
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _acts_where(membership, condition: Q) -> list[Act]:
    with scope(organization=contract_scope_ids(membership, [membership.organization_id])):
        return list(
            acts_visible_to(membership)
            .filter(condition)
            .select_related("contract")
            .order_by("month", "pk")[:20]
        )


def acts_to_answer(*, membership) -> list[Act]:
    """The enterprise's disputed acts: lines the local government disputed, waiting for its answer."""
    return _acts_where(
        membership, Q(contract__organization=membership.organization, status=ActStatus.DISPUTED)
    )


def acts_to_accept(*, membership) -> list[Act]:
    """Acts submitted (or answered after a dispute) to this local government, waiting for its acceptance."""
    return _acts_where(
        membership,
        Q(contract__customer=membership.organization, status__in=(ActStatus.SUBMITTED, ActStatus.ANSWERED)),
    )
