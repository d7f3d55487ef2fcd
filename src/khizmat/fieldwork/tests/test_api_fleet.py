"""The fleet through the REST API: vehicles, their status, maintenance log and plan, fuel and crews are written
through the same services as the fleet pages, with the same refusals (422/409 with their ``code``)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from khizmat.api.tests.factories import token_key
from khizmat.fieldwork.choices import CrewPosition, ServiceKind, VehicleKind
from khizmat.fieldwork.models import CrewMember, FuelRecord, MaintenanceRule, Vehicle, VehicleService
from khizmat.fieldwork.tests.factories import MaintenanceRuleFactory, VehicleFactory
from khizmat.inventory.choices import EquipmentStatus
from khizmat.inventory.tests.factories import FunderProjectFactory
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.roles import Role

DAY = datetime.timedelta(days=1)


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_key(user)}", HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def dispatcher(fleet):
    return api(fleet.dispatcher)


@pytest.fixture
def truck(fleet):
    return fleet.vehicles[0]


@pytest.fixture
def today(fleet):
    return local_today(fleet.organization)


def _refused(response, status: int, code: str):
    assert (response.status_code, response.json().get("code")) == (status, code), response.content


def test_a_dispatcher_adds_a_truck_changes_it_and_its_status(fleet, dispatcher):
    donor = FunderProjectFactory(country=fleet.organization.country)
    created = dispatcher.post(
        "/api/v1/vehicles/",
        {
            "plate": "03 777 kgz",
            "kind": VehicleKind.COMPACTOR,
            "make_model": "KAMAZ 53605",
            "capacity_m3": "12.00",
            "capacity_kg": 7000,
            "fuel_norm": "32.5",
            "funder_project": donor.pk,
            "cost": "78500",
            "currency": fleet.organization.currency,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["plate"], body["make_model"], body["funder_project"], body["status"]) == (
        "03 777 KGZ",
        "KAMAZ 53605",
        donor.pk,
        EquipmentStatus.IN_USE,
    )
    vehicle = Vehicle.objects.get(organization=fleet.organization, pk=body["id"])
    assert vehicle.equipment.organization_id == fleet.organization.pk
    assert vehicle.history.latest().history_user == fleet.dispatcher

    changed = dispatcher.patch(
        f"/api/v1/vehicles/{vehicle.pk}/",
        {"kind": VehicleKind.TIPPER, "make_model": "KAMAZ 65115", "funder_project": None},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["kind"], body["make_model"], body["funder_project"]) == (
        VehicleKind.TIPPER,
        "KAMAZ 65115",
        None,
    )
    assert (body["plate"], body["capacity_kg"]) == ("03 777 KGZ", 7000)  # what was not given stays

    broken = dispatcher.post(
        f"/api/v1/vehicles/{vehicle.pk}/status/",
        {"status": EquipmentStatus.BROKEN, "reason": "Hydraulics leak"},
        format="json",
    )
    assert broken.status_code == 200, broken.content
    assert broken.json()["status"] == EquipmentStatus.BROKEN
    vehicle.equipment.refresh_from_db()
    assert vehicle.equipment.status == EquipmentStatus.BROKEN
    change = vehicle.equipment.status_changes.get()
    assert (change.reason, change.changed_by) == ("Hydraulics leak", fleet.dispatcher)

    again = dispatcher.post(
        f"/api/v1/vehicles/{vehicle.pk}/status/",
        {"status": EquipmentStatus.BROKEN, "reason": "Still leaking"},
        format="json",
    )
    _refused(again, 409, "same_status")


def test_a_vehicle_is_refused_by_the_services_rules(fleet, dispatcher, truck):
    taken = dispatcher.post(
        "/api/v1/vehicles/",
        {
            "plate": truck.plate.lower(),
            "kind": VehicleKind.TIPPER,
            "capacity_m3": "6",
            "capacity_kg": 5000,
            "fuel_norm": "30",
        },
        format="json",
    )
    _refused(taken, 409, "duplicate_vehicle")
    not_a_donor = dispatcher.patch(
        f"/api/v1/vehicles/{truck.pk}/", {"funder_project": fleet.organization.pk}, format="json"
    )
    _refused(not_a_donor, 422, "not_funder_project")
    assert dispatcher.post("/api/v1/vehicles/", {"plate": "03 1 A"}, format="json").status_code == 400


def test_maintenance_with_a_plan_service_moves_its_next_date(fleet, dispatcher, truck, today):
    created = dispatcher.post(
        "/api/v1/maintenance-rules/",
        {
            "vehicle": truck.pk,
            "name": "Engine oil and filters",
            "every_days": 90,
            "every_km": 10_000,
            "start_date": (today - 100 * DAY).isoformat(),
            "start_km": 40_000,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    rule = created.json()
    assert (rule["kind"], rule["next_date"], rule["next_km"], rule["state"]) == (
        ServiceKind.SERVICE,
        (today - 10 * DAY).isoformat(),
        50_000,
        "overdue",
    )

    entry = dispatcher.post(
        "/api/v1/vehicle-services/",
        {
            "vehicle": truck.pk,
            "rule": rule["id"],
            "date": (today - DAY).isoformat(),
            "kind": ServiceKind.SERVICE,
            "odometer_km": 49_000,
            "cost": "3500",
            "description": "Oil 15 l, filters",
        },
        format="json",
    )
    assert entry.status_code == 201, entry.content
    assert (entry.json()["rule"], entry.json()["currency"]) == (rule["id"], fleet.organization.currency)
    assert (
        VehicleService.objects.get(organization=fleet.organization, pk=entry.json()["id"]).rule_id
        == rule["id"]
    )

    shown = dispatcher.get(f"/api/v1/maintenance-rules/{rule['id']}/").json()
    assert (shown["next_date"], shown["next_km"], shown["state"]) == (
        (today + 89 * DAY).isoformat(),
        59_000,
        "ok",
    )
    [listed] = dispatcher.get(f"/api/v1/maintenance-rules/?vehicle={truck.pk}").json()["results"]
    assert (listed["id"], listed["next_date"], listed["state"]) == (rule["id"], shown["next_date"], "ok")

    changed = dispatcher.patch(
        f"/api/v1/maintenance-rules/{rule['id']}/", {"every_days": 30, "every_km": None}, format="json"
    )
    assert changed.status_code == 200, changed.content
    body = changed.json()
    assert (body["name"], body["every_days"], body["every_km"], body["start_km"]) == (
        "Engine oil and filters",
        30,
        None,
        40_000,
    )  # what was not given stays
    assert (body["next_date"], body["next_km"]) == ((today + 29 * DAY).isoformat(), None)

    stopped = dispatcher.patch(
        f"/api/v1/maintenance-rules/{rule['id']}/", {"is_active": False}, format="json"
    )
    assert (stopped.json()["is_active"], stopped.json()["state"], stopped.json()["next_date"]) == (
        False,
        None,
        None,
    )


def test_the_plan_list_computes_the_due_dates_once_for_the_page(fleet, dispatcher, today):
    for vehicle in fleet.vehicles:
        for name in ("Oil", "Brakes", "Tyres"):
            MaintenanceRuleFactory(
                organization=fleet.organization, vehicle=vehicle, name=name, start_date=today - 10 * DAY
            )
    dispatcher.get("/api/v1/maintenance-rules/")  # warm up (authentication, filter classes)
    with CaptureQueriesContext(connection) as queries:
        rows = dispatcher.get("/api/v1/maintenance-rules/").json()["results"]
    assert len(rows) == 6 and all(row["state"] == "ok" for row in rows)
    rule_reads = [q["sql"] for q in queries if 'FROM "fieldwork_maintenancerule"' in q["sql"]]
    assert len(rule_reads) == 2  # the page, and the selector's plan for the page's vehicles


def test_refuelling_is_recorded(fleet, dispatcher, truck, today):
    response = dispatcher.post(
        "/api/v1/fuel-records/",
        {
            "vehicle": truck.pk,
            "date": today.isoformat(),
            "litres": "80.5",
            "cost": "6440",
            "odometer_km": 51_200,
            "note": "Station 3",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    record = FuelRecord.objects.get(organization=fleet.organization, pk=response.json()["id"])
    assert (str(record.litres), record.odometer_km, record.currency) == (
        "80.5",
        51_200,
        fleet.organization.currency,
    )
    assert record.history.latest().history_user == fleet.dispatcher
    [row] = dispatcher.get(f"/api/v1/fuel-records/?vehicle={truck.pk}").json()["results"]
    assert (row["id"], row["litres"], row["note"]) == (record.pk, "80.5", "Station 3")

    ahead = dispatcher.post(
        "/api/v1/fuel-records/",
        {"vehicle": truck.pk, "date": (today + 3 * DAY).isoformat(), "litres": "10"},
        format="json",
    )
    assert ahead.status_code == 422 and ahead.json()["field"] == "date"


def test_a_plan_service_needs_an_interval(fleet, dispatcher, truck):
    response = dispatcher.post(
        "/api/v1/maintenance-rules/", {"vehicle": truck.pk, "name": "Wash"}, format="json"
    )
    _refused(response, 422, "interval_required")
    assert not MaintenanceRule.objects.filter(organization=fleet.organization).exists()


def test_an_odometer_reading_below_an_earlier_one_is_refused(fleet, dispatcher, truck, today):
    first = dispatcher.post(
        "/api/v1/fuel-records/",
        {"vehicle": truck.pk, "date": (today - 5 * DAY).isoformat(), "litres": "60", "odometer_km": 12_000},
        format="json",
    )
    assert first.status_code == 201, first.content
    backwards = dispatcher.post(
        "/api/v1/vehicle-services/",
        {
            "vehicle": truck.pk,
            "date": (today - DAY).isoformat(),
            "kind": ServiceKind.REPAIR,
            "odometer_km": 11_000,
        },
        format="json",
    )
    _refused(backwards, 422, "odometer_backwards")
    assert backwards.json()["field"] == "odometer_km"
    also_fuel = dispatcher.post(
        "/api/v1/fuel-records/",
        {"vehicle": truck.pk, "date": today.isoformat(), "litres": "20", "odometer_km": 11_500},
        format="json",
    )
    _refused(also_fuel, 422, "odometer_backwards")


def test_a_role_without_fleet_management_is_refused(fleet, truck, member, today):
    cashier = api(member(fleet.organization, Role.CASHIER))
    auditor = api(member(fleet.organization, Role.AUDITOR))  # reads the fleet, changes nothing
    writes = [
        ("post", "/api/v1/vehicles/", {"plate": "X", "kind": "tipper"}),
        ("patch", f"/api/v1/vehicles/{truck.pk}/", {"notes": "x"}),
        ("post", f"/api/v1/vehicles/{truck.pk}/status/", {"status": "broken", "reason": "x"}),
        ("post", "/api/v1/fuel-records/", {"vehicle": truck.pk, "date": today.isoformat(), "litres": "5"}),
        ("post", "/api/v1/vehicle-services/", {"vehicle": truck.pk}),
        ("post", "/api/v1/maintenance-rules/", {"vehicle": truck.pk, "name": "Oil", "every_days": 30}),
        ("post", "/api/v1/crew-members/", {"vehicle": truck.pk, "name": "Azamat"}),
    ]
    for client in (cashier, auditor):
        for method, path, data in writes:
            response = getattr(client, method)(path, data, format="json")
            assert response.status_code == 403, (method, path, response.status_code)
    assert cashier.get("/api/v1/fuel-records/").status_code == 403
    assert auditor.get("/api/v1/fuel-records/").status_code == 200
    assert not FuelRecord.objects.filter(organization=fleet.organization).exists()
    assert not CrewMember.objects.filter(organization=fleet.organization, name="Azamat").exists()


def test_another_organizations_vehicle_and_plan_are_not_found(fleet, dispatcher, org_a, today):
    theirs = VehicleFactory(organization=org_a)
    their_rule = MaintenanceRuleFactory(organization=org_a, vehicle=theirs)
    for response in (
        dispatcher.get(f"/api/v1/vehicles/{theirs.pk}/"),
        dispatcher.patch(f"/api/v1/vehicles/{theirs.pk}/", {"notes": "mine"}, format="json"),
        dispatcher.post(
            f"/api/v1/vehicles/{theirs.pk}/status/", {"status": "broken", "reason": "x"}, format="json"
        ),
        dispatcher.patch(f"/api/v1/maintenance-rules/{their_rule.pk}/", {"every_days": 1}, format="json"),
    ):
        assert response.status_code == 404, response.content
    # Named in a body, another organization's row is unknown here (422), as the other modules' ids in a body.
    fuel = dispatcher.post(
        "/api/v1/fuel-records/",
        {"vehicle": theirs.pk, "date": today.isoformat(), "litres": "5"},
        format="json",
    )
    _refused(fuel, 422, "unknown_vehicle")
    rule = dispatcher.post(
        "/api/v1/vehicle-services/",
        {
            "vehicle": fleet.vehicles[0].pk,
            "rule": their_rule.pk,
            "date": today.isoformat(),
            "kind": ServiceKind.SERVICE,
        },
        format="json",
    )
    _refused(rule, 422, "unknown_rule")
    theirs.refresh_from_db()
    assert theirs.notes == "" and theirs.equipment.status == EquipmentStatus.IN_USE
    assert not VehicleService.objects.filter(organization=fleet.organization).exists()


def test_a_rule_of_another_vehicle_is_refused(fleet, dispatcher, today):
    rule = MaintenanceRuleFactory(organization=fleet.organization, vehicle=fleet.vehicles[1])
    response = dispatcher.post(
        "/api/v1/vehicle-services/",
        {
            "vehicle": fleet.vehicles[0].pk,
            "rule": rule.pk,
            "date": today.isoformat(),
            "kind": ServiceKind.SERVICE,
        },
        format="json",
    )
    _refused(response, 422, "rule_of_other_vehicle")


def test_crew_members_are_added_and_changed(fleet, dispatcher, truck, member):
    driver = member(fleet.organization, Role.DRIVER)
    created = dispatcher.post(
        "/api/v1/crew-members/",
        {"vehicle": truck.pk, "name": "Azamat  Toktosunov", "user": driver.pk, "phone": "0555 123 456"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["position"], body["user"], body["is_active"]) == (
        "Azamat Toktosunov",
        CrewPosition.DRIVER,
        driver.pk,
        True,
    )
    assert body["phone"] != "+996555123456"  # masked outside the detail answer
    member_row = CrewMember.objects.get(organization=fleet.organization, pk=body["id"])
    assert member_row.phone == "+996555123456"

    moved = dispatcher.patch(
        f"/api/v1/crew-members/{member_row.pk}/",
        {"vehicle": fleet.vehicles[1].pk, "position": CrewPosition.LOADER},
        format="json",
    )
    assert moved.status_code == 200, moved.content
    member_row.refresh_from_db()
    assert (member_row.vehicle, member_row.position, member_row.name, member_row.user, member_row.phone) == (
        fleet.vehicles[1],
        CrewPosition.LOADER,
        "Azamat Toktosunov",
        driver,
        "+996555123456",
    )  # what was not given stays
    unlinked = dispatcher.patch(f"/api/v1/crew-members/{member_row.pk}/", {"user": None}, format="json")
    assert unlinked.status_code == 200 and unlinked.json()["user"] is None


def test_a_crew_login_must_be_a_driver_of_this_organization(fleet, dispatcher, truck, member, org_a):
    cashier = member(fleet.organization, Role.CASHIER)
    elsewhere = member(org_a, Role.DRIVER)
    for user_id in (cashier.pk, elsewhere.pk, 10**9):
        response = dispatcher.post(
            "/api/v1/crew-members/", {"vehicle": truck.pk, "name": "Nurlan", "user": user_id}, format="json"
        )
        _refused(response, 422, "not_a_driver")
        assert response.json()["field"] == "user"
    bakyt = CrewMember.objects.get(organization=fleet.organization, name="Bakyt")
    relinked = dispatcher.patch(f"/api/v1/crew-members/{bakyt.pk}/", {"user": cashier.pk}, format="json")
    _refused(relinked, 422, "not_a_driver")
    bakyt.refresh_from_db()
    assert bakyt.user == fleet.driver
