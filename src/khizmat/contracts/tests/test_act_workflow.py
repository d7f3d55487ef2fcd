"""The act of completed work: built from the records, submitted, disputed line by line, answered (with a correction
that is itself a record), accepted — and every line always equals the sum of its records."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from khizmat.contracts import services
from khizmat.contracts.choices import ActStatus, LineStatus
from khizmat.contracts.models import ActLine, WorkRecord
from khizmat.core.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db


def assert_lines_match_records(act):
    for line in ActLine.objects.filter(act=act).select_related("work_item"):
        records = WorkRecord.objects.filter(
            work_item=line.work_item, date__year=act.month.year, date__month=act.month.month
        )
        total = records.aggregate(total=Sum("quantity"))["total"] or Decimal("0")
        assert line.actual_quantity == total, line.work_item.code
        assert line.amount == (total * line.unit_price).quantize(Decimal("0.01"))


def record(actor, item, day, quantity, note=""):
    return services.work_record_add(
        actor=actor, work_item=item, date=day, quantity=Decimal(quantity), note=note
    )


def test_build_submit_dispute_answer_accept(
    contract, sweeping, waste, last_month, provider_manager, customer_manager
):
    record(provider_manager, sweeping, last_month, "40")
    record(provider_manager, sweeping, last_month + datetime.timedelta(days=5), "45.5")
    act = services.act_build(actor=provider_manager, contract=contract, month=last_month)
    assert act.status == ActStatus.DRAFT and act.number == f"MZ-2026-01/{last_month:%m.%Y}"
    lines = {line.work_item.code: line for line in act.lines.select_related("work_item")}
    assert set(lines) == {"1", "2"}
    assert lines["2"].actual_quantity == Decimal("85.5")
    assert lines["2"].planned_quantity == Decimal("150.000")  # 1800 over the contract's 12 months
    assert lines["2"].amount == Decimal("81225.00")
    assert lines["2"].fulfilment == Decimal("57.0")
    assert lines["1"].actual_quantity == 0

    # A record added to a month whose act is still a draft keeps the act up to date.
    record(provider_manager, sweeping, last_month + datetime.timedelta(days=9), "10")
    assert_lines_match_records(act)

    services.act_submit(actor=provider_manager, act=act)
    act.refresh_from_db()
    assert act.status == ActStatus.SUBMITTED and act.submitted_by == provider_manager
    # Submitted: the month's records are frozen, the act cannot be redrawn.
    with pytest.raises(DomainError) as frozen:
        record(provider_manager, sweeping, last_month + datetime.timedelta(days=10), "1")
    assert frozen.value.code == "month_submitted"
    with pytest.raises(DomainError) as rebuilt:
        services.act_build(actor=provider_manager, contract=contract, month=last_month)
    assert rebuilt.value.code == "act_not_draft"

    line = act.lines.get(work_item=sweeping)
    with pytest.raises(DomainError) as empty:
        services.act_line_dispute(actor=customer_manager, line=line, comment="   ")
    assert empty.value.code == "comment_required"
    services.act_line_dispute(actor=customer_manager, line=line, comment="Zhenish street was not swept")
    act.refresh_from_db()
    line.refresh_from_db()
    assert act.status == ActStatus.DISPUTED and line.status == LineStatus.DISPUTED
    assert line.disputed_by == customer_manager

    with pytest.raises(DomainError) as open_dispute:
        services.act_accept(actor=customer_manager, act=act)
    assert open_dispute.value.code == "dispute_open"
    with pytest.raises(DomainError) as no_answer:
        services.act_line_answer(actor=provider_manager, line=line, answer="")
    assert no_answer.value.code == "answer_required"

    services.act_line_answer(
        actor=provider_manager, line=line, answer="Agreed, 6 km less", corrected_quantity=Decimal("89.5")
    )
    line.refresh_from_db()
    act.refresh_from_db()
    assert line.status == LineStatus.ANSWERED and line.actual_quantity == Decimal("89.5")
    assert line.amount == Decimal("85025.00")
    assert act.status == ActStatus.ANSWERED
    correction = WorkRecord.objects.get(work_item=sweeping, is_correction=True)
    assert correction.quantity == Decimal("-6") and "Agreed, 6 km less" in correction.note
    assert correction.date.month == last_month.month
    assert_lines_match_records(act)

    services.act_accept(actor=customer_manager, act=act)
    act.refresh_from_db()
    assert act.status == ActStatus.ACCEPTED and act.accepted_by == customer_manager
    with pytest.raises(DomainError):
        services.act_accept(actor=customer_manager, act=act)
    with pytest.raises(DomainError):
        services.act_line_dispute(actor=customer_manager, line=line, comment="late")
    # Every change is in the audit trail, with who made it.
    assert {h.history_user for h in act.history.all()} >= {provider_manager, customer_manager}
    assert line.history.filter(history_user=customer_manager, status=LineStatus.DISPUTED).exists()


def test_an_answer_without_correction_keeps_the_quantity(
    contract, sweeping, last_month, provider_manager, customer_manager
):
    record(provider_manager, sweeping, last_month, "30")
    act = services.act_build(actor=provider_manager, contract=contract, month=last_month)
    services.act_submit(actor=provider_manager, act=act)
    line = act.lines.get()
    services.act_line_dispute(actor=customer_manager, line=line, comment="Too much?")
    services.act_line_answer(actor=provider_manager, line=line, answer="Photos are attached to every record")
    line.refresh_from_db()
    assert line.actual_quantity == Decimal("30") and line.status == LineStatus.ANSWERED
    assert not WorkRecord.objects.filter(is_correction=True).exists()
    # A line answered may be disputed again; an undisputed line cannot be answered.
    services.act_line_dispute(actor=customer_manager, line=line, comment="Still too much")
    services.act_line_answer(
        actor=provider_manager, line=line, answer="Corrected", corrected_quantity=Decimal("0")
    )
    line.refresh_from_db()
    assert line.actual_quantity == 0 and line.amount == 0
    with pytest.raises(DomainError) as not_disputed:
        services.act_line_answer(actor=provider_manager, line=line, answer="again")
    assert not_disputed.value.code == "line_not_disputed"
    assert_lines_match_records(act)


def test_only_submitted_acts_are_disputed_or_accepted(
    contract, sweeping, last_month, provider_manager, customer_manager
):
    act = services.act_build(actor=provider_manager, contract=contract, month=last_month)
    with pytest.raises(DomainError) as draft:
        services.act_accept(actor=customer_manager, act=act)
    assert draft.value.code == "act_not_submitted"
    with pytest.raises(DomainError):
        services.act_line_dispute(actor=customer_manager, line=act.lines.get(), comment="why")
    services.act_submit(actor=provider_manager, act=act)
    with pytest.raises(DomainError) as twice:
        services.act_submit(actor=provider_manager, act=act)
    assert twice.value.code == "act_not_draft"


def test_months_and_dates_outside_the_contract_are_refused(contract, sweeping, provider_manager, this_month):
    before = contract.starts_on - datetime.timedelta(days=1)
    with pytest.raises(DomainError) as outside:
        services.act_build(actor=provider_manager, contract=contract, month=before)
    assert outside.value.code == "month_outside"
    with pytest.raises(DomainError) as future_month:
        services.act_build(
            actor=provider_manager,
            contract=contract,
            month=(this_month + datetime.timedelta(days=40)).replace(day=1),
        )
    assert future_month.value.code == "month_future"
    with pytest.raises(DomainError) as early:
        record(provider_manager, sweeping, before, "1")
    assert early.value.code == "date_outside"
    with pytest.raises(DomainError) as negative:
        record(provider_manager, sweeping, contract.starts_on, "-1")
    assert negative.value.code == "quantity_not_positive"


def test_manual_records_are_refused_for_trip_log_items(contract, waste, last_month, provider_manager):
    with pytest.raises(DomainError) as refused:
        record(provider_manager, waste, last_month, "5")
    assert refused.value.code == "item_from_trip_loads"


def test_each_side_acts_on_its_own_side_only(
    contract, sweeping, last_month, provider_manager, customer_manager, member, provider, customer, org_a
):
    record(provider_manager, sweeping, last_month, "30")
    # The customer cannot draw up or submit; the provider cannot dispute or accept its own act.
    with pytest.raises(PermissionDenied):
        services.act_build(actor=customer_manager, contract=contract, month=last_month)
    act = services.act_build(actor=provider_manager, contract=contract, month=last_month)
    with pytest.raises(PermissionDenied):
        services.act_submit(actor=customer_manager, act=act)
    services.act_submit(actor=provider_manager, act=act)
    line = act.lines.get()
    with pytest.raises(PermissionDenied):
        services.act_line_dispute(actor=provider_manager, line=line, comment="self")
    with pytest.raises(PermissionDenied):
        services.act_accept(actor=provider_manager, act=act)
    # Read-only roles of either side change nothing; a third organization neither.
    from khizmat.tenancy.roles import Role

    with pytest.raises(PermissionDenied):
        services.act_accept(actor=member(customer, Role.AUDITOR), act=act)
    with pytest.raises(PermissionDenied):
        record(member(provider, Role.AUDITOR), sweeping, last_month, "1")
    with pytest.raises(PermissionDenied):
        services.act_accept(actor=member(org_a, Role.ADMIN), act=act)
    # Without the oversight link the customer's signature is refused too.
    from khizmat.tenancy.models import Oversight

    Oversight.objects.filter(overseer=customer).delete()
    with pytest.raises(PermissionDenied):
        services.act_accept(actor=customer_manager, act=act)


def test_contract_create_and_activate(provider, customer, provider_manager, org_a, this_month):
    day = this_month
    with pytest.raises(DomainError) as not_lg:
        services.contract_create(
            actor=provider_manager, organization=provider, customer=org_a, number="X", title="T",
            starts_on=day, ends_on=day,
        )  # fmt: skip
    assert not_lg.value.code == "customer_not_local_government"
    contract = services.contract_create(
        actor=provider_manager, organization=provider, customer=customer, number="MZ-9", title="Greening",
        starts_on=day, ends_on=day + datetime.timedelta(days=90),
    )  # fmt: skip
    with pytest.raises(DomainError) as duplicate:
        services.contract_create(
            actor=provider_manager, organization=provider, customer=customer, number="MZ-9", title="Again",
            starts_on=day, ends_on=day,
        )  # fmt: skip
    assert duplicate.value.code == "duplicate_number"
    with pytest.raises(DomainError) as empty:
        services.contract_activate(actor=provider_manager, contract=contract)
    assert empty.value.code == "contract_without_items"
    services.work_item_add(
        actor=provider_manager, contract=contract, code="1", name="Trees", unit="pcs",
        unit_price=Decimal("650"), planned_quantity=Decimal("30"),
    )  # fmt: skip
    with pytest.raises(DomainError) as twice:
        services.work_item_add(
            actor=provider_manager, contract=contract, code="1", name="Trees", unit="pcs",
            unit_price=Decimal("650"), planned_quantity=Decimal("30"),
        )  # fmt: skip
    assert twice.value.code == "duplicate_code"
    services.contract_activate(actor=provider_manager, contract=contract)
    contract.refresh_from_db()
    assert contract.status == "active" and contract.signed_on
    assert contract.month_count == 4


def test_an_act_is_submitted_only_after_its_month(
    contract, sweeping, this_month, last_month, provider_manager
):
    act = services.act_build(actor=provider_manager, contract=contract, month=this_month)
    with pytest.raises(DomainError) as early:
        services.act_submit(actor=provider_manager, act=act)
    assert early.value.code == "month_not_ended"
    act.refresh_from_db()
    assert act.status == ActStatus.DRAFT
    done = services.act_build(actor=provider_manager, contract=contract, month=last_month)
    assert services.act_submit(actor=provider_manager, act=done).status == ActStatus.SUBMITTED


def test_a_drivers_load_cannot_change_the_trip_log_under_a_submitted_act(
    contract, waste, last_month, provider, provider_manager
):
    """A backdated load of the phone changed last month's trip log under its accepted act: now it is refused."""
    import uuid

    from khizmat.fieldwork import services as fieldwork
    from khizmat.fieldwork.choices import FacilityKind
    from khizmat.fieldwork.models import TripLoad
    from khizmat.fieldwork.tests.factories import FacilityFactory, RouteFactory

    act = services.act_build(actor=provider_manager, contract=contract, month=last_month)
    services.act_submit(actor=provider_manager, act=act)
    route = RouteFactory(organization=provider, driver=provider_manager)
    landfill = FacilityFactory(organization=provider, kind=FacilityKind.LANDFILL)

    def load(day: datetime.date) -> dict:
        return {
            "id": str(uuid.uuid4()),
            "route": route.pk,
            "kind": "load",
            "at": f"{day.isoformat()}T12:00:00+06:00",
            "facility": landfill.pk,
            "volume_m3": "5",
        }

    answers = fieldwork.driver_marks_receive(
        actor=provider_manager,
        organization=provider,
        marks=[load(last_month + datetime.timedelta(days=20)), load(contract.ends_on.replace(day=1))],
    )
    assert [a["status"] for a in answers] == ["refused", "applied"]
    assert contract.number in answers[0]["message"]
    assert TripLoad.objects.filter(organization=provider).count() == 1
