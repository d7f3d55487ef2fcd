"""The enterprise keeps its fleet in the app: vehicles, their crews, maintenance plan and log, and fuel."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.fieldwork import selectors, services
from khizmat.fieldwork.choices import CrewPosition, ServiceKind, VehicleKind
from khizmat.fieldwork.models import CrewMember, FuelRecord, MaintenanceRule, Vehicle, VehicleService
from khizmat.fieldwork.tests.factories import MaintenanceRuleFactory, TripFactory, VehicleServiceFactory
from khizmat.inventory.choices import EquipmentStatus
from khizmat.tenancy.roles import Role

TODAY = datetime.date(2026, 12, 8)


@pytest.fixture
def truck(fleet):
    return fleet.vehicles[0]


def _page(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_a_dispatcher_adds_a_truck_with_its_donor_and_edits_it(fleet, client):
    from khizmat.tenancy.choices import OrganizationKind
    from khizmat.tenancy.tests.factories import OrganizationFactory

    donor = OrganizationFactory(kind=OrganizationKind.FUNDER_PROJECT, name="Clean Toktogul project")
    client.force_login(fleet.dispatcher)
    response = client.post(
        reverse("fieldwork:vehicle_add"),
        {
            "plate": "03 777 kgz",
            "kind": VehicleKind.COMPACTOR,
            "make_model": "KAMAZ 53605",
            "capacity_m3": "12",
            "capacity_kg": "7000",
            "fuel_norm": "32.5",
            "funder_project": donor.pk,
        },
    )
    vehicle = Vehicle.objects.get(organization=fleet.organization, plate="03 777 KGZ")
    assert response.status_code == 302 and response["Location"] == reverse(
        "fieldwork:vehicle_detail", args=[vehicle.pk]
    )
    assert vehicle.equipment.model == "KAMAZ 53605" and vehicle.equipment.funder_project == donor
    assert vehicle.history.latest().history_user == fleet.dispatcher

    edit = client.post(
        reverse("fieldwork:vehicle_edit", args=[vehicle.pk]),
        {
            "plate": "03 777 KGZ",
            "kind": VehicleKind.TIPPER,
            "make_model": "KAMAZ 65115",
            "capacity_m3": "10",
            "capacity_kg": "9000",
            "fuel_norm": "30",
        },
    )
    assert edit.status_code == 302
    vehicle.refresh_from_db()
    vehicle.equipment.refresh_from_db()
    assert vehicle.kind == VehicleKind.TIPPER and vehicle.equipment.model == "KAMAZ 65115"
    fleet_page = client.get(reverse("fieldwork:fleet")).content.decode()
    assert "03 777 KGZ" in fleet_page and "KAMAZ 65115" in fleet_page


def test_a_plate_taken_by_another_vehicle_is_refused_on_the_form(fleet, truck, client):
    other = fleet.vehicles[1]
    client.force_login(fleet.dispatcher)
    response = client.post(
        reverse("fieldwork:vehicle_edit", args=[other.pk]),
        {
            "plate": truck.plate.lower(),
            "kind": other.kind,
            "capacity_m3": "6",
            "capacity_kg": "5000",
            "fuel_norm": "30",
        },
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.plate != truck.plate


def test_maintenance_plan_counts_from_the_last_service_and_flags_what_is_due(fleet, truck):
    start = TODAY - datetime.timedelta(days=100)
    oil = services.maintenance_rule_save(
        actor=fleet.dispatcher,
        vehicle=truck,
        name="Engine oil",
        kind=ServiceKind.SERVICE,
        every_days=90,
        every_km=10_000,
        start_date=start,
        start_km=40_000,
    )
    [due] = selectors.maintenance_due(organization=fleet.organization, vehicle_ids=[truck.pk], today=TODAY)
    assert (due.next_date, due.next_km, due.state) == (start + datetime.timedelta(days=90), 50_000, "overdue")

    services.maintenance_record(
        actor=fleet.dispatcher,
        vehicle=truck,
        date=TODAY - datetime.timedelta(days=1),
        kind=ServiceKind.SERVICE,
        odometer_km=49_000,
        cost=Decimal("4200"),
        rule=oil,
        description="Oil and filters",
    )
    [due] = selectors.maintenance_due(organization=fleet.organization, vehicle_ids=[truck.pk], today=TODAY)
    assert (due.next_date, due.next_km, due.state) == (TODAY + datetime.timedelta(days=89), 59_000, "ok")

    # Driven close to the kilometre limit: due soon, then overdue by the odometer though the date is far.
    TripFactory(
        organization=fleet.organization,
        vehicle=truck,
        date=TODAY,
        odometer_start_km=49_000,
        odometer_end_km=58_600,
    )
    [due] = selectors.maintenance_due(organization=fleet.organization, vehicle_ids=[truck.pk], today=TODAY)
    assert due.state == "soon"
    TripFactory(
        organization=fleet.organization,
        vehicle=truck,
        date=TODAY,
        odometer_start_km=58_600,
        odometer_end_km=59_100,
    )
    [due] = selectors.maintenance_due(organization=fleet.organization, vehicle_ids=[truck.pk], today=TODAY)
    assert due.state == "overdue"


def test_the_fleet_page_lists_due_maintenance(fleet, truck, client):
    MaintenanceRuleFactory(
        organization=fleet.organization,
        vehicle=truck,
        name="Brakes",
        every_days=30,
        every_km=None,
        start_date=timezone.localdate() - datetime.timedelta(days=40),
    )
    page = _page(client, fleet.dispatcher, "fieldwork:fleet").content.decode()
    assert 'id="maintenance-due"' in page and "Brakes" in page


def test_readings_never_go_backwards_and_dates_never_ahead(fleet, truck):
    VehicleServiceFactory(
        organization=fleet.organization,
        vehicle=truck,
        date=TODAY - datetime.timedelta(days=5),
        odometer_km=61_000,
    )
    with pytest.raises(DomainError) as backwards:
        services.fuel_record_create(
            actor=fleet.dispatcher, vehicle=truck, date=TODAY, litres=Decimal("60"), odometer_km=60_000
        )
    with pytest.raises(DomainError) as ahead:
        services.maintenance_record(
            actor=fleet.dispatcher,
            vehicle=truck,
            date=timezone.localdate() + datetime.timedelta(days=3),
            kind=ServiceKind.REPAIR,
        )
    assert backwards.value.code == "odometer_backwards" and backwards.value.field == "odometer_km"
    assert ahead.value.field == "date"
    assert not FuelRecord.objects.exists() and VehicleService.objects.count() == 1


def test_a_rule_needs_an_interval_and_a_unique_name(fleet, truck):
    with pytest.raises(DomainError) as no_interval:
        services.maintenance_rule_save(
            actor=fleet.dispatcher, vehicle=truck, name="Tyres", kind=ServiceKind.TYRES
        )
    services.maintenance_rule_save(
        actor=fleet.dispatcher,
        vehicle=truck,
        name="Tyres",
        kind=ServiceKind.TYRES,
        every_km=40_000,
        start_km=0,
    )
    with pytest.raises(DomainError) as twice:
        services.maintenance_rule_save(
            actor=fleet.dispatcher, vehicle=truck, name=" Tyres ", kind=ServiceKind.TYRES, every_days=365
        )
    assert (no_interval.value.code, twice.value.code) == ("interval_required", "duplicate_rule")
    assert MaintenanceRule.objects.count() == 1


def test_a_written_off_vehicle_takes_no_more_records(fleet, truck, client):
    client.force_login(fleet.dispatcher)
    client.post(
        reverse("fieldwork:vehicle_status", args=[truck.pk]),
        {"status": EquipmentStatus.WRITTEN_OFF, "reason": "Engine beyond repair"},
    )
    truck.equipment.refresh_from_db()
    assert truck.equipment.status == EquipmentStatus.WRITTEN_OFF
    response = client.post(
        reverse("fieldwork:fuel_add", args=[truck.pk]),
        {"date": TODAY.isoformat(), "litres": "50", "cost": "0"},
    )
    assert response.status_code == 400 and not FuelRecord.objects.exists()
    assert truck.plate not in client.get(reverse("fieldwork:fleet")).content.decode()
    assert truck.plate in client.get(reverse("fieldwork:fleet") + "?all=1").content.decode()


def test_crews_change_in_the_app_and_a_driver_login_must_be_a_driver(fleet, truck, member, client):
    cashier = member(fleet.organization, Role.CASHIER)
    with pytest.raises(DomainError) as not_driver:
        services.crew_member_save(
            actor=fleet.dispatcher, vehicle=truck, name="Aibek", position=CrewPosition.DRIVER, user=cashier
        )
    assert not_driver.value.code == "not_a_driver"

    client.force_login(fleet.dispatcher)
    response = client.post(
        reverse("fieldwork:crew_add", args=[truck.pk]),
        {
            "name": "Nurlan Toktogulov",
            "position": CrewPosition.LOADER,
            "phone": "0555 123 456",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    loader = CrewMember.objects.get(name="Nurlan Toktogulov")
    assert loader.phone == "+996555123456" and loader.history.latest().history_user == fleet.dispatcher
    moved = client.post(
        reverse("fieldwork:crew_edit", args=[loader.pk]),
        {"name": "Nurlan Toktogulov", "position": CrewPosition.LOADER, "phone": ""},
    )
    assert moved.status_code == 302
    loader.refresh_from_db()
    assert not loader.is_active  # unticked: left the crew, kept in the records


def test_roles_and_tenants(fleet, truck, member, org_a, client):
    auditor = member(fleet.organization, Role.AUDITOR)
    assert _page(client, auditor, "fieldwork:fleet").status_code == 200
    assert _page(client, auditor, "fieldwork:vehicle_detail", truck.pk).status_code == 200
    assert _page(client, auditor, "fieldwork:vehicle_add").status_code == 403
    with pytest.raises(PermissionDenied):
        services.fuel_record_create(actor=auditor, vehicle=truck, date=TODAY, litres=Decimal("10"))
    stranger = member(org_a, Role.MANAGER)
    assert _page(client, stranger, "fieldwork:vehicle_detail", truck.pk).status_code in (403, 404)
    other_enterprise = member(_another_enterprise(), Role.DISPATCHER)
    assert _page(client, other_enterprise, "fieldwork:vehicle_detail", truck.pk).status_code == 404
    assert _page(client, other_enterprise, "fieldwork:fuel_add", truck.pk).status_code == 404


def _another_enterprise():
    from khizmat.tenancy.choices import OrganizationKind
    from khizmat.tenancy.models import Country
    from khizmat.tenancy.tests.factories import OrganizationFactory

    return OrganizationFactory(
        kind=OrganizationKind.MUNICIPAL_ENTERPRISE, country=Country.objects.get(code="KG")
    )


def test_the_vehicle_page_shows_plan_log_fuel_and_crew(fleet, truck, client):
    rule = MaintenanceRuleFactory(organization=fleet.organization, vehicle=truck, name="Hydraulics check")
    services.maintenance_record(
        actor=fleet.dispatcher,
        vehicle=truck,
        date=TODAY - datetime.timedelta(days=2),
        kind=ServiceKind.SERVICE,
        rule=rule,
        description="Hoses replaced",
    )
    services.fuel_record_create(
        actor=fleet.dispatcher,
        vehicle=truck,
        date=TODAY - datetime.timedelta(days=1),
        litres=Decimal("75.5"),
        odometer_km=1200,
        note="Toktogul station",
    )
    page = _page(client, fleet.dispatcher, "fieldwork:vehicle_detail", truck.pk).content.decode()
    for text in ("Hydraulics check", "Hoses replaced", "75.5", "Toktogul station", "1200 km"):
        assert text in page, text
