"""Equipment through its services: numbers, field rules, uniqueness per organization, the organization never
updated, and the status changes with who, when and why (a written-off unit stays written off)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.inventory import services
from khizmat.inventory.choices import EquipmentStatus, EquipmentType
from khizmat.inventory.models import Equipment, EquipmentStatusChange
from khizmat.inventory.tests.factories import EquipmentFactory
from khizmat.tenancy.roles import Role


def _create(actor, organization, **fields):
    values = {
        "type": EquipmentType.PC,
        "model": "HP ProOne 440 G9",
        "cost": "1080",
        "currency": "USD",
        **fields,
    }
    return services.equipment_create(actor=actor, organization=organization, **values)


def test_it_numbers_equipment_from_the_organizations_sequence(manager_a, org_a, funder):
    first = _create(
        manager_a, org_a, serial_number="8CG001", funder_project=funder, delivery_date="2025-11-24"
    )
    second = _create(manager_a, org_a, serial_number="8CG002")
    assert (first.inventory_number, second.inventory_number) == ("000001", "000002")
    assert first.cost == Decimal("1080.00") and first.funder_project == funder
    given = _create(manager_a, org_a, inventory_number="000003")
    assert given.inventory_number == "000003"
    assert _create(manager_a, org_a).inventory_number == "000004"  # the given number is skipped


def test_it_refuses_a_serial_twice_in_one_organization_only(manager_a, org_a, org_b, member):
    _create(manager_a, org_a, serial_number="CZC123")
    with pytest.raises(DomainError) as refused:
        _create(manager_a, org_a, serial_number="CZC123")
    assert refused.value.code == "serial_taken" and refused.value.field == "serial_number"
    assert _create(member(org_b, Role.MANAGER), org_b, serial_number="CZC123").serial_number == "CZC123"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"cost": "-5"}, "cost"),
        ({"cost": "12.345"}, "cost"),
        ({"cost": "100", "currency": ""}, "currency"),
        ({"currency": "RUB"}, "currency"),
        ({"delivery_date": "2224-01-01"}, "delivery_date"),
        ({"type": "spaceship"}, "type"),
        ({"model": "  "}, "model"),
    ],
)
def test_it_refuses_bad_fields_by_name(manager_a, org_a, fields, field):
    with pytest.raises(DomainError) as refused:
        _create(manager_a, org_a, **fields)
    assert refused.value.field == field
    assert not Equipment.objects.filter(organization=org_a).exists()


def test_a_funder_project_must_be_one(manager_a, org_a, org_b):
    with pytest.raises(DomainError) as refused:
        _create(manager_a, org_a, funder_project=org_b)
    assert refused.value.code == "not_funder_project"


def test_roles_without_manage_cannot_write(member, org_a):
    for role in (Role.OPERATOR, Role.AUDITOR, Role.MONITOR):
        with pytest.raises(PermissionDenied):
            _create(member(org_a, role), org_a)


def test_an_update_never_sets_the_organization(manager_a, org_a):
    equipment = _create(manager_a, org_a, serial_number="A1")
    with CaptureQueriesContext(connection) as queries:
        services.equipment_update(actor=manager_a, equipment=equipment, place="Room 5", cost="900")
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert updates and all("organization_id" not in sql.split(" WHERE ")[0] for sql in updates)
    equipment.refresh_from_db()
    assert (equipment.place, equipment.cost) == ("Room 5", Decimal("900.00"))


def test_a_status_change_keeps_who_when_why_and_the_history(manager_a, org_a):
    equipment = _create(manager_a, org_a)
    change = services.equipment_status_change(
        actor=manager_a, equipment=equipment, status=EquipmentStatus.BROKEN, reason="Screen cracked"
    )
    equipment.refresh_from_db()
    assert equipment.status == EquipmentStatus.BROKEN
    assert (change.from_status, change.to_status, change.reason, change.changed_by) == (
        EquipmentStatus.IN_USE,
        EquipmentStatus.BROKEN,
        "Screen cracked",
        manager_a,
    )
    latest = equipment.history.first()
    assert latest.status == EquipmentStatus.BROKEN and latest.history_user == manager_a
    assert change.history.first().history_user == manager_a


def test_a_status_change_needs_a_reason_and_a_new_status(manager_a, org_a):
    equipment = _create(manager_a, org_a)
    with pytest.raises(DomainError) as no_reason:
        services.equipment_status_change(actor=manager_a, equipment=equipment, status="broken", reason=" ")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(DomainError) as same:
        services.equipment_status_change(actor=manager_a, equipment=equipment, status="in_use", reason="ok")
    assert same.value.code == "same_status"


def test_a_written_off_unit_never_comes_back(manager_a, org_a):
    equipment = EquipmentFactory(organization=org_a)
    services.equipment_status_change(
        actor=manager_a, equipment=equipment, status=EquipmentStatus.WRITTEN_OFF, reason="Beyond repair"
    )
    for status in (EquipmentStatus.IN_USE, EquipmentStatus.IN_REPAIR, EquipmentStatus.BROKEN):
        with pytest.raises(DomainError) as refused:
            services.equipment_status_change(
                actor=manager_a, equipment=equipment, status=status, reason="back"
            )
        assert refused.value.code == "written_off" and refused.value.status == 409
    with pytest.raises(DomainError):
        services.equipment_update(actor=manager_a, equipment=equipment, place="Store")
    assert EquipmentStatusChange.objects.filter(equipment=equipment).count() == 1
