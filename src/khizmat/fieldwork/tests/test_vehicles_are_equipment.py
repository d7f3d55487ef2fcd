"""A vehicle is an equipment record of the inventory, not a copy: created with it in one transaction, its make and
model, funder project and status are the equipment's, and the route planner offers only vehicles in use."""

from decimal import Decimal

import pytest

from khizmat.core.errors import DomainError
from khizmat.fieldwork import dayplan, services
from khizmat.fieldwork.choices import VehicleKind
from khizmat.fieldwork.models import Vehicle
from khizmat.inventory.choices import EquipmentStatus, EquipmentType
from khizmat.inventory.models import Equipment, EquipmentStatusChange
from khizmat.inventory.tests.factories import FunderProjectFactory
from khizmat.tenancy.roles import Role


def _create(actor, organization, **fields):
    values = {
        "plate": "03 451 akb",
        "kind": VehicleKind.COMPACTOR,
        "capacity_m3": Decimal("40"),
        "capacity_kg": 8000,
        "fuel_norm": Decimal("38.0"),
        "make_model": "MAZ-5340 compactor",
        **fields,
    }
    return services.vehicle_create(actor=actor, organization=organization, **values)


def test_creating_a_vehicle_creates_its_equipment(org_b, member):
    dispatcher = member(org_b, Role.DISPATCHER)
    funder = FunderProjectFactory(code="sdc-helvetas", country=org_b.country)
    vehicle = _create(dispatcher, org_b, funder_project=funder, cost="78500", currency="USD", year=2023)
    equipment = vehicle.equipment
    assert vehicle.plate == "03 451 AKB"
    assert equipment.organization_id == org_b.pk
    assert (equipment.type, equipment.model, equipment.funder_project, equipment.status) == (
        EquipmentType.VEHICLE,
        "MAZ-5340 compactor",
        funder,
        EquipmentStatus.IN_USE,
    )
    assert equipment.cost == Decimal("78500.00")
    assert equipment.history.first().history_user == dispatcher


def test_a_refused_vehicle_leaves_no_equipment(org_b, member):
    dispatcher = member(org_b, Role.DISPATCHER)
    _create(dispatcher, org_b)
    with pytest.raises(DomainError) as refused:
        _create(dispatcher, org_b, serial_number="VIN1")  # same plate
    assert refused.value.code == "duplicate_vehicle"
    with pytest.raises(DomainError):
        _create(dispatcher, org_b, plate="03 999 AAA", fuel_norm=Decimal("-1"))
    assert Equipment.objects.filter(organization=org_b).count() == 1
    assert Vehicle.objects.filter(organization=org_b).count() == 1


def test_the_planner_offers_only_vehicles_in_use(fleet):
    first, second = fleet.vehicles
    assert {v.pk for v in dayplan.collecting_vehicles(organization=fleet.organization)} == {
        first.pk,
        second.pk,
    }
    change = services.vehicle_status_change(
        actor=fleet.dispatcher, vehicle=second, status=EquipmentStatus.IN_REPAIR, reason="Hydraulics leak"
    )
    assert EquipmentStatusChange.objects.get(pk=change.pk).equipment_id == second.equipment_id
    assert [v.pk for v in dayplan.collecting_vehicles(organization=fleet.organization)] == [first.pk]
    with pytest.raises(DomainError) as refused:
        services.plan_request(
            actor=fleet.dispatcher,
            organization=fleet.organization,
            date=fleet.monday,
            vehicle_ids=[second.pk],
        )
    assert refused.value.code == "bad_vehicle"


def test_the_api_shows_the_equipments_fields(fleet, client):
    client.force_login(fleet.dispatcher)
    vehicle = fleet.vehicles[0]
    answer = client.get(f"/api/v1/vehicles/{vehicle.pk}/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["equipment"] == vehicle.equipment_id
    assert body["status"] == "in_use" and body["make_model"] == vehicle.equipment.model
    services.vehicle_status_change(
        actor=fleet.dispatcher, vehicle=vehicle, status=EquipmentStatus.BROKEN, reason="Engine"
    )
    listed = client.get("/api/v1/vehicles/", {"status": "broken"}).json()["results"]
    assert [row["id"] for row in listed] == [vehicle.pk]
