"""The summary funders and monitors read (hand-computed), the list's filters, a monitor reading the equipment of the
organizations it sees, the status change from the page and the API."""

import datetime
from decimal import Decimal

from django.urls import reverse

from khizmat.inventory import selectors
from khizmat.inventory.tests.factories import EquipmentFactory, FunderProjectFactory
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.models import Oversight
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import OrganizationFactory


def test_the_summary_counts_costs_and_statuses_per_organization_and_type(org_a, org_b, funder):
    other = FunderProjectFactory()
    day = datetime.date(2025, 11, 24)
    EquipmentFactory(
        organization=org_a, type="pc", cost=Decimal("1080.00"), funder_project=funder, delivery_date=day
    )
    EquipmentFactory(
        organization=org_a,
        type="pc",
        cost=Decimal("1080.50"),
        funder_project=funder,
        delivery_date=day,
        status="broken",
    )
    EquipmentFactory(
        organization=org_a,
        type="pc",
        cost=Decimal("500000.00"),
        currency="UZS",
        funder_project=funder,
        delivery_date=day,
    )
    EquipmentFactory(
        organization=org_a, type="pc", cost=None, currency="", funder_project=funder, delivery_date=day
    )
    EquipmentFactory(
        organization=org_a, type="server", cost=Decimal("6900.00"), funder_project=funder, delivery_date=day
    )
    EquipmentFactory(
        organization=org_a, type="pc", funder_project=other, delivery_date=day
    )  # another project
    EquipmentFactory(
        organization=org_a, type="pc", funder_project=funder, delivery_date=datetime.date(2024, 1, 1)
    )
    EquipmentFactory(organization=org_b, type="pc", funder_project=funder, delivery_date=day)  # not asked for

    rows = selectors.equipment_summary(
        organization_ids=[org_a.pk], funder_project=funder, delivered_from=datetime.date(2025, 1, 1)
    )
    assert [(r.organization_id, r.type, r.count) for r in rows] == [
        (org_a.pk, "pc", 4),
        (org_a.pk, "server", 1),
    ]
    pc, server = rows
    assert pc.cost == {"USD": Decimal("2160.50"), "UZS": Decimal("500000.00")}
    assert pc.by_status == {"in_use": 3, "broken": 1}
    assert server.cost == {"USD": Decimal("6900.00")} and server.by_status == {"in_use": 1}
    totals = selectors.equipment_totals(rows)
    assert totals == {
        "count": 5,
        "cost": {"USD": Decimal("9060.50"), "UZS": Decimal("500000.00")},
        "by_status": {"in_use": 4, "broken": 1},
    }
    assert len(selectors.equipment_summary(organization_ids=[org_a.pk, org_b.pk])) == 3


def test_the_list_filters_by_type_status_funder_and_search(org_a, member, client, funder):
    pc = EquipmentFactory(organization=org_a, type="pc", model="HP ProOne", funder_project=funder)
    EquipmentFactory(organization=org_a, type="server", model="Dell PowerEdge")
    EquipmentFactory(organization=org_a, type="pc", model="Lenovo", status="broken")
    client.force_login(member(org_a, Role.AUDITOR))
    url = reverse("inventory:equipment_list")
    for query in ({"type": "pc", "status": "in_use"}, {"funder_project": funder.pk}, {"q": "proone"}):
        listed = list(client.get(url, query).context["object_list"])
        assert listed == [pc], query
    partial = client.get(url, {"q": "dell"}, HTTP_HX_REQUEST="true")
    assert "Dell PowerEdge" in partial.content.decode() and "<html" not in partial.content.decode()


def test_a_funders_monitor_reads_the_equipment_of_the_centres_it_funds(org_a, member, client):
    funder_org = OrganizationFactory(kind=OrganizationKind.FUNDER_PROJECT, country=org_a.country)
    Oversight.objects.create(overseer=funder_org, overseen=org_a, kind=OversightKind.FUNDING)
    unit = EquipmentFactory(organization=org_a, model="Hikvision NVR")
    elsewhere = EquipmentFactory(organization=OrganizationFactory(country=org_a.country), model="Elsewhere")
    client.force_login(member(funder_org, Role.MONITOR))
    page = client.get(reverse("inventory:equipment_list")).content.decode()
    assert "Hikvision NVR" in page and "Elsewhere" not in page
    assert client.get(reverse("inventory:equipment_detail", args=[unit.pk])).status_code == 200
    assert client.get(reverse("inventory:equipment_detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(f"/api/v1/equipment/{unit.pk}/").status_code == 200
    assert client.get(reverse("inventory:equipment_edit", args=[unit.pk])).status_code == 403


def test_the_status_changes_from_the_page_and_the_api(org_a, manager_a, client):
    unit = EquipmentFactory(organization=org_a)
    client.force_login(manager_a)
    url = reverse("inventory:equipment_status", args=[unit.pk])
    assert client.post(url, {"status": "broken", "reason": ""}).status_code == 400
    assert client.post(url, {"status": "broken", "reason": "Does not start"}).status_code == 302
    page = client.get(reverse("inventory:equipment_detail", args=[unit.pk])).content.decode()
    assert "Does not start" in page
    answer = client.post(
        f"/api/v1/equipment/{unit.pk}/status/",
        {"status": "written_off", "reason": "Beyond repair"},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["to_status"] == "written_off"
    again = client.post(
        f"/api/v1/equipment/{unit.pk}/status/",
        {"status": "in_use", "reason": "Back"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["code"] == "written_off"


def test_the_api_creates_and_updates_equipment_through_the_services(org_a, manager_a, client):
    client.force_login(manager_a)
    created = client.post(
        "/api/v1/equipment/",
        {
            "type": "pc",
            "model": "HP",
            "serial_number": "S1",
            "cost": "1080",
            "currency": "USD",
            "delivery_date": "2025-11-24",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["inventory_number"] == "000001" and created.json()["status"] == "in_use"
    pk = created.json()["id"]
    bad = client.patch(
        f"/api/v1/equipment/{pk}/", {"delivery_date": "2224-01-01"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["field"] == "delivery_date"
    good = client.patch(f"/api/v1/equipment/{pk}/", {"place": "Room 4"}, content_type="application/json")
    assert good.status_code == 200 and good.json()["place"] == "Room 4"
    twice = client.post(
        "/api/v1/equipment/",
        {"type": "pc", "model": "HP", "serial_number": "S1"},
        content_type="application/json",
    )
    assert twice.status_code == 409 and twice.json()["field"] == "serial_number"
