"""Field-work KPIs against figures worked out by hand: planned and collected points, missed pickups, km and m³ per
trip, fuel against the vehicles' norms; and the fulfilment of municipal orders' accepted acts."""

import datetime
from decimal import Decimal

import pytest

from khizmat.contracts.choices import ActStatus
from khizmat.contracts.tests.factories import ActFactory, ActLineFactory, ContractFactory
from khizmat.fieldwork.choices import RouteStatus, SkipReason, StopStatus
from khizmat.fieldwork.tests.factories import (
    RouteFactory,
    RouteStopFactory,
    TripFactory,
    TripLoadFactory,
    VehicleFactory,
)
from khizmat.monitoring import registry, services
from khizmat.monitoring.registry import FIELDWORK
from khizmat.monitoring.tests.helpers import FEBRUARY, MARCH, kpi_values
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.tests.factories import OrganizationFactory, country

pytestmark = pytest.mark.django_db

DAY = datetime.date(2031, 3, 10)


def _route(org, vehicle, date, status, stops):
    route = RouteFactory(organization=org, vehicle=vehicle, date=date, status=status)
    for status_of_stop, reason in stops:
        RouteStopFactory(organization=org, route=route, status=status_of_stop, skip_reason=reason, photo="")
    return route


@pytest.fixture
def enterprise(clock):
    org = OrganizationFactory(kind=OrganizationKind.MUNICIPAL_ENTERPRISE, country=country("KG"))
    truck = VehicleFactory(organization=org, fuel_norm=Decimal("35.0"))
    tipper = VehicleFactory(organization=org, fuel_norm=Decimal("20.0"))
    done, skipped, pending = StopStatus.DONE, StopStatus.SKIPPED, StopStatus.PENDING
    _route(
        org,
        truck,
        DAY,
        RouteStatus.FINISHED,
        [
            (done, ""),
            (done, ""),
            (skipped, SkipReason.BLOCKED),  # missed
            (skipped, SkipReason.NO_WASTE),  # nothing to collect: not missed
            (pending, ""),  # not marked when the route finished: missed
        ],
    )
    _route(org, tipper, DAY, RouteStatus.STARTED, [(done, ""), (pending, "")])  # still on the road
    _route(org, truck, DAY + datetime.timedelta(days=1), RouteStatus.PLANNED, [(pending, "")])
    first = TripFactory(organization=org, vehicle=truck, date=DAY, distance_km=100, fuel_litres=40)
    TripLoadFactory(organization=org, trip=first, volume_m3=Decimal("8.00"))
    TripLoadFactory(organization=org, trip=first, volume_m3=Decimal("6.50"))
    second = TripFactory(organization=org, vehicle=tipper, date=DAY, distance_km=50, fuel_litres=9)
    TripLoadFactory(organization=org, trip=second, volume_m3=Decimal("5.00"))
    TripFactory(
        organization=org,
        vehicle=truck,
        date=DAY + datetime.timedelta(days=1),
        distance_km=None,
        fuel_litres=None,
    )
    services.kpi_rebuild()
    return org


def test_fieldwork_kpis_equal_the_hand_computed_figures(enterprise):
    values = kpi_values([enterprise], section=FIELDWORK)
    assert values["fieldwork.points_planned"] == 8
    assert values["fieldwork.points_collected"] == Decimal(300) / 8  # 3 of 8
    assert values["fieldwork.missed_pickups"] == 2
    assert values["fieldwork.km_per_trip"] == 75  # 150 km over the 2 trips with a distance
    assert values["fieldwork.m3_per_trip"] == Decimal("9.75")  # 19.5 m³ over the 2 trips that unloaded
    # 49 litres used against 100 km × 35 l/100 km + 50 km × 20 l/100 km = 45 litres allowed.
    assert values["fieldwork.fuel_against_norm"] == pytest.approx(Decimal(4900) / 45)
    records = registry.kpi("fieldwork.missed_pickups").records
    missed = records.queryset([enterprise.pk], MARCH, datetime.date(2031, 3, 31))
    assert sorted(stop.status for stop in missed) == [StopStatus.PENDING, StopStatus.SKIPPED]


def _accepted_act(org, month, lines, status=ActStatus.ACCEPTED):
    contract = ContractFactory(
        organization=org, starts_on=datetime.date(2031, 1, 1), ends_on=datetime.date(2031, 12, 31)
    )
    act = ActFactory(organization=org, contract=contract, month=month, status=status)
    for planned, price, actual in lines:
        ActLineFactory(
            organization=org,
            act=act,
            planned_quantity=Decimal(planned),
            unit_price=Decimal(price),
            actual_quantity=Decimal(actual),
            amount=Decimal(actual) * Decimal(price),
        )
    return act


def test_act_fulfilment_weighs_the_accepted_lines_by_price_in_the_act_month(clock):
    org = OrganizationFactory(kind=OrganizationKind.MUNICIPAL_ENTERPRISE, country=country("KG"))
    # 90 of 100 km at 10, 8 of 10 trips at 50: 900 + 400 done of 1000 + 500 planned.
    _accepted_act(org, FEBRUARY, [("100", "10", "90"), ("10", "50", "8")])
    _accepted_act(org, MARCH, [("100", "10", "10")], status=ActStatus.SUBMITTED)  # not accepted yet
    services.kpi_rebuild()
    february = kpi_values([org], codes={"contracts.act_fulfilment"}, month_from=FEBRUARY, month_to=FEBRUARY)
    assert february["contracts.act_fulfilment"] == Decimal(1300) * 100 / 1500
    assert kpi_values([org], codes={"contracts.act_fulfilment"})["contracts.act_fulfilment"] is None
