"""Waste removal quantities come from the loads of the trip log: one record per load of the month, counted once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from khizmat.contracts import services
from khizmat.contracts.choices import LoadScope
from khizmat.contracts.models import WorkRecord
from khizmat.core.errors import DomainError
from khizmat.fieldwork.choices import StopStatus
from khizmat.fieldwork.tests.factories import (
    CollectionPointFactory,
    RouteFactory,
    RouteStopFactory,
    TripFactory,
    TripLoadFactory,
)

pytestmark = pytest.mark.django_db


def route_serving(provider, *points: tuple[bool, int]):
    """A route that collected at points of (public area?, containers): what its loads carried."""
    route = RouteFactory(organization=provider)
    for public, containers in points:
        RouteStopFactory(
            organization=provider,
            route=route,
            status=StopStatus.DONE,
            point=CollectionPointFactory(organization=provider, is_public_area=public, containers=containers),
        )
    return route


def load_on(provider, day: datetime.date, volume: str, hour: int = 12, route=None):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    route = route or route_serving(provider, (True, 1))
    trip = TripFactory(organization=provider, route=route, vehicle=route.vehicle, date=day)
    return TripLoadFactory(organization=provider, trip=trip, unloaded_at=moment, volume_m3=Decimal(volume))


def test_loads_of_the_month_are_counted_once(
    contract,
    waste,
    sweeping,
    last_month,
    this_month,
    provider,
    provider_manager,
    org_a,
    django_assert_max_num_queries,
):
    loads = [load_on(provider, last_month + datetime.timedelta(days=i), "12.50") for i in range(3)]
    load_on(provider, this_month, "9.00")  # another month
    TripLoadFactory(organization=org_a, unloaded_at=loads[0].unloaded_at)  # another enterprise

    with django_assert_max_num_queries(20):
        added = services.work_records_from_trip_loads(
            actor=provider_manager, contract=contract, month=last_month
        )
    assert added == 3
    records = WorkRecord.objects.filter(work_item=waste).order_by("date")
    assert [r.source_load_id for r in records] == [load.pk for load in loads]
    assert [r.quantity for r in records] == [Decimal("12.50")] * 3
    assert all(r.history.exists() for r in records)  # audited although written in bulk

    # Idempotent: again adds nothing; a new load of the month is added alone.
    assert (
        services.work_records_from_trip_loads(actor=provider_manager, contract=contract, month=last_month)
        == 0
    )
    load_on(provider, last_month + datetime.timedelta(days=7), "3.25")
    assert (
        services.work_records_from_trip_loads(actor=provider_manager, contract=contract, month=last_month)
        == 1
    )

    act = services.act_build(actor=provider_manager, contract=contract, month=last_month)
    assert act.lines.get(work_item=waste).actual_quantity == Decimal("40.75")

    # After submission the month is frozen: loads that arrive late are not slipped into the act.
    services.act_submit(actor=provider_manager, act=act)
    load_on(provider, last_month + datetime.timedelta(days=8), "1.00")
    with pytest.raises(DomainError) as frozen:
        services.work_records_from_trip_loads(actor=provider_manager, contract=contract, month=last_month)
    assert frozen.value.code == "month_submitted"


def test_a_contract_without_a_trip_log_item_says_so(contract, sweeping, last_month, provider_manager):
    with pytest.raises(DomainError) as refused:
        services.work_records_from_trip_loads(actor=provider_manager, contract=contract, month=last_month)
    assert refused.value.code == "no_trip_loads_item"


def test_only_one_item_takes_the_trip_log(contract, waste, provider_manager):
    with pytest.raises(DomainError) as refused:
        services.work_item_add(
            actor=provider_manager, contract=contract, code="9", name="More waste", unit="m3",
            unit_price=Decimal("1"), planned_quantity=Decimal("1"), source="trip_loads",
        )  # fmt: skip
    assert refused.value.code == "trip_loads_twice"


def test_an_item_counts_only_the_loads_of_the_points_it_names(
    contract, waste, last_month, provider, provider_manager
):
    """ "Waste removal from public areas" is not every truck's household round: a load counts for the public areas'
    share of its route (by expected volume); a route of households only, or a trip without a route, adds nothing."""
    mixed = route_serving(provider, (True, 1), (False, 3))  # a quarter of the expected volume is public
    day = last_month + datetime.timedelta(days=2)
    load_on(provider, day, "20.00", route=mixed)
    load_on(provider, day, "30.00", route=route_serving(provider, (False, 2)))
    TripLoadFactory(
        organization=provider,
        trip=TripFactory(organization=provider, route=None),
        unloaded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
    )

    assert (
        services.work_records_from_trip_loads(actor=provider_manager, contract=contract, month=last_month)
        == 1
    )
    assert list(WorkRecord.objects.filter(work_item=waste).values_list("quantity", flat=True)) == [
        Decimal("5.000")
    ]

    # An item that orders the removal of all waste counts whole loads.
    WorkRecord.objects.all().delete()
    type(waste).objects.filter(pk=waste.pk).update(loads_from=LoadScope.ALL_POINTS)
    services.work_records_from_trip_loads(actor=provider_manager, contract=contract, month=last_month)
    assert sorted(WorkRecord.objects.values_list("quantity", flat=True)) == [
        Decimal("20.000"),
        Decimal("30.000"),
    ]
