"""Per vehicle over a period: trips, km, loads, load factor and fuel against the norm, with the deviations flagged
(fuel over the norm, half-empty loads, a truck in service that stays in the yard)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from khizmat.fieldwork.selectors import vehicle_performance
from khizmat.fieldwork.tests.factories import TripFactory, TripLoadFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 11, 2), datetime.date(2026, 11, 6)  # Monday to Friday


def rows(fleet):
    return {
        row.vehicle.plate: row
        for row in vehicle_performance(organization=fleet.organization, start=START, end=END)
    }


def test_km_loads_and_fuel_are_summed_per_vehicle(fleet):
    compactor = fleet.vehicles[0]  # 8 m³, norm 35 l/100 km
    for day in range(5):
        trip = TripFactory(
            organization=fleet.organization,
            vehicle=compactor,
            date=START + datetime.timedelta(days=day),
            distance_km=Decimal("40.0"),
            fuel_litres=Decimal("14.0"),
        )
        TripLoadFactory(
            organization=fleet.organization, trip=trip, facility=fleet.landfill, volume_m3=Decimal("7.20")
        )
    TripFactory(organization=fleet.organization, vehicle=compactor, date=END + datetime.timedelta(days=1))

    row = rows(fleet)["03 451 AKB"]

    assert (row.trips, row.km, row.loads, row.volume_m3, row.working_days) == (
        5,
        Decimal("200.0"),
        5,
        Decimal("36.00"),
        5,
    )
    assert row.load_factor == pytest.approx(0.9)
    assert row.fuel_per_100km == Decimal("35.0")
    assert row.flags == []


def test_deviations_are_flagged(fleet):
    tipper = fleet.vehicles[1]  # 6 m³, norm 35
    trip = TripFactory(
        organization=fleet.organization,
        vehicle=tipper,
        date=START,
        distance_km=Decimal("50"),
        fuel_litres=Decimal("25"),
    )
    TripLoadFactory(
        organization=fleet.organization, trip=trip, facility=fleet.landfill, volume_m3=Decimal("2.00")
    )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.localdate", lambda *a: END)
        flags = " ".join(rows(fleet)["03 118 ACE"].flags)

    assert "50.0 l/100 km" in flags  # against a norm of 35
    assert "33%" in flags  # 2 m³ in a 6 m³ body
    assert "1 of 5 working days" in flags


def test_the_page_shows_the_table_and_refuses_a_backwards_period(fleet, client):
    client.force_login(fleet.dispatcher)
    url = reverse("fieldwork:vehicle_performance")

    page = client.get(url, {"start": START, "end": END}, HTTP_ACCEPT_LANGUAGE="en")
    bad = client.get(url, {"start": END, "end": START}, HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200 and "03 451 AKB" in page.content.decode()
    assert bad.status_code == 400 and "ends after it starts" in bad.content.decode()
