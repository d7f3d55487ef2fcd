"""Importing an existing subscriber list: XLSX or CSV in any language, every error reported, all rows or none."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from khizmat.billing.choices import ImportStatus, SubscriberKind, SubscriberStatus
from khizmat.billing.imports import (
    propose_mapping,
    split_address,
    subscriber_import_check,
    subscriber_import_commit,
    subscriber_import_errors_xlsx,
    subscriber_import_upload,
)
from khizmat.billing.models import Subscriber, SubscriberImport
from khizmat.billing.tests.factories import (
    ExemptionFactory,
    SubscriberCategoryFactory,
    SubscriberFactory,
    SubscriberImportFactory,
)
from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import DistrictFactory, RegionFactory, SettlementFactory, country

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Headers and messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


PIN_1 = "10101199012345"  # Kyrgyz personal numbers: sex digit, birth date DDMMYYYY, serial
PIN_2 = "21505198500001"
PIN_3 = "11203197700077"

CYRILLIC_HEADERS = [
    "Лицевой счет",
    "ФИО",
    "ПИН",
    "Телефон",
    "Населенный пункт",
    "Улица",
    "Дом",
    "Кв.",
    "Категория",
    "Кол-во жильцов",
    "Льгота",
    "Дата договора",
]
CYRILLIC_MAPPING = {
    "number": 0,
    "holder_name": 1,
    "holder_id_number": 2,
    "phone": 3,
    "settlement": 4,
    "street": 5,
    "house": 6,
    "apartment": 7,
    "category": 8,
    "residents": 9,
    "exemption": 10,
    "contract_start": 11,
}


@pytest.fixture
def operator_b(member, org_b):
    return member(org_b, Role.OPERATOR)


@pytest.fixture
def places(org_b):
    district = DistrictFactory(region=org_b.region, name="Chatkal")
    bakhmal = SettlementFactory(district=district, name="Baxmal", name_ky="Бахмал", name_ru="Бахмал")
    kanysh = SettlementFactory(district=district, name="Kanysh-Kyya", name_ky="Каныш-Кыя")
    return {"bakhmal": bakhmal, "kanysh": kanysh}


@pytest.fixture
def house(org_b):
    return SubscriberCategoryFactory(
        organization=org_b,
        code="house",
        name="Private house",
        name_ru="Частный дом",
        name_ky="Жеке үй",
        kind=SubscriberKind.HOUSEHOLD,
    )


@pytest.fixture
def shop(org_b):
    return SubscriberCategoryFactory(
        organization=org_b, code="shop", name="Shop", name_ru="Магазин", kind=SubscriberKind.BUSINESS
    )


@pytest.fixture
def veterans(org_b):
    return ExemptionFactory(organization=org_b, name="War veterans", name_ru="Ветераны войны", percent=50)


def xlsx(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers, rows, *, delimiter=";", encoding="utf-8-sig") -> bytes:
    lines = [delimiter.join(headers), *(delimiter.join(str(v) for v in row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(actor, organization, content: bytes, name="subscribers.xlsx") -> SubscriberImport:
    return subscriber_import_upload(
        actor=actor, organization=organization, upload=SimpleUploadedFile(name, content)
    )


def good_rows():
    return [
        ["", "Asanov Bakyt", PIN_1, "+996 555 123 456", "Бахмал", "ул. Ленина", "12", "", "house", 4, "", "01.03.2021"],
        ["", "Исакова Айгүл", "", "", "Bakhmal", "Ленина", "14", "2", "Частный дом", 3, "Ветераны войны",
         datetime.datetime(2022, 7, 15)],
        ["", "Duken Nur", PIN_2, "", "Каныш-Кыя", "Manas", "1", "", "Магазин", 0, "", "2023-01-10"],
    ]  # fmt: skip


def error_cells(errors) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in errors}


# --- Reading files and proposing the mapping ----------------------------------------------------------------------


def test_xlsx_with_cyrillic_headers_is_mapped_checked_and_imported(
    org_b, operator_b, places, house, shop, veterans
):
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, good_rows()))
    assert record.status == ImportStatus.UPLOADED
    assert record.headers == CYRILLIC_HEADERS
    assert record.mapping == CYRILLIC_MAPPING

    assert subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping) == []
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED
    assert record.row_count == 3

    assert subscriber_import_commit(actor=operator_b, record=record) == 3
    record.refresh_from_db()
    assert record.status == ImportStatus.IMPORTED
    assert record.imported_count == 3
    assert record.imported_at is not None

    accounts = {s.holder_name: s for s in Subscriber.objects.filter(organization=org_b)}
    assert set(accounts) == {"Asanov Bakyt", "Исакова Айгүл", "Duken Nur"}
    bakyt, aigul, nur = accounts["Asanov Bakyt"], accounts["Исакова Айгүл"], accounts["Duken Nur"]
    assert sorted(s.number for s in accounts.values()) == ["0000001", "0000002", "0000003"]
    assert bakyt.settlement == places["bakhmal"] and aigul.settlement == places["bakhmal"]
    assert nur.settlement == places["kanysh"]
    assert bakyt.holder_id_number == PIN_1
    assert bakyt.phone == "+996555123456"
    assert bakyt.contract_start == datetime.date(2021, 3, 1)
    assert aigul.contract_start == datetime.date(2022, 7, 15)
    assert nur.contract_start == datetime.date(2023, 1, 10)
    assert (aigul.apartment, aigul.exemption, aigul.residents) == ("2", veterans, 3)
    assert bakyt.category == house and nur.category == shop
    assert bakyt.kind == SubscriberKind.HOUSEHOLD and nur.kind == SubscriberKind.BUSINESS  # from the category
    assert bakyt.language == "ky"
    assert bakyt.status == SubscriberStatus.ACTIVE
    assert "asanov" in bakyt.search_key
    assert bakyt.history.filter(history_type="+", history_user=operator_b).exists()


def test_csv_with_kyrgyz_headers_comma_separated(org_b, operator_b, places, house):
    headers = ["Эсеп", "Аты-жөнү", "Айыл", "Көчө", "Үй", "Категория", "Жашоочулар", "Келишим датасы"]
    rows = [
        ["7001", "Токтогулов Марат", "Бахмал", "Ленин көчөсү", "5", "house", "2", "15.01.2020"],
        ["7002", "Сыдыкова Нургүл", "Бахмал", "Ленин көчөсү", "7", "house", "5", "2020-02-01"],
    ]
    record = upload(operator_b, org_b, csv_bytes(headers, rows, delimiter=","), name="list.csv")
    assert record.mapping == {
        "number": 0,
        "holder_name": 1,
        "settlement": 2,
        "street": 3,
        "house": 4,
        "category": 5,
        "residents": 6,
        "contract_start": 7,
    }
    assert subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping) == []
    assert subscriber_import_commit(actor=operator_b, record=record) == 2
    numbers = dict(Subscriber.objects.filter(organization=org_b).values_list("holder_name", "number"))
    assert numbers == {"Токтогулов Марат": "7001", "Сыдыкова Нургүл": "7002"}


def test_csv_in_windows_1251_with_latin_headers_and_semicolons(org_b, operator_b, places, house):
    headers = [
        "Account No",
        "Full name",
        "Village",
        "Street",
        "House",
        "Category",
        "Residents",
        "Contract start",
    ]
    rows = [["", "Абдыкадыров Эмил", "Bakhmal", "Pobedy", "3", "Частный дом", "4", "01.06.2019"]]
    content = csv_bytes(headers, rows, delimiter=";", encoding="cp1251")
    record = upload(operator_b, org_b, content, name="list.csv")
    assert set(record.mapping) == {
        "number", "holder_name", "settlement", "street", "house", "category", "residents", "contract_start"
    }  # fmt: skip
    assert subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping) == []
    assert subscriber_import_commit(actor=operator_b, record=record) == 1
    assert Subscriber.objects.get(organization=org_b).holder_name == "Абдыкадыров Эмил"


def test_csv_separator_and_encoding_are_recognised(org_b, operator_b):
    content = csv_bytes(["ФИО", "Адрес", "Село"], [["A", "Ленина 1", "Бахмал"]], delimiter="\t")
    record = upload(operator_b, org_b, content, name="list.txt")
    assert record.headers == ["ФИО", "Адрес", "Село"]
    assert record.mapping == {"holder_name": 0, "settlement": 2, "address": 1}
    commas_in_data = csv_bytes(["ФИО", "Адрес", "Село"], [["A", "Ленина 1, кв. 2", "Бахмал"]] * 3)
    assert upload(operator_b, org_b, commas_in_data, name="list.csv").headers == ["ФИО", "Адрес", "Село"]
    unicode_text = csv_bytes(["ФИО", "Адрес"], [["Ө", "Ү 1"]], delimiter="\t", encoding="utf-16")
    assert upload(operator_b, org_b, unicode_text, name="list.txt").headers == ["ФИО", "Адрес"]


def test_mapping_is_proposed_from_usual_spellings_in_every_language():
    assert propose_mapping(["№ л/с", "Ф.И.О.", "Адрес", "Площадь, кв.м", "Жеңилдик", "Тип"]) == {
        "number": 0,
        "holder_name": 1,
        "address": 2,
        "kind": 5,
        "units": 3,
        "exemption": 4,
    }
    assert propose_mapping(
        ["F.I.Sh.", "Qishloq", "Ko‘cha", "Uy", "Xonadon", "JShShIR", "Shartnoma sanasi"]
    ) == {
        "holder_name": 0,
        "holder_id_number": 5,
        "settlement": 1,
        "street": 2,
        "house": 3,
        "apartment": 4,
        "contract_start": 6,
    }
    assert propose_mapping(["Something else", ""]) == {}


def test_address_in_one_column_is_split_into_street_house_and_apartment():
    assert split_address("ул. Ленина 12, кв. 5") == ("ул. Ленина", "12", "5")
    assert split_address("Manas street 3a") == ("Manas street", "3a", "")
    assert split_address("Ленин көчөсү, үй 7") == ("Ленин көчөсү", "7", "")
    assert split_address("8 Марта 14/2") == ("8 Марта", "14/2", "")
    assert split_address("Ленина") is None


def test_address_column_imports(org_b, operator_b, places, house):
    headers = ["ФИО", "Село", "Адрес", "Категория", "Дата договора"]
    rows = [["Касымов Бек", "Бахмал", "ул. Ленина 12, кв. 5", "house", "01.01.2024"]]
    record = upload(operator_b, org_b, xlsx(headers, rows))
    assert subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping) == []
    subscriber_import_commit(actor=operator_b, record=record)
    account = Subscriber.objects.get(organization=org_b)
    assert (account.street, account.house, account.apartment) == ("ул. Ленина", "12", "5")


def test_old_excel_empty_and_headerless_files_are_refused(org_b, operator_b):
    with pytest.raises(DomainError, match=r"\.xls"):
        upload(operator_b, org_b, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="old.xls")
    with pytest.raises(DomainError):
        upload(operator_b, org_b, b"", name="empty.csv")
    with pytest.raises(DomainError):
        upload(operator_b, org_b, csv_bytes(["ФИО", "Село"], []), name="header-only.csv")
    with pytest.raises(DomainError):
        upload(operator_b, org_b, b"PK\x03\x04 not really a workbook", name="broken.xlsx")
    assert not SubscriberImport.objects.filter(organization=org_b).exists()


def test_only_staff_who_register_subscribers_may_import(org_b, member):
    cashier = member(org_b, Role.CASHIER)
    with pytest.raises(PermissionDenied):
        upload(cashier, org_b, xlsx(CYRILLIC_HEADERS, good_rows()))


# --- The dry run ----------------------------------------------------------------------------------------------


def test_every_error_of_every_row_is_reported_and_nothing_is_imported(
    org_b, operator_b, places, house, veterans
):
    rows = [
        # row 2: correct
        ["", "Good Row", PIN_1, "", "Бахмал", "Ленина", "1", "", "house", 4, "", "01.01.2020"],
        # row 3: no holder, unknown settlement
        ["", "", "", "", "Атлантида", "Ленина", "2", "", "house", 4, "", "01.01.2020"],
        # row 4: bad ID number, bad phone, bad date
        ["", "Bad Ids", "123", "555", "Бахмал", "Ленина", "3", "", "house", 4, "", "31.02.2020"],
        # row 5: negative residents, unknown category, unknown exemption, no house
        ["", "Bad Numbers", "", "", "Бахмал", "Ленина", "", "", "dacha", -1, "Depute", "01.01.2020"],
    ]  # fmt: skip
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, rows))
    errors = subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping)
    assert error_cells(errors) == {
        (3, "ФИО"),
        (3, "Населенный пункт"),
        (4, "ПИН"),
        (4, "Телефон"),
        (4, "Дата договора"),
        (5, "Дом"),
        (5, "Категория"),
        (5, "Кол-во жильцов"),
        (5, "Льгота"),
    }
    assert [e["row"] for e in errors] == sorted(e["row"] for e in errors)
    assert all(e["message"] for e in errors)
    assert {e["value"] for e in errors if e["row"] == 4} >= {"123", "555", "31.02.2020"}
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED
    assert record.errors == errors

    with pytest.raises(DomainError):
        subscriber_import_commit(actor=operator_b, record=record)
    assert not Subscriber.objects.filter(organization=org_b).exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED


def test_error_report_downloads_as_a_workbook(org_b, operator_b, places, house):
    headers = ["ФИО", "Телефон", "Село", "Улица", "Дом", "Категория", "Дата договора"]
    rows = [["", "=1+2", "Бахмал", "Ленина", "2", "house", "01.01.2020"]]
    record = upload(operator_b, org_b, csv_bytes(headers, rows), name="list.csv")
    errors = subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping)
    sheet = load_workbook(io.BytesIO(subscriber_import_errors_xlsx(record))).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + len(errors) == 3
    assert values[1][:2] == (2, "ФИО")
    assert values[2][:3] == (2, "Телефон", "=1+2")  # text, never a formula
    assert all(
        c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row[1:] if c.value is not None
    )


def test_settlement_of_another_country_is_not_matched(org_b, operator_b, house):
    SettlementFactory(name="Baxmal", name_uz="Baxmal")  # in Uzbekistan
    rows = [["", "A", "", "", "Бахмал", "Ленина", "1", "", "house", 1, "", "01.01.2020"]]
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, rows))
    errors = subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping)
    assert error_cells(errors) == {(2, "Населенный пункт")}


def test_settlements_of_the_same_name_are_told_apart_by_district(org_b, operator_b, places, house):
    elsewhere = SettlementFactory(
        district=DistrictFactory(region=RegionFactory(country=country("KG")), name="Alay"),
        name="Baxmal",
        name_ky="Бахмал",
    )
    rows = [
        [
            "",
            "A",
            "",
            "",
            "Бахмал",
            "Ленина",
            "1",
            "",
            "house",
            1,
            "",
            "01.01.2020",
        ],  # the organization's own
        ["", "B", "", "", "Бахмал (Alay)", "Ленина", "1", "", "house", 1, "", "01.01.2020"],
    ]
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, rows))
    assert subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping) == []
    subscriber_import_commit(actor=operator_b, record=record)
    assert dict(Subscriber.objects.filter(organization=org_b).values_list("holder_name", "settlement")) == {
        "A": places["bakhmal"].pk,
        "B": elsewhere.pk,
    }


def test_duplicates_inside_the_file_are_reported(org_b, operator_b, places, house):
    rows = [
        ["100", "A", PIN_1, "", "Бахмал", "ул. Ленина", "1", "", "house", 1, "", "01.01.2020"],
        ["101", "B", PIN_1, "", "Бахмал", "Ленина", "2", "", "house", 1, "", "01.01.2020"],  # same ID as row 2
        ["102", "C", "", "", "Bakhmal", "Ленина көчөсү", "1", "", "house", 1, "", "01.01.2020"],  # address of row 2
        ["100", "D", "", "", "Бахмал", "Ленина", "1", "1", "house", 1, "", "01.01.2020"],  # number of row 2
    ]  # fmt: skip
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, rows))
    errors = subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping)
    assert error_cells(errors) == {(3, "ПИН"), (4, "Улица"), (5, "Лицевой счет")}
    assert all("2" in e["message"] for e in errors)  # each names the first row


def test_duplicates_of_registered_accounts_are_reported(org_b, operator_b, places, house):
    SubscriberFactory(organization=org_b, number="0000500", holder_id_number=PIN_1, category=house)
    SubscriberFactory(
        organization=org_b,
        number="0000501",
        settlement=places["bakhmal"],
        street="Ленина",
        house="9",
        category=house,
    )
    SubscriberFactory(
        organization=org_b,
        number="0000502",
        settlement=places["bakhmal"],
        street="Ленина",
        house="11",
        category=house,
        status=SubscriberStatus.CLOSED,
    )
    rows = [
        ["", "Same person", PIN_1, "", "Бахмал", "Манас", "1", "", "house", 1, "", "01.01.2020"],
        ["", "Same house", "", "", "Bakhmal", "ул. Ленина", "9", "", "house", 1, "", "01.01.2020"],
        ["0000500", "Same number", "", "", "Бахмал", "Манас", "2", "", "house", 1, "", "01.01.2020"],
        ["", "Closed account's house", "", "", "Бахмал", "Ленина", "11", "", "house", 1, "", "01.01.2020"],
        ["", "Another apartment", "", "", "Бахмал", "Ленина", "9", "3", "house", 1, "", "01.01.2020"],
    ]  # fmt: skip
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, rows))
    errors = subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping)
    assert error_cells(errors) == {(2, "ПИН"), (3, "Улица"), (4, "Лицевой счет")}
    messages = {e["row"]: e["message"] for e in errors}
    assert "0000500" in messages[2] and "0000501" in messages[3]


def test_other_organizations_accounts_are_not_duplicates(org_a, org_b, operator_b, places, house):
    SubscriberFactory(organization=org_a, number="0000001", holder_id_number=PIN_1, settlement=places["bakhmal"],
                      street="Ленина", house="1")  # fmt: skip
    rows = [["0000001", "A", PIN_1, "", "Бахмал", "Ленина", "1", "", "house", 1, "", "01.01.2020"]]
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, rows))
    assert subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping) == []


def test_uzbek_organization_checks_pinfl(org_a, member):
    operator = member(org_a, Role.OPERATOR)
    SubscriberCategoryFactory(organization=org_a, code="house")
    SettlementFactory(district=DistrictFactory(region=org_a.region), name="Baxmal")
    headers = ["F.I.Sh.", "JShShIR", "Qishloq", "Ko'cha", "Uy", "Kategoriya", "Shartnoma sanasi"]
    rows = [["Karimov Anvar", "10101199012345", "Бахмал", "Navoiy", "4", "house", "01.01.2020"]]
    record = upload(operator, org_a, xlsx(headers, rows))
    errors = subscriber_import_check(actor=operator, record=record, mapping=record.mapping)
    assert error_cells(errors) == {(2, "JShShIR")}


def test_mapping_must_name_the_required_columns_once(org_b, operator_b):
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, good_rows()))
    with pytest.raises(DomainError, match="Choose the column"):
        subscriber_import_check(actor=operator_b, record=record, mapping={"holder_name": 1})
    with pytest.raises(DomainError):
        subscriber_import_check(actor=operator_b, record=record, mapping={**CYRILLIC_MAPPING, "phone": 1})
    with pytest.raises(DomainError):
        subscriber_import_check(actor=operator_b, record=record, mapping={**CYRILLIC_MAPPING, "phone": 99})


# --- The import -----------------------------------------------------------------------------------------------


def test_commit_twice_imports_once(org_b, operator_b, places, house, shop, veterans):
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, good_rows()))
    subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping)
    assert subscriber_import_commit(actor=operator_b, record=record) == 3
    with pytest.raises(DomainError):
        subscriber_import_commit(actor=operator_b, record=SubscriberImport.objects.get(pk=record.pk))
    with pytest.raises(DomainError):
        subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping)
    assert Subscriber.objects.filter(organization=org_b).count() == 3


def test_commit_needs_a_check_with_the_same_mapping(org_b, operator_b, places, house, shop, veterans):
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, good_rows()))
    with pytest.raises(DomainError, match="Check the file"):
        subscriber_import_commit(actor=operator_b, record=record)
    subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping)
    changed = {key: value for key, value in CYRILLIC_MAPPING.items() if key != "phone"}
    with pytest.raises(DomainError, match="changed"):
        subscriber_import_commit(actor=operator_b, record=record, mapping=changed)
    assert not Subscriber.objects.filter(organization=org_b).exists()
    assert subscriber_import_commit(actor=operator_b, record=record, mapping=CYRILLIC_MAPPING) == 3


def test_commit_checks_again_and_imports_nothing_when_a_row_became_a_duplicate(
    org_b, operator_b, places, house, shop, veterans
):
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, good_rows()))
    assert subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping) == []
    SubscriberFactory(organization=org_b, number="0000900", holder_id_number=PIN_2, category=house)
    with pytest.raises(DomainError):
        subscriber_import_commit(actor=operator_b, record=record)
    assert Subscriber.objects.filter(organization=org_b).count() == 1
    record.refresh_from_db()
    assert error_cells(record.errors) == {(4, "ПИН")}
    assert record.status == ImportStatus.CHECKED


def test_new_numbers_skip_numbers_already_taken(org_b, operator_b, places, house):
    SubscriberFactory(organization=org_b, number="0000001", category=house, settlement=places["kanysh"])
    rows = [
        ["0000002", "Keeps its number", "", "", "Бахмал", "Ленина", "1", "", "house", 1, "", "01.01.2020"],
        ["", "Gets a number", "", "", "Бахмал", "Ленина", "2", "", "house", 1, "", "01.01.2020"],
    ]  # fmt: skip
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, rows))
    assert subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping) == []
    subscriber_import_commit(actor=operator_b, record=record)
    numbers = dict(Subscriber.objects.filter(organization=org_b).values_list("holder_name", "number"))
    assert numbers["Keeps its number"] == "0000002"
    assert numbers["Gets a number"] == "0000003"


def test_units_and_excel_date_numbers_are_read(org_b, operator_b, places, shop):
    headers = ["ФИО", "Село", "Улица", "Дом", "Категория", "Объем", "Дата договора"]
    rows = [["Shop Ltd", "Бахмал", "Манас", "5", "shop", "2,5", 44927]]  # 44927 = 2023-01-01 in Excel
    record = upload(operator_b, org_b, xlsx(headers, rows))
    assert subscriber_import_check(actor=operator_b, record=record, mapping=record.mapping) == []
    subscriber_import_commit(actor=operator_b, record=record)
    account = Subscriber.objects.get(organization=org_b)
    assert account.units == Decimal("2.5")
    assert account.contract_start == datetime.date(2023, 1, 1)


# --- Pages ----------------------------------------------------------------------------------------------------


def test_pages_upload_check_and_import(
    client_of, org_b, operator_b, places, house, shop, veterans, django_capture_on_commit_callbacks
):
    client = client_of(operator_b)
    assert client.get(reverse("billing:subscriberimport_list")).status_code == 200
    response = client.post(
        reverse("billing:subscriberimport_list"),
        {"file": SimpleUploadedFile("list.xlsx", xlsx(CYRILLIC_HEADERS, good_rows()))},
    )
    record = SubscriberImport.objects.get(organization=org_b)
    assert response.status_code == 302
    assert response.url == reverse("billing:subscriberimport_detail", args=[record.pk])

    detail = reverse("billing:subscriberimport_detail", args=[record.pk])
    page = client.get(detail).content.decode()
    assert page.count('<select name="') == 15
    assert "Asanov Bakyt" in page  # the preview
    assert "import-errors" not in page

    form = {name: str(index) for name, index in CYRILLIC_MAPPING.items()}
    with django_capture_on_commit_callbacks(execute=True):  # the check runs as a task
        assert client.post(detail, form).status_code == 302
    page = client.get(detail).content.decode()
    assert reverse("billing:subscriberimport_commit", args=[record.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("billing:subscriberimport_commit", args=[record.pk]), form)
    assert response.status_code == 302
    assert Subscriber.objects.filter(organization=org_b).count() == 3
    again = client.post(reverse("billing:subscriberimport_commit", args=[record.pk]), form)
    assert again.status_code == 400
    assert Subscriber.objects.filter(organization=org_b).count() == 3


def test_page_lists_every_error_and_offers_no_import(
    client_of, org_b, operator_b, places, house, django_capture_on_commit_callbacks
):
    rows = [
        ["", "", "", "", "Атлантида", "Ленина", str(n), "", "dacha", 1, "", "01.01.2020"] for n in range(1, 8)
    ]
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, rows))
    client = client_of(operator_b)
    detail = reverse("billing:subscriberimport_detail", args=[record.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail, {n: str(i) for n, i in CYRILLIC_MAPPING.items()}).status_code == 302
    page = client.get(detail).content.decode()
    assert page.count('class="import-error"') == 21  # 7 rows × (holder, settlement, category)
    assert reverse("billing:subscriberimport_errors", args=[record.pk]) in page
    assert reverse("billing:subscriberimport_commit", args=[record.pk]) not in page

    download = client.get(reverse("billing:subscriberimport_errors", args=[record.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert org_b.code in download["Content-Disposition"]
    assert load_workbook(io.BytesIO(download.content)).active.max_row == 22

    response = client.post(reverse("billing:subscriberimport_commit", args=[record.pk]))
    assert response.status_code == 400
    assert not Subscriber.objects.filter(organization=org_b).exists()


def test_page_refuses_a_bad_file_and_an_incomplete_mapping(client_of, org_b, operator_b):
    client = client_of(operator_b)
    response = client.post(
        reverse("billing:subscriberimport_list"),
        {"file": SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")},
    )
    assert response.status_code == 400
    record = upload(operator_b, org_b, xlsx(CYRILLIC_HEADERS, good_rows()))
    response = client.post(reverse("billing:subscriberimport_detail", args=[record.pk]), {"holder_name": "1"})
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()


def test_another_organizations_import_is_not_found(client_of, org_a, org_b, member):
    foreign = SubscriberImportFactory(organization=org_b)
    client = client_of(member(org_a, Role.ADMIN))
    for name in ("subscriberimport_detail", "subscriberimport_errors"):
        assert client.get(reverse(f"billing:{name}", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("billing:subscriberimport_commit", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("billing:subscriberimport_detail", args=[foreign.pk])).status_code == 404


def test_cashier_cannot_open_the_import(client_of, org_b, member):
    client = client_of(member(org_b, Role.CASHIER))
    assert client.get(reverse("billing:subscriberimport_list")).status_code == 403
