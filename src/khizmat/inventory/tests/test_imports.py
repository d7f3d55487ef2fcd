"""A supplier's spreadsheet: every error of every row in the dry run (row, column, translated message), then all
units or none; serial numbers unique per organization; a quantity stands for identical units; the template reads
back; the page runs the check and the import in the background."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from khizmat.core.errors import DomainError
from khizmat.inventory import imports
from khizmat.inventory.choices import ImportStatus
from khizmat.inventory.models import Equipment
from khizmat.inventory.tests.factories import EquipmentFactory

HEADERS = [
    "Type",
    "Model",
    "Serial number",
    "Cost",
    "Currency",
    "Delivery date",
    "Place",
    "Quantity",
    "Funder project",
]


def _xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(actor, organization, content, name="supplier.xlsx"):
    return imports.equipment_import_upload(
        actor=actor, organization=organization, upload=SimpleUploadedFile(name, content)
    )


GOOD = [
    [
        "Server",
        "Dell PowerEdge R550",
        "DL12345",
        6900,
        "USD",
        datetime.date(2025, 11, 24),
        "Server room",
        1,
        "eu-undp",
    ],
    ["ПК", "HP ProOne 440 G9", "", "1 080,00", "$", "24.11.2025", "Front office", 3, "EU/UNDP project"],
]


def test_the_dry_run_lists_every_error_and_writes_nothing(manager_a, org_a, funder):
    EquipmentFactory(organization=org_a, serial_number="TAKEN1")
    rows = [
        ["Spaceship", "", "TAKEN1", "-5", "RUB", "2224-01-01", "", "x", "Nobody"],
        ["PC", "HP", "DUP", 10, "USD", "2025-01-01", "", 1, ""],
        ["PC", "HP", "DUP", 10, "", "2025-01-01", "", 2, ""],
    ]
    record = _upload(manager_a, org_a, _xlsx(rows))
    with translation.override("en"):
        errors = imports.equipment_import_check(actor=manager_a, record=record)
    found = {(e["row"], e["field"]) for e in errors}
    assert found == {
        (2, "type"),
        (2, "model"),
        (2, "cost"),
        (2, "currency"),
        (2, "delivery_date"),
        (2, "funder_project"),
        (2, "quantity"),
        (4, "currency"),  # a cost without a currency
        (4, "quantity"),  # a serial number is one unit
    }
    assert all(e["column"] and e["message"] for e in errors)
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED and record.errors == errors
    assert Equipment.objects.filter(organization=org_a).count() == 1
    with pytest.raises(DomainError) as refused:
        imports.equipment_import_commit(actor=manager_a, record=record)
    assert refused.value.code == "import_has_errors"


def test_serials_used_twice_or_registered_are_errors(manager_a, org_a):
    EquipmentFactory(organization=org_a, serial_number="TAKEN1")
    rows = [["PC", "HP", "TAKEN1"], ["PC", "HP", "TWICE"], ["PC", "HP", "TWICE"]]
    record = _upload(manager_a, org_a, _xlsx(rows, HEADERS[:3]))
    with translation.override("en"):
        errors = imports.equipment_import_check(actor=manager_a, record=record)
    assert [(e["row"], e["field"]) for e in errors] == [(2, "serial_number"), (4, "serial_number")]
    assert "row 3" in errors[1]["message"]


def test_a_clean_file_imports_every_unit_at_once(manager_a, org_a, funder):
    record = _upload(manager_a, org_a, _xlsx(GOOD))
    assert imports.equipment_import_check(actor=manager_a, record=record) == []
    assert imports.equipment_import_commit(actor=manager_a, record=record) == 4
    units = Equipment.objects.filter(organization=org_a).order_by("inventory_number")
    assert [u.inventory_number for u in units] == ["000001", "000002", "000003", "000004"]
    server = units[0]
    assert (server.type, server.cost, server.currency, server.funder_project) == (
        "server",
        Decimal("6900.00"),
        "USD",
        funder,
    )
    assert server.delivery_date == datetime.date(2025, 11, 24)
    pcs = units.filter(type="pc")
    assert pcs.count() == 3 and {pc.cost for pc in pcs} == {Decimal("1080.00")}
    assert server.history.first().history_user == manager_a
    with pytest.raises(DomainError) as again:
        imports.equipment_import_check(actor=manager_a, record=record)
    assert again.value.code == "import_done"


def test_rows_registered_since_the_check_stop_the_whole_import(manager_a, org_a, funder):
    record = _upload(manager_a, org_a, _xlsx(GOOD))
    assert imports.equipment_import_check(actor=manager_a, record=record) == []
    EquipmentFactory(organization=org_a, serial_number="DL12345")
    with pytest.raises(DomainError) as refused:
        imports.equipment_import_commit(actor=manager_a, record=record)
    assert refused.value.code == "import_has_errors"
    assert Equipment.objects.filter(organization=org_a).count() == 1


def test_a_file_without_the_required_columns_or_not_xlsx_is_refused(manager_a, org_a):
    record = _upload(manager_a, org_a, _xlsx([["x", "y"]], ["Colour", "Weight"]))
    with pytest.raises(DomainError) as refused:
        imports.equipment_import_check(actor=manager_a, record=record)
    assert refused.value.code == "import_columns_missing"
    with pytest.raises(DomainError) as csv:
        _upload(manager_a, org_a, b"type;model\npc;hp\n", "list.csv")
    assert csv.value.code == "import_not_xlsx"


@pytest.mark.parametrize("language", ["ru", "uz", "ky", "en"])
def test_the_template_reads_back_in_any_language(manager_a, org_a, funder, language):
    with translation.override(language):
        content = imports.template_xlsx()
    headers = [cell.value for cell in load_workbook(io.BytesIO(content)).active[1]]
    assert imports.column_mapping(headers).keys() >= {"type", "model", "serial_number", "delivery_date"}
    record = _upload(manager_a, org_a, content)
    with translation.override(language):
        assert imports.equipment_import_check(actor=manager_a, record=record) == []


def test_the_page_checks_and_imports_in_the_background(
    manager_a, org_a, funder, client, django_capture_on_commit_callbacks
):
    client.force_login(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("inventory:equipmentimport_list"), {"file": SimpleUploadedFile("list.xlsx", _xlsx(GOOD))}
        )
    assert response.status_code == 302
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en")
    assert "No errors" in page.content.decode()
    record = page.context["object"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inventory:equipmentimport_commit", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportStatus.IMPORTED and record.imported_count == 4
    assert Equipment.objects.filter(organization=org_a).count() == 4
