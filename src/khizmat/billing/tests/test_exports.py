"""XLSX exports: each opens in Excel with the right rows, numbers as numbers and dates as dates; tenants never mix."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from khizmat.billing import exports
from khizmat.billing.choices import EntryKind, PaymentMethod, RunStatus, SubscriberStatus
from khizmat.billing.tests.factories import (
    BillingPeriodFactory,
    BillingRunFactory,
    CashDeskFactory,
    ExemptionFactory,
    InvoiceFactory,
    LedgerEntryFactory,
    PaymentFactory,
    SubscriberCategoryFactory,
    SubscriberFactory,
)
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import DistrictFactory, SettlementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Headers and messages are compared in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JAN = datetime.date(2026, 1, 1)


def sheet_of(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def rows_of(content: bytes) -> list[tuple]:
    return list(sheet_of(content).iter_rows(values_only=True))


@pytest.fixture
def village(org_b):
    return SettlementFactory(district=DistrictFactory(region=org_b.region), name="Baxmal")


@pytest.fixture
def accounts(org_b, village):
    category = SubscriberCategoryFactory(organization=org_b, name="Private house")
    veterans = ExemptionFactory(organization=org_b, name="War veterans", percent=50)
    first = SubscriberFactory(
        organization=org_b,
        number="0000001",
        holder_name="Asanov Bakyt",
        settlement=village,
        street="Lenin",
        house="12",
        apartment="3",
        category=category,
        residents=4,
        units=Decimal("2.5"),
        exemption=veterans,
        contract_start=datetime.date(2021, 3, 1),
        phone="+996555123456",
    )
    second = SubscriberFactory(
        organization=org_b,
        number="0000002",
        holder_name='=HYPERLINK("http://evil")',
        settlement=village,
        category=category,
        status=SubscriberStatus.CLOSED,
        contract_end=datetime.date(2025, 12, 31),
    )
    return first, second


@pytest.fixture
def foreign(org_a):
    """Another tenant's rows of every kind: none may appear in organization B's exports."""
    account = SubscriberFactory(organization=org_a, number="0000001", holder_name="Foreign Holder")
    run = BillingRunFactory(organization=org_a, period=BillingPeriodFactory(organization=org_a, month=JAN),
                            status=RunStatus.DRAFT)  # fmt: skip
    InvoiceFactory(organization=org_a, run=run, subscriber=account)
    PaymentFactory(organization=org_a, subscriber=account, received_on=JAN, payer_name="Foreign Holder")
    LedgerEntryFactory(organization=org_a, subscriber=account, kind=EntryKind.INVOICE, amount=Decimal("999"),
                       entry_date=JAN)  # fmt: skip
    return account


def test_subscriber_list(org_b, accounts, foreign):
    content = exports.subscribers_xlsx(org_b)
    sheet = sheet_of(content)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Account number", "Holder", "ID number")
    assert [r[0] for r in rows[1:]] == ["0000001", "0000002"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Settlement"] == "Baxmal"
    assert (first["Street"], first["House"], first["Apartment"]) == ("Lenin", "12", "3")
    assert first["Category"] == "Private house"
    assert first["Exemption"] == "War veterans"
    assert first["Residents"] == 4
    assert first["Billing units"] == 2.5
    assert first["Contract start"] == datetime.datetime(2021, 3, 1)
    assert first["Status"] == "Active"
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["Holder"] == '=HYPERLINK("http://evil")'  # written as text, not as a formula
    assert sheet.cell(row=3, column=2).data_type == "s"
    assert second["Contract end"] == datetime.datetime(2025, 12, 31)
    assert second["Status"] == "Closed"
    assert "Foreign Holder" not in str(rows)
    assert sheet.freeze_panes == "A2"


def test_invoices_of_a_period(org_b, accounts, foreign):
    period = BillingPeriodFactory(organization=org_b, month=JAN)
    run = BillingRunFactory(organization=org_b, period=period, status=RunStatus.APPROVED)
    old_run = BillingRunFactory(organization=org_b, period=period, status=RunStatus.SUPERSEDED)
    InvoiceFactory(organization=org_b, run=run, subscriber=accounts[0], amount=Decimal("1234.50"))
    InvoiceFactory(organization=org_b, run=run, subscriber=accounts[1], amount=Decimal("50.00"))
    InvoiceFactory(organization=org_b, run=old_run, subscriber=accounts[0], amount=Decimal("7.00"))
    other_period = BillingPeriodFactory(organization=org_b, month=datetime.date(2026, 2, 1))
    InvoiceFactory(
        organization=org_b,
        run=BillingRunFactory(organization=org_b, period=other_period, status=RunStatus.DRAFT),
        subscriber=accounts[0],
        amount=Decimal("8.00"),
    )

    sheet = sheet_of(exports.invoices_xlsx(org_b, period))
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "Invoices 2026-01"
    assert [(r[0], r[-2]) for r in rows[1:]] == [("0000001", 1234.5), ("0000002", 50)]
    amount = sheet.cell(row=2, column=10)
    assert amount.number_format == "#,##0.00"
    assert rows[1][2] == "Solid waste collection"
    assert "Foreign Holder" not in str(rows)

    assert rows_of(exports.invoices_xlsx(org_b, None))[1:] == []


def test_payments_of_a_date_range(org_b, accounts, foreign):
    desk = CashDeskFactory(organization=org_b, name="Window 1")
    at = datetime.datetime(
        2026, 1, 10, 9, 30, tzinfo=ZoneInfo("Asia/Bishkek")
    )  # the export writes local time
    PaymentFactory(organization=org_b, subscriber=accounts[0], amount=Decimal("150.00"), method=PaymentMethod.CASH,
                   desk=desk, receipt_number=1, received_at=at, received_on=datetime.date(2026, 1, 10))  # fmt: skip
    PaymentFactory(organization=org_b, subscriber=accounts[1], amount=Decimal("20.00"), received_at=at,
                   received_on=datetime.date(2026, 1, 31), reversed_at=at, reversed_on=datetime.date(2026, 2, 1),
                   reference="BANK-7")  # fmt: skip
    PaymentFactory(organization=org_b, subscriber=accounts[0], received_on=datetime.date(2026, 2, 1))

    sheet = sheet_of(exports.payments_xlsx(org_b, JAN, datetime.date(2026, 1, 31)))
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 3
    first, second = (dict(zip(header, row, strict=True)) for row in rows[1:])
    assert first["Date"] == datetime.datetime(2026, 1, 10)
    assert first["Received"] == datetime.datetime(2026, 1, 10, 9, 30)
    assert (first["Receipt number"], first["Cash desk"], first["Amount"]) == (1, "Window 1", 150)
    assert first["Method"] == "Cash at the desk"
    assert second["Reversed on"] == datetime.datetime(2026, 2, 1)
    assert second["Bank reference"] == "BANK-7"
    assert sheet.cell(row=2, column=7).number_format == "#,##0.00"
    assert sheet.cell(row=2, column=1).number_format == "DD.MM.YYYY"
    assert "Foreign Holder" not in str(rows)


def test_arrears_by_age(org_b, accounts, foreign):
    as_of = datetime.date(2026, 4, 30)
    owes, paid_up = accounts
    for month, amount in ((1, "100.00"), (3, "80.00"), (4, "60.00")):
        LedgerEntryFactory(organization=org_b, subscriber=owes, kind=EntryKind.INVOICE, amount=Decimal(amount),
                           entry_date=datetime.date(2026, month, 28))  # fmt: skip
    LedgerEntryFactory(organization=org_b, subscriber=owes, kind=EntryKind.PAYMENT, amount=Decimal("-50.00"),
                       entry_date=datetime.date(2026, 4, 1))  # fmt: skip
    LedgerEntryFactory(organization=org_b, subscriber=paid_up, kind=EntryKind.INVOICE, amount=Decimal("10.00"),
                       entry_date=datetime.date(2026, 1, 28))  # fmt: skip
    LedgerEntryFactory(organization=org_b, subscriber=paid_up, kind=EntryKind.PAYMENT, amount=Decimal("-10.00"),
                       entry_date=datetime.date(2026, 2, 1))  # fmt: skip

    sheet = sheet_of(exports.arrears_xlsx(org_b, as_of))
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    debtor = dict(zip(rows[0], rows[1], strict=True))
    assert (debtor["Account number"], debtor["Holder"], debtor["Settlement"]) == (
        "0000001",
        "Asanov Bakyt",
        "Baxmal",
    )
    assert debtor["Phone"] == "+996 *** ** 34 56"  # masked unless the asking role may see it (below)
    assert debtor["Debt"] == 190
    # Each month's charges aged from its last day: April's and March's (31 March is 30 days back) are 0–30 days old;
    # January's (31 January, 89 days) 61–90, of which 50 is left.
    full = list(sheet_of(exports.arrears_xlsx(org_b, as_of, full=True)).iter_rows(values_only=True))
    assert dict(zip(full[0], full[1], strict=True))["Phone"] == "+996555123456"
    assert (debtor["0–30 days"], debtor["31–60 days"], debtor["61–90 days"], debtor["Over 90 days"]) == (
        140,
        0,
        50,
        0,
    )
    assert all(sheet.cell(row=2, column=c).number_format == "#,##0.00" for c in range(8, 13))
    assert "Foreign Holder" not in str(rows)


def test_sheet_titles_are_valid():
    assert exports.sheet_title("Arrears: 2026/01 [all]") == "Arrears  2026 01  all"
    assert len(exports.sheet_title("x" * 40)) == 31


# --- Pages ----------------------------------------------------------------------------------------------------


@pytest.fixture
def manager_b(member, org_b):
    return member(org_b, Role.MANAGER)


def test_export_pages_prepare_workbooks(client_of, org_b, manager_b, accounts, foreign,
                                         django_capture_on_commit_callbacks):  # fmt: skip
    """Each export is a document made in the background (khizmat.documents): asked for, then downloaded."""
    period = BillingPeriodFactory(organization=org_b, month=JAN)
    InvoiceFactory(organization=org_b, run=BillingRunFactory(organization=org_b, period=period, status=RunStatus.DRAFT),
                   subscriber=accounts[0])  # fmt: skip
    client = client_of(manager_b)
    for name, query, rows in (
        ("export_subscribers", {}, 3),
        ("export_invoices", {"period": period.pk}, 2),
        ("export_invoices", {}, 2),  # the latest period
        ("export_payments", {"from": "2026-01-01", "to": "2026-01-31"}, 1),
        ("export_payments", {}, 1),
        ("export_arrears", {"as_of": "2026-04-30"}, 1),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(reverse(f"billing:{name}"), query)
        assert asked.status_code == 302, name
        download = client.get(asked["Location"] + "file/")
        assert download.status_code == 200, name
        assert download["Content-Type"] == XLSX
        disposition = download["Content-Disposition"]
        assert disposition.startswith("attachment;") and org_b.code in disposition
        assert len(rows_of(b"".join(download.streaming_content))) == rows, name


def test_export_pages_refuse_bad_dates_and_foreign_periods(client_of, org_a, org_b, manager_b):
    client = client_of(manager_b)
    url = reverse("billing:export_payments")
    for query in ({"from": "31.01.2026"}, {"to": "2026-02-30"}, {"from": "2026-02-01", "to": "2026-01-01"}):
        response = client.post(url, query)
        assert response.status_code == 400
        assert response.content
    assert client.post(reverse("billing:export_arrears"), {"as_of": "yesterday"}).status_code == 400
    assert client.post(reverse("billing:export_invoices"), {"period": "abc"}).status_code == 400
    foreign_period = BillingPeriodFactory(organization=org_a, month=JAN)
    assert client.post(reverse("billing:export_invoices"), {"period": foreign_period.pk}).status_code == 400


def test_exports_need_the_reports_permission(client_of, org_b, member):
    client = client_of(member(org_b, Role.OPERATOR))
    assert client.get(reverse("billing:export_subscribers")).status_code == 403
    assert client.post(reverse("billing:export_subscribers")).status_code == 403
