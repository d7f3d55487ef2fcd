"""XLSX exports of billing data: the subscriber list, the invoices of a period, payments, arrears by age.

Workbooks are written in openpyxl's write-only mode from ``values_list`` rows read in chunks, so an export of a
whole town never holds its rows as model instances. Headers and sheet titles are in the user's language; money is
a number with two decimals, dates are dates, and no text is ever written as a formula.
"""

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

# openpyxl is imported in the functions that use it: a web worker that never needs it does not hold it (about 30 MB with numpy).
from khizmat.billing.choices import (
    BillingService,
    PaymentMethod,
    RunStatus,
    SubscriberKind,
    SubscriberStatus,
    TariffUnit,
)
from khizmat.billing.models import CashDesk, Exemption, Invoice, Payment, Subscriber, SubscriberCategory
from khizmat.billing.selectors import AGING_BUCKETS, aging_rows
from khizmat.core.masking import mask_id_number, mask_phone
from khizmat.tenancy.localtime import organization_zone
from khizmat.tenancy.models import Settlement

CHUNK = 2000
MONEY_FORMAT = "#,##0.00"
QUANTITY_FORMAT = "#,##0.###"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
_NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text, number, money, quantity, date, datetime
    width: int = 14


def sheet_title(text: str) -> str:
    """A valid sheet title: at most 31 characters, none of []:*?/\\."""
    return _NOT_IN_TITLE.sub(" ", str(text)).strip()[:31] or "Sheet"


def _cell(sheet, column: Column, value):
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    if column.kind == "text":
        cell = WriteOnlyCell(sheet, str(value))
        cell.data_type = "s"  # «=…» typed into a name stays text, never a formula
        return cell
    if column.kind == "number":
        return value
    cell = WriteOnlyCell(sheet, value)
    cell.number_format = {
        "money": MONEY_FORMAT,
        "quantity": QUANTITY_FORMAT,
        "date": DATE_FORMAT,
        "datetime": DATETIME_FORMAT,
    }[column.kind]
    return cell


