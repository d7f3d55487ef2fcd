"""Functions that change municipal orders. Each runs in a transaction, checks the actor's permission on the right
side — the enterprise (``contracts.manage``) or the ordering local government (``contracts.sign``, and it must oversee
the enterprise) — and is audited (``_history_user``).

Invariant (tested): an act line's actual quantity is the sum of the work records of its item in the act's month. Acts
are rebuilt from the records while they are drafts; once submitted, the records of that month are frozen and only a
dispute answer changes them, by adding a correcting record.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from khizmat.billing.money import quantize
from khizmat.contracts.choices import (
    ActStatus,
    ContractStatus,
    LineStatus,
    LoadScope,
    WorkSource,
    WorkUnit,
)
from khizmat.contracts.kpis import SOURCE as KPI_SOURCE
from khizmat.contracts.models import Act, ActLine, Contract, WorkItem, WorkRecord
from khizmat.contracts.selectors import next_month
from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.core.fieldrules import check_amount, check_date, field_rule
from khizmat.monitoring.services import kpi_touch
from khizmat.tenancy.localtime import local_today, organization_zone
from khizmat.tenancy.models import Oversight
from khizmat.tenancy.permissions import require_permission

ZERO = Decimal("0")
FROZEN_ACT_STATUSES = (ActStatus.SUBMITTED, ActStatus.DISPUTED, ActStatus.ANSWERED, ActStatus.ACCEPTED)


# --- Sides -----------------------------------------------------------------------------------------------------------


def _require_provider(actor, contract: Contract, permission: str = "contracts.manage") -> None:
    require_permission(actor, contract.organization, permission)


def _require_customer(actor, contract: Contract, permission: str = "contracts.sign") -> None:
    require_permission(actor, contract.customer, permission)
    if not Oversight.objects.filter(
        overseer_id=contract.customer_id, overseen_id=contract.organization_id
    ).exists():
        raise PermissionDenied(_("Your organization does not oversee this enterprise."))


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _check_month(contract: Contract, month: datetime.date) -> datetime.date:
    month = _month_start(month)
    if not contract.starts_on.replace(day=1) <= month <= contract.ends_on:
        raise DomainError(_("This month is outside the contract's period."), code="month_outside")
    return month


def _act_of_month(contract: Contract, month: datetime.date) -> Act | None:
    return Act.objects.filter(organization=contract.organization, contract=contract, month=month).first()


def trip_log_month_closed(organization, day: datetime.date) -> str | None:
    """Why a load of the trip log dated ``day`` is refused: a municipal order that counts the trip log's loads has
    submitted (or accepted) its act of that month, which must not change underneath it. Registered with field work
    as a load date guard (apps.py)."""
    act = (
        Act.objects.filter(
            organization=organization,
            month=_month_start(day),
            status__in=FROZEN_ACT_STATUSES,
            contract__starts_on__lte=day,
            contract__ends_on__gte=day,
            contract__items__source=WorkSource.TRIP_LOADS,
        )
        .select_related("contract")
        .first()
    )
    if act is None:
        return None
    return _(
        "The act of %(month)s of municipal order № %(number)s is already submitted: the trip log of that month "
        "cannot change any more."
    ) % {"month": day.strftime("%m.%Y"), "number": act.contract.number}


def _check_month_open(contract: Contract, day: datetime.date) -> None:
    act = _act_of_month(contract, _month_start(day))
    if act is not None and act.status in FROZEN_ACT_STATUSES:
        raise DomainError(
            _("The act of %(month)s is already submitted: its quantities change only by answering a dispute.")
            % {"month": day.strftime("%m.%Y")},
            code="month_submitted",
        )


# --- Contracts -------------------------------------------------------------------------------------------------------


@transaction.atomic
def contract_create(
    *,
    actor,
    organization,
    customer,
    number: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    signed_on: datetime.date | None = None,
    notes: str = "",
) -> Contract:
    """A draft municipal order of ``organization`` (the enterprise) for ``customer`` (a local government that
    oversees it)."""
    require_permission(actor, organization, "contracts.manage")
    if not customer.is_local_government:
        raise DomainError(_("The customer must be a local government."), code="customer_not_local_government")
    if customer.pk == organization.pk:
        raise DomainError(_("An organization cannot order work from itself."), code="customer_self")
    if not Oversight.objects.filter(overseer=customer, overseen=organization).exists():
        raise DomainError(
            _("%(customer)s does not oversee this enterprise, so it could not follow the order.")
            % {"customer": customer},
            code="customer_not_overseer",
        )
    for field, day in (("starts_on", starts_on), ("ends_on", ends_on)):
        with field_rule(field):
            check_date(day)
    with field_rule("signed_on"):
        check_date(signed_on, latest=local_today(organization))
    number = number.strip()
    if not number or not title.strip():
        raise DomainError(_("Enter the number and the title of the contract."), code="contract_incomplete")
    if ends_on < starts_on:
        raise DomainError(_("The contract cannot end before it starts."), code="contract_dates")
    contract = Contract(
        organization=organization,
        customer=customer,
        number=number,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        notes=notes,
    )
    contract._history_user = actor
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as error:
        raise DomainError(
            _("Contract number %(number)s is already taken.") % {"number": number}, code="duplicate_number"
        ) from error
    return contract


@transaction.atomic
def contract_activate(*, actor, contract: Contract, signed_on: datetime.date | None = None) -> Contract:
    """The contract is signed and in force: work can be recorded against it."""
    _require_provider(actor, contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk, organization=contract.organization)
    if contract.status != ContractStatus.DRAFT:
        raise DomainError(_("Only a draft contract can be put into force."), code="contract_not_draft")
    if not WorkItem.objects.filter(organization=contract.organization, contract=contract).exists():
        raise DomainError(_("Add at least one work item first."), code="contract_without_items")
    contract.status = ContractStatus.ACTIVE
    contract.signed_on = signed_on or contract.signed_on or local_today(contract.organization)
    contract._history_user = actor
    contract.save(update_fields=["status", "signed_on"])
    return contract


@transaction.atomic
def work_item_add(
    *,
    actor,
    contract: Contract,
    code: str,
    name: str,
    unit: str,
    unit_price: Decimal,
    planned_quantity: Decimal,
    source: str = WorkSource.MANUAL,
    loads_from: str = LoadScope.PUBLIC_AREAS,
) -> WorkItem:
    _require_provider(actor, contract)
    if contract.status == ContractStatus.CLOSED:
        raise DomainError(_("The contract is closed."), code="contract_closed")
    if unit not in WorkUnit.values or source not in WorkSource.values or loads_from not in LoadScope.values:
        raise DomainError(_("Choose a unit and where the quantities come from."), code="bad_item")
    if unit_price < 0 or planned_quantity < 0:
        raise DomainError(_("Prices and quantities cannot be negative."), code="negative")
    with field_rule("unit_price"):
        unit_price = check_amount(unit_price, allow_zero=True)
    if source == WorkSource.TRIP_LOADS:
        if unit != WorkUnit.CUBIC_METRE:
            raise DomainError(_("Loads of the trip log are measured in m³."), code="trip_loads_unit")
        if WorkItem.objects.filter(
            organization=contract.organization, contract=contract, source=WorkSource.TRIP_LOADS
        ).exists():
            raise DomainError(
                _("Another work item of this contract already takes the trip log's loads."),
                code="trip_loads_twice",
            )
    item = WorkItem(
        organization=contract.organization,
        contract=contract,
        code=code.strip(),
        name=name.strip(),
        unit=unit,
        unit_price=quantize(unit_price),
        planned_quantity=planned_quantity,
        source=source,
        loads_from=loads_from,
    )
    item._history_user = actor
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise DomainError(
            _("Work item code %(code)s is already used in this contract.") % {"code": item.code},
            code="duplicate_code",
        ) from error
    return item


# --- Work records ----------------------------------------------------------------------------------------------------


def _check_recordable(contract: Contract, day: datetime.date) -> None:
    if contract.status != ContractStatus.ACTIVE:
        raise DomainError(_("Work is recorded only against a contract in force."), code="contract_not_active")
    if not contract.starts_on <= day <= contract.ends_on:
        raise DomainError(_("This date is outside the contract's period."), code="date_outside")
    if day > local_today(contract.organization):
        raise DomainError(_("Work cannot be recorded in the future."), code="date_future")
    _check_month_open(contract, day)


@transaction.atomic
def work_record_add(
    *, actor, work_item: WorkItem, date: datetime.date, quantity: Decimal, note: str = "", photo=None
) -> WorkRecord:
    """Work done on one day. A draft act of that month is rebuilt, so it keeps matching its records."""
    _require_provider(actor, work_item.contract)
    contract = Contract.objects.select_for_update().get(
        pk=work_item.contract_id, organization=work_item.organization
    )
    _check_recordable(contract, date)
    if quantity is None or quantity <= 0:
        raise DomainError(_("Enter a quantity greater than zero."), code="quantity_not_positive")
    if work_item.source == WorkSource.TRIP_LOADS:
        raise DomainError(
            _("This work item takes its quantities from the loads of the trip log."),
            code="item_from_trip_loads",
        )
    record = WorkRecord(
        organization=contract.organization,
        work_item=work_item,
        date=date,
        quantity=quantity,
        note=note.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if photo:
        record.photo = photo
    record._history_user = actor
    record.save()
    _rebuild_draft(actor, contract, _month_start(date))
    return record


def _local_month_bounds(organization, month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = organization_zone(organization)
    start = datetime.datetime.combine(month, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(next_month(month), datetime.time.min, tzinfo=zone)
    return start, end


def _route_shares(organization, route_ids, loads_from: str) -> dict[int, Decimal]:
    """For each route, the share of what it collected that the work item pays for: the expected volume of its
    collected points of that scope over the expected volume of all its collected points (1 for every point)."""
    from khizmat.fieldwork.choices import StopStatus
    from khizmat.fieldwork.models import RouteStop

    collected: dict[int, Decimal] = {}
    covered: dict[int, Decimal] = {}
    stops = RouteStop.objects.filter(
        organization=organization, route_id__in=route_ids, status=StopStatus.DONE
    ).values_list(
        "route_id", "point__containers", "point__container_m3", "point__fill_percent", "point__is_public_area"
    )
    for route_id, containers, container_m3, fill_percent, public in stops:
        volume = containers * Decimal(container_m3) * fill_percent / 100
        collected[route_id] = collected.get(route_id, ZERO) + volume
        if public or loads_from == LoadScope.ALL_POINTS:
            covered[route_id] = covered.get(route_id, ZERO) + volume
    return {
        route_id: covered.get(route_id, ZERO) / total for route_id, total in collected.items() if total > 0
    }


@transaction.atomic
def work_records_from_trip_loads(*, actor, contract: Contract, month: datetime.date) -> int:
    """One work record per load of the trip log unloaded in ``month`` (in the enterprise's time zone) and not yet
    counted, for the contract's work item that takes trip loads — counting only the work the item names: a load
    counts for the share of its route's collection (by the points' expected volume) at the points the item covers
    (public areas, or every point); a load of a route that served none of them, or of no route, is not counted.
    Idempotent: a load is examined once (unique ``source_load``), so running it again adds nothing. Returns how many
    records were added."""
    _require_provider(actor, contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk, organization=contract.organization)
    month = _check_month(contract, month)
    if contract.status != ContractStatus.ACTIVE:
        raise DomainError(_("Work is recorded only against a contract in force."), code="contract_not_active")
    item = WorkItem.objects.filter(
        organization=contract.organization, contract=contract, source=WorkSource.TRIP_LOADS
    ).first()
    if item is None:
        raise DomainError(
            _("No work item of this contract takes the trip log's loads."), code="no_trip_loads_item"
        )
    _check_month_open(contract, month)
    from khizmat.fieldwork.models import TripLoad

    organization = contract.organization
    zone = organization_zone(organization)
    start, end = _local_month_bounds(organization, month)
    counted = WorkRecord.objects.filter(organization=organization, source_load__isnull=False).values(
        "source_load_id"
    )
    loads = list(
        TripLoad.objects.filter(
            organization=organization, unloaded_at__gte=start, unloaded_at__lt=end, volume_m3__gt=0
        )
        .exclude(pk__in=counted)
        .values_list("pk", "unloaded_at", "volume_m3", "trip__vehicle__plate", "trip__route_id")
        .order_by("unloaded_at", "pk")
    )
    shares = _route_shares(organization, {load[4] for load in loads if load[4]}, item.loads_from)
    now = timezone.now()
    records = []
    for pk, unloaded_at, volume, plate, route_id in loads:
        day = unloaded_at.astimezone(zone).date()
        if not contract.starts_on <= day <= contract.ends_on:
            continue
        share = shares.get(route_id, ZERO)
        quantity = (volume * share).quantize(Decimal("0.001"))
        if quantity <= 0:
            continue
        records.append(
            WorkRecord(
                organization=organization,
                work_item=item,
                date=day,
                quantity=quantity,
                note=plate if share == 1 else f"{plate} · {volume} m³ × {share * 100:.0f} %",
                source_load_id=pk,
                recorded_by=actor,
                recorded_at=now,
            )
        )
    if records:
        try:
            with transaction.atomic():
                bulk_create_with_history(records, WorkRecord, batch_size=500, default_user=actor)
        except IntegrityError as error:
            raise DomainError(
                _("These loads are being counted by someone else right now; try again."), code="import_race"
            ) from error
        _rebuild_draft(actor, contract, month)
    return len(records)


# --- Acts ------------------------------------------------------------------------------------------------------------


def _month_totals(contract: Contract, month: datetime.date) -> dict[int, Decimal]:
    return dict(
        WorkRecord.objects.filter(
            organization=contract.organization,
            work_item__contract=contract,
            date__gte=month,
            date__lt=next_month(month),
        )
        .values("work_item_id")
        .annotate(total=Sum("quantity"))
        .order_by()
        .values_list("work_item_id", "total")
    )


def _write_lines(actor, act: Act) -> None:
    """Lines of every work item of the contract, from the records of the month (kept ids, updated in place)."""
    contract = act.contract
    totals = _month_totals(contract, act.month)
    existing = {
        line.work_item_id: line for line in ActLine.objects.filter(organization=act.organization, act=act)
    }
    for item in WorkItem.objects.filter(organization=contract.organization, contract=contract).order_by(
        "code"
    ):
        actual = totals.get(item.pk) or ZERO
        values = {
            "planned_quantity": item.monthly_plan,
            "actual_quantity": actual,
            "unit_price": item.unit_price,
            "amount": quantize(actual * item.unit_price),
        }
        line = existing.get(item.pk)
        if line is None:
            line = ActLine(organization=act.organization, act=act, work_item=item, **values)
            line._history_user = actor
            line.save()
        elif any(getattr(line, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(line, field, value)
            line._history_user = actor
            line.save(update_fields=list(values))


def _rebuild_draft(actor, contract: Contract, month: datetime.date) -> None:
    act = _act_of_month(contract, month)
    if act is not None and act.status == ActStatus.DRAFT:
        _write_lines(actor, act)


@transaction.atomic
def act_build(*, actor, contract: Contract, month: datetime.date) -> Act:
    """Draw up (or redraw) the draft act of ``month`` from the work records. Refused once it is submitted."""
    _require_provider(actor, contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk, organization=contract.organization)
    month = _check_month(contract, month)
    if contract.status == ContractStatus.DRAFT:
        raise DomainError(_("The contract is not in force yet."), code="contract_not_active")
    if month > local_today(contract.organization):
        raise DomainError(_("An act cannot be drawn up for a future month."), code="month_future")
    act = _act_of_month(contract, month)
    if act is None:
        act = Act(
            organization=contract.organization,
            contract=contract,
            month=month,
            number=f"{contract.number}/{month:%m.%Y}",
        )
        act._history_user = actor
        act.save()
    elif act.status != ActStatus.DRAFT:
        raise DomainError(
            _("The act of this month is already submitted; it cannot be redrawn."), code="act_not_draft"
        )
    _write_lines(actor, act)
    return act


def _lock_act(act: Act) -> Act:
    return (
        Act.objects.select_for_update()
        .select_related("contract", "contract__customer")
        .get(pk=act.pk, organization=act.organization)
    )


@transaction.atomic
def act_submit(*, actor, act: Act) -> Act:
    """The enterprise submits the act to the local government (its lines are redrawn from the records first)."""
    _require_provider(actor, act.contract)
    act = _lock_act(act)
    if act.status != ActStatus.DRAFT:
        raise DomainError(_("Only a draft act can be submitted."), code="act_not_draft")
    if next_month(act.month) > local_today(act.organization):
        raise DomainError(
            _("The month of this act has not ended yet: submit it from the first day of the next month."),
            code="month_not_ended",
        )
    _write_lines(actor, act)
    act.status = ActStatus.SUBMITTED
    act.submitted_at = timezone.now()
    act.submitted_by = actor
    act._history_user = actor
    act.save(update_fields=["status", "submitted_at", "submitted_by"])
    return act


def _lock_line(line: ActLine) -> tuple[ActLine, Act]:
    act = _lock_act(line.act)
    line = (
        ActLine.objects.select_for_update()
        .select_related("work_item")
        .get(pk=line.pk, organization=line.organization)
    )
    return line, act


@transaction.atomic
def act_line_dispute(*, actor, line: ActLine, comment: str) -> ActLine:
    """The local government disputes one line of a submitted act, saying why."""
    _require_customer(actor, line.act.contract)
    line, act = _lock_line(line)
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(_("Say what is wrong with this line."), code="comment_required")
    if act.status not in (ActStatus.SUBMITTED, ActStatus.DISPUTED, ActStatus.ANSWERED):
        raise DomainError(_("Only a submitted act can be disputed."), code="act_not_submitted")
    if line.status == LineStatus.DISPUTED:
        raise DomainError(_("This line is already disputed and waits for the answer."), code="line_disputed")
    line.status = LineStatus.DISPUTED
    line.dispute_comment = comment
    line.disputed_by = actor
    line.disputed_at = timezone.now()
    line._history_user = actor
    line.save(update_fields=["status", "dispute_comment", "disputed_by", "disputed_at"])
    if act.status != ActStatus.DISPUTED:
        act.status = ActStatus.DISPUTED
        act._history_user = actor
        act.save(update_fields=["status"])
    return line


@transaction.atomic
def act_line_answer(
    *, actor, line: ActLine, answer: str, corrected_quantity: Decimal | None = None
) -> ActLine:
    """The enterprise answers a disputed line: explains, and may correct the quantity. A correction is a new work
    record of the difference (dated the act's last day within the contract), so the line stays the sum of its
    records."""
    _require_provider(actor, line.act.contract)
    line, act = _lock_line(line)
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("Write the answer to the dispute."), code="answer_required")
    if line.status != LineStatus.DISPUTED:
        raise DomainError(_("This line is not disputed."), code="line_not_disputed")
    fields = ["status", "answer", "answered_by", "answered_at"]
    if corrected_quantity is not None:
        if corrected_quantity < 0:
            raise DomainError(_("The corrected quantity cannot be negative."), code="negative")
        delta = corrected_quantity - line.actual_quantity
        if delta:
            contract = act.contract
            last_day = min(next_month(act.month) - datetime.timedelta(days=1), contract.ends_on)
            correction = WorkRecord(
                organization=act.organization,
                work_item=line.work_item,
                date=last_day,
                quantity=delta,
                note=str(_("Correction after the dispute: %(answer)s") % {"answer": answer})[:500],
                is_correction=True,
                recorded_by=actor,
                recorded_at=timezone.now(),
            )
            correction._history_user = actor
            correction.save()
            line.actual_quantity = _month_totals(contract, act.month).get(line.work_item_id) or ZERO
            line.amount = quantize(line.actual_quantity * line.unit_price)
            fields += ["actual_quantity", "amount"]
    line.status = LineStatus.ANSWERED
    line.answer = answer
    line.answered_by = actor
    line.answered_at = timezone.now()
    line._history_user = actor
    line.save(update_fields=fields)
    if not ActLine.objects.filter(
        organization=act.organization, act=act, status=LineStatus.DISPUTED
    ).exists():
        act.status = ActStatus.ANSWERED
        act._history_user = actor
        act.save(update_fields=["status"])
    return line


@transaction.atomic
def act_accept(*, actor, act: Act) -> Act:
    """The local government accepts the act; refused while a line is disputed without an answer."""
    _require_customer(actor, act.contract)
    act = _lock_act(act)
    if act.status not in (ActStatus.SUBMITTED, ActStatus.ANSWERED, ActStatus.DISPUTED):
        raise DomainError(_("Only a submitted act can be accepted."), code="act_not_submitted")
    if ActLine.objects.filter(organization=act.organization, act=act, status=LineStatus.DISPUTED).exists():
        raise DomainError(
            _("A disputed line has no answer yet: the act can be accepted once the enterprise answers."),
            code="dispute_open",
        )
    act.status = ActStatus.ACCEPTED
    act.accepted_at = timezone.now()
    act.accepted_by = actor
    act._history_user = actor
    act.save(update_fields=["status", "accepted_at", "accepted_by"])
    # An accepted act's lines count in the month the act covers.
    kpi_touch(organization_id=act.organization_id, source=KPI_SOURCE, days=[act.month])
    return act