def write_xlsx(title: str, columns: list[Column], rows: Iterable[Iterable]) -> bytes:
    """One sheet: a bold, frozen header row, then ``rows`` (tuples in the order of ``columns``)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(title))
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, str(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, column, value) for column, value in zip(columns, row, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _names(queryset) -> dict[int, str]:
    """Primary key → display name (in the user's language) of a small reference table."""
    return {obj.pk: str(obj) for obj in queryset}


def _choices(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _local(moment: datetime.datetime | None, zone) -> datetime.datetime | None:
    # Excel has no time zones: write the organization's local wall-clock time.
    return timezone.localtime(moment, zone).replace(tzinfo=None) if moment else None


# --- Subscribers -----------------------------------------------------------------------------------------------


def subscribers_xlsx(organization, *, full: bool = False) -> bytes:
    """All accounts; ID numbers and phones masked unless ``full`` (the asking role may see them)."""
    accounts = Subscriber.objects.filter(organization=organization)
    settlements = _names(Settlement.objects.filter(pk__in=accounts.values("settlement_id")))
    categories = _names(SubscriberCategory.objects.filter(organization=organization))
    exemptions = {e.pk: e.name for e in Exemption.objects.filter(organization=organization)}
    kinds, statuses = _choices(SubscriberKind.choices), _choices(SubscriberStatus.choices)
    columns = [
        Column(_("Account number"), width=12),
        Column(_("Holder"), width=32),
        Column(_("ID number"), width=16),
        Column(_("Phone"), width=16),
        Column(_("Settlement"), width=18),
        Column(_("Street"), width=22),
        Column(_("House"), width=8),
        Column(_("Apartment"), width=8),
        Column(_("Category"), width=20),
        Column(_("Kind"), width=14),
        Column(_("Residents"), "number", width=10),
        Column(_("Billing units"), "quantity", width=10),
        Column(_("Exemption"), width=22),
        Column(_("Contract start"), "date", width=12),
        Column(_("Contract end"), "date", width=12),
        Column(_("Status"), width=12),
    ]
    values = accounts.order_by("number", "pk").values_list(
        "number",
        "holder_name",
        "holder_id_number",
        "phone",
        "settlement_id",
        "street",
        "house",
        "apartment",
        "category_id",
        "kind",
        "residents",
        "units",
        "exemption_id",
        "contract_start",
        "contract_end",
        "status",
    )

    def rows():
        for (
            number,
            holder,
            id_number,
            phone,
            settlement_id,
            street,
            house,
            apartment,
            category_id,
            kind,
            residents,
            units,
            exemption_id,
            start,
            end,
            status,
        ) in values.iterator(chunk_size=CHUNK):
            yield (
                number,
                holder,
                id_number if full else mask_id_number(id_number),
                phone if full else mask_phone(phone),
                settlements.get(settlement_id, ""),
                street,
                house,
                apartment,
                categories.get(category_id, ""),
                kinds.get(kind, kind),
                residents,
                units,
                exemptions.get(exemption_id, ""),
                start,
                end,
                statuses.get(status, status),
            )

    return write_xlsx(_("Subscribers"), columns, rows())


# --- Invoices --------------------------------------------------------------------------------------------------


def invoices_xlsx(organization, period) -> bytes:
    """Invoice lines of the period's finished run (draft or approved); only the header when there is none."""
    services, units = _choices(BillingService.choices), _choices(TariffUnit.choices)
    columns = [
        Column(_("Account number"), width=12),
        Column(_("Holder"), width=32),
        Column(_("Service"), width=26),
        Column(_("Unit"), width=16),
        Column(_("Quantity"), "quantity", width=10),
        Column(_("Price"), "money", width=12),
        Column(_("Days billed"), "number", width=8),
        Column(_("Days in the month"), "number", width=8),
        Column(_("Discount, %"), "number", width=8),
        Column(_("Amount"), "money", width=14),
        Column(_("Currency"), width=8),
    ]
    title = _("Invoices")
    if period is None:
        return write_xlsx(title, columns, [])
    title = f"{title} {period.month:%Y-%m}"
    values = (
        Invoice.objects.filter(
            organization=organization,
            period=period,
            run__status__in=[RunStatus.DRAFT, RunStatus.APPROVED],
        )
        .order_by("subscriber__number", "service", "pk")
        .values_list(
            "subscriber__number",
            "subscriber__holder_name",
            "service",
            "unit",
            "quantity",
            "price",
            "days_billed",
            "days_in_period",
            "discount_percent",
            "amount",
            "currency",
        )
    )

    def rows():
        for number, holder, service, unit, *rest in values.iterator(chunk_size=CHUNK):
            yield (number, holder, services.get(service, service), units.get(unit, unit), *rest)

    return write_xlsx(title, columns, rows())


# --- Payments --------------------------------------------------------------------------------------------------


def payments_xlsx(organization, date_from: datetime.date, date_to: datetime.date) -> bytes:
    """Payments received from ``date_from`` to ``date_to`` (inclusive), reversed ones with their reversal date."""
    methods = _choices(PaymentMethod.choices)
    desks = _names(CashDesk.objects.filter(organization=organization))
    zone = organization_zone(organization)
    columns = [
        Column(_("Date"), "date", width=12),
        Column(_("Received"), "datetime", width=17),
        Column(_("Receipt number"), "number", width=10),
        Column(_("Cash desk"), width=16),
        Column(_("Account number"), width=12),
        Column(_("Holder"), width=32),
        Column(_("Amount"), "money", width=14),
        Column(_("Currency"), width=8),
        Column(_("Method"), width=18),
        Column(_("Paid by"), width=24),
        Column(_("Bank reference"), width=18),
        Column(_("Reversed on"), "date", width=12),
    ]
    values = (
        Payment.objects.filter(
            organization=organization, received_on__gte=date_from, received_on__lte=date_to
        )
        .order_by("received_at", "pk")
        .values_list(
            "received_on",
            "received_at",
            "receipt_number",
            "desk_id",
            "subscriber__number",
            "subscriber__holder_name",
            "amount",
            "currency",
            "method",
            "payer_name",
            "reference",
            "reversed_on",
        )
    )

    def rows():
        for (
            received_on,
            received_at,
            receipt,
            desk_id,
            number,
            holder,
            amount,
            currency,
            method,
            payer,
            reference,
            reversed_on,
        ) in values.iterator(chunk_size=CHUNK):
            yield (
                received_on,
                _local(received_at, zone),
                receipt,
                desks.get(desk_id, ""),
                number,
                holder,
                amount,
                currency,
                methods.get(method, method),
                payer,
                reference,
                reversed_on,
            )

    return write_xlsx(_("Payments"), columns, rows())


# --- Arrears ---------------------------------------------------------------------------------------------------


def arrears_xlsx(organization, as_of: datetime.date, *, full: bool = False) -> bytes:
    """Debtors as of a date, largest debt first, with their debt by age (oldest charges paid first); phones masked
    unless ``full`` (the asking role may see them)."""
    show_phone = (lambda value: value) if full else mask_phone
    debts = aging_rows(organization=organization, as_of=as_of)
    columns = [
        Column(_("Account number"), width=12),
        Column(_("Holder"), width=32),
        Column(_("Settlement"), width=18),
        Column(_("Street"), width=22),
        Column(_("House"), width=8),
        Column(_("Apartment"), width=8),
        Column(_("Phone"), width=16),
        Column(_("Debt"), "money", width=14),
        Column(_("0–30 days"), "money", width=12),
        Column(_("31–60 days"), "money", width=12),
        Column(_("61–90 days"), "money", width=12),
        Column(_("Over 90 days"), "money", width=12),
    ]

    def rows():
        accounts = Subscriber.objects.filter(organization=organization)
        settlements: dict[int, str] = {}
        for start in range(0, len(debts), CHUNK):
            chunk = debts[start : start + CHUNK]
            details = {
                pk: rest
                for pk, *rest in accounts.filter(pk__in=[d["subscriber_id"] for d in chunk]).values_list(
                    "pk", "number", "holder_name", "settlement_id", "street", "house", "apartment", "phone"
                )
            }
            missing = {d[2] for d in details.values()} - settlements.keys()
            settlements.update(_names(Settlement.objects.filter(pk__in=missing)))
            for debt in chunk:
                detail = details.get(debt["subscriber_id"])
                if detail is None:
                    continue
                number, holder, settlement_id, street, house, apartment, phone = detail
                yield (
                    number,
                    holder,
                    settlements.get(settlement_id, ""),
                    street,
                    house,
                    apartment,
                    show_phone(phone),
                    debt["balance"],
                    *(debt[name] for name in AGING_BUCKETS),
                )

    return write_xlsx(f"{_('Arrears')} {as_of:%Y-%m-%d}", columns, rows())
