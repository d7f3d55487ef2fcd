"""Import of a supplier's equipment list (XLSX): upload, check every row (dry run), then import all rows or none.

The columns are recognized by their header, in any of the interface's languages (the downloadable template writes
them in the user's): type and model are required; serial number, cost, currency, delivery date, place, quantity,
funder project, inventory number and notes are optional. A row with a quantity above 1 and no serial number becomes
that many units (a box of 20 identical keyboards); a row with a serial number is one unit.

1. :func:`equipment_import_upload` bounds the file (``core.uploads.check_xlsx``), keeps it and its header row.
2. :func:`equipment_import_check` is a dry run: every problem of every row is kept as
   ``{"row", "column", "value", "message"}`` (the row as Excel numbers it), including serial numbers and inventory
   numbers used twice in the file or already registered in the organization.
3. :func:`equipment_import_commit` imports a file checked without errors, checking it again inside its
   transaction: every unit or none.

Both run as a background task (:func:`equipment_import_start`, ``inventory.tasks.run_equipment_import``) that writes
its progress and outcome on the record; the page polls it.
"""

import datetime
import functools
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_create_with_history

# openpyxl is imported in the functions that use it: a web worker that never needs it does not hold it (about 30 MB with numpy).
from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import check_amount, check_date
from khizmat.core.search import search_key
from khizmat.core.uploads import check_xlsx
from khizmat.inventory.choices import (
    EquipmentCurrency,
    EquipmentStatus,
    EquipmentType,
    ImportStatus,
    ImportTask,
)
from khizmat.inventory.models import Equipment, EquipmentImport
from khizmat.inventory.services import PERMISSION, reserve_inventory_numbers
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.models import Organization
from khizmat.tenancy.permissions import require_permission

IMPORT_MODEL = (
    Equipment  # the model whose fields the columns fill (tests/test_field_rules_everywhere.py reads it)
)
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_SHEET_ROWS = 2 * MAX_ROWS
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_QUANTITY = 500  # units one row may stand for
STALE_TASK = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class ImportField:
    name: str
    label: object
    required: bool = False
    synonyms: tuple[str, ...] = ()


def _label(name: str):
    return Equipment._meta.get_field(name).verbose_name


FIELDS: tuple[ImportField, ...] = (
    ImportField("type", _label("type"), True, ("тип", "вид", "түрү", "turi", "type", "kind", "category")),
    ImportField(
        "model",
        _label("model"),
        True,
        ("модель", "наименование", "марка", "model", "name", "description", "nomi", "аталышы"),
    ),
    ImportField(
        "serial_number",
        _label("serial_number"),
        False,
        ("серийный номер", "с/н", "s/n", "serial", "serial no", "sn", "seriya raqami", "сериялык номер"),
    ),
    ImportField("cost", _label("cost"), False, ("стоимость", "цена", "баасы", "narxi", "price", "cost")),
    ImportField("currency", _label("currency"), False, ("валюта", "valyuta", "currency")),
    ImportField(
        "delivery_date",
        _label("delivery_date"),
        False,
        ("дата поставки", "дата", "date", "delivered", "yetkazib berilgan sana", "жеткирилген күнү"),
    ),
    ImportField("place", _label("place"), False, ("место", "кабинет", "орун", "joyi", "room", "location")),
    ImportField(
        "quantity",
        gettext_lazy("quantity"),
        False,
        ("количество", "кол-во", "саны", "soni", "qty", "quantity", "count"),
    ),
    ImportField(
        "funder_project",
        _label("funder_project"),
        False,
        ("проект", "донор", "долбоор", "loyiha", "donor", "project", "funder"),
    ),
    ImportField(
        "inventory_number",
        _label("inventory_number"),
        False,
        ("инвентарный номер", "инв. №", "инв номер", "inventar raqami", "inventory no"),
    ),
    ImportField("notes", _label("notes"), False, ("примечание", "эскертүү", "izoh", "notes", "comment")),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}

# Currencies as suppliers write them.
_CURRENCY_WORDS = {
    "$": "USD", "usd": "USD", "доллар": "USD", "dollar": "USD", "долл": "USD",
    "€": "EUR", "eur": "EUR", "евро": "EUR", "euro": "EUR", "evro": "EUR",
    "uzs": "UZS", "сум": "UZS", "so'm": "UZS", "сўм": "UZS", "som uz": "UZS",
    "kgs": "KGS", "сом": "KGS",
}  # fmt: skip
# Types as suppliers write them, besides the type's name in every language.
_TYPE_WORDS = {
    EquipmentType.SERVER: ("сервер", "server"),
    EquipmentType.PC: ("пк", "компьютер", "системный блок", "моноблок", "pc", "desktop", "kompyuter", "computer"),
    EquipmentType.LAPTOP: ("ноутбук", "laptop", "notebook", "noutbuk"),
    EquipmentType.PRINTER: ("принтер", "мфу", "сканер", "printer", "mfp", "scanner", "printer/mfp"),
    EquipmentType.NETWORK: ("коммутатор", "маршрутизатор", "роутер", "switch", "router", "network", "сеть", "ups", "ибп"),
    EquipmentType.VIDEO: ("камера", "видеонаблюдение", "видеорегистратор", "camera", "cctv", "nvr", "video"),
    EquipmentType.FEEDBACK: ("терминал оценки", "пульт оценки", "feedback", "rating terminal", "feedback device"),
    EquipmentType.QUEUE: ("электронная очередь", "терминал очереди", "табло", "киоск", "kiosk", "queue", "display"),
    EquipmentType.VEHICLE: ("автомобиль", "машина", "vehicle", "truck", "car"),
    EquipmentType.OTHER: ("другое", "прочее", "other"),
}  # fmt: skip


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@functools.cache
def _header_keys() -> dict[str, str]:
    """The search key of every spelling of every column → the field it names."""
    keys: dict[str, str] = {}
    for import_field in FIELDS:
        spellings = {import_field.name, import_field.name.replace("_", " "), *import_field.synonyms}
        for language in _languages():
            with translation.override(language):
                spellings.add(str(import_field.label))
        for spelling in spellings:
            keys.setdefault(search_key(spelling), import_field.name)
    return keys


@functools.cache
def _type_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for choice in EquipmentType:
        spellings = {choice.value, *_TYPE_WORDS.get(choice, ())}
        for language in _languages():
            with translation.override(language):
                spellings.add(str(choice.label))
        for spelling in spellings:
            keys.setdefault(search_key(spelling), choice.value)
    return keys


def column_mapping(headers: list[str]) -> dict[str, int]:
    """Which column holds which field, by the header's spelling (the first column of a field wins)."""
    mapping: dict[str, int] = {}
    keys = _header_keys()
    for index, header in enumerate(headers):
        name = keys.get(search_key(header.rstrip(" *")))
        if name and name not in mapping:
            mapping[name] = index
    return mapping


# --- Reading the workbook -------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _unreadable() -> DomainError:
    return DomainError(_("This file cannot be read as an Excel workbook (.xlsx)."), code="import_unreadable")


def read_rows(content: bytes, *, limit: int | None = None) -> tuple[list[str], list[tuple[int, list]]]:
    """The header (first row with two or more filled cells) and the filled rows under it, numbered as Excel shows
    them. Bounded before openpyxl opens the file."""
    from openpyxl import load_workbook

    content = bytes(content or b"")
    if content[:4] != b"PK\x03\x04":
        raise DomainError(
            _("This is not an Excel workbook (.xlsx). Save the list as .xlsx and upload it again."),
            code="import_not_xlsx",
        )
    check_xlsx(content, max_rows=MAX_SHEET_ROWS, max_uncompressed=MAX_UNPACKED_BYTES)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise _unreadable() from error
    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    try:
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            values = list(values)
            filled = [v for v in values if _text(v)]
            if header is None:
                if len(filled) >= 2:
                    header = [_text(v) for v in values]
                    while header and not header[-1]:
                        header.pop()
                continue
            if not filled:
                continue
            if limit is not None and len(rows) >= limit:
                break
            if len(rows) >= MAX_ROWS:
                raise DomainError(
                    _("The file has more than %(max)s rows. Split it into several files.")
                    % {"max": MAX_ROWS},
                    code="import_too_many_rows",
                )
            values = values[: len(header)] + [None] * (len(header) - len(values))
            rows.append((number, values))
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        raise _unreadable() from error
    finally:
        workbook.close()
    if header is None:
        raise DomainError(
            _("The file has no header row: its first row must name the columns."), code="import_no_header"
        )
    return header, rows


def _date(value) -> datetime.date | None:
    from openpyxl.utils.datetime import from_excel

    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            try:
                return from_excel(value).date()
            except (ValueError, OverflowError, TypeError):
                return None
        return None
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y"):
        try:
            return datetime.datetime.strptime(text.split(" ")[0].split("T")[0], pattern).date()
        except ValueError:
            continue
    return None


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _text(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


# --- Checking the rows ------------------------------------------------------------------------------------------


@dataclass
class _Unit:
    row: int
    fields: dict
    quantity: int


class _Row:
    def __init__(self, number, values, headers, mapping, errors):
        self.number, self.values, self.headers, self.mapping, self.errors = (
            number,
            values,
            headers,
            mapping,
            errors,
        )
        self.failed = False

    def raw(self, name):
        index = self.mapping.get(name)
        return None if index is None else self.values[index]

    def text(self, name) -> str:
        return _text(self.raw(name))

    def error(self, name, message) -> None:
        from openpyxl.utils import get_column_letter

        self.failed = True
        index = self.mapping.get(name)
        column = (
            str(capfirst(FIELDS_BY_NAME[name].label))
            if index is None
            else (self.headers[index] or get_column_letter(index + 1))
        )
        self.errors.append(
            {
                "row": self.number,
                "column": column,
                "value": self.text(name),
                "message": str(message),
                "field": name,
            }
        )


def _funder_projects() -> dict[str, Organization]:
    projects: dict[str, Organization] = {}
    for project in Organization.objects.filter(kind=OrganizationKind.FUNDER_PROJECT):
        for spelling in (project.code, *project.search_texts()):
            if spelling:
                projects.setdefault(search_key(spelling), project)
    return projects


def _unit_of(row: _Row, organization, projects, today) -> _Unit | None:
    fields: dict = {}
    kind = _type_keys().get(search_key(row.text("type")))
    if not row.text("type"):
        row.error("type", _("Write the type of equipment."))
    elif kind is None:
        row.error(
            "type",
            _("Unknown type. Write one of: %(types)s.")
            % {"types": ", ".join(str(label) for label in EquipmentType.labels)},
        )
    fields["type"] = kind
    fields["model"] = row.text("model")[:200]
    if not fields["model"]:
        row.error("model", _("Write the make and model."))
    fields["serial_number"] = row.text("serial_number")[:100]
    fields["inventory_number"] = row.text("inventory_number")[:40]
    fields["place"] = row.text("place")[:200]
    fields["notes"] = row.text("notes")
    fields["cost"] = None
    if row.text("cost"):
        amount = _decimal(row.raw("cost"))
        try:
            fields["cost"] = check_amount("x" if amount is None else amount, allow_zero=True)
        except ValidationError as error:
            row.error("cost", " ".join(error.messages))
    currency = row.text("currency")
    fields["currency"] = ""
    if currency:
        code = currency.upper() if currency.upper() in EquipmentCurrency.values else None
        code = code or _CURRENCY_WORDS.get(currency.lower())
        if code is None:
            row.error(
                "currency",
                _("Unknown currency. Write one of: %(codes)s.")
                % {"codes": ", ".join(EquipmentCurrency.values)},
            )
        fields["currency"] = code or ""
    elif fields["cost"] is not None:
        row.error("currency", _("Say in which currency the cost is."))
    fields["delivery_date"] = None
    if row.text("delivery_date"):
        day = _date(row.raw("delivery_date"))
        try:
            fields["delivery_date"] = check_date(
                day if day is not None else row.text("delivery_date"), latest=today
            )
        except ValidationError as error:
            row.error("delivery_date", " ".join(error.messages))
    fields["funder_project"] = None
    if row.text("funder_project"):
        project = projects.get(search_key(row.text("funder_project")))
        if project is None:
            row.error("funder_project", _("No funder project has this name or code."))
        fields["funder_project"] = project
    quantity = 1
    if row.text("quantity"):
        number = _decimal(row.raw("quantity"))
        if number is None or number != number.to_integral_value() or not 1 <= number <= MAX_QUANTITY:
            row.error("quantity", _("Write a whole number from 1 to %(max)s.") % {"max": MAX_QUANTITY})
        else:
            quantity = int(number)
    if quantity > 1 and fields["serial_number"]:
        row.error("quantity", _("A row with a serial number is one unit: write each unit on its own row."))
    if quantity > 1 and fields["inventory_number"]:
        row.error(
            "quantity", _("A row with an inventory number is one unit: write each unit on its own row.")
        )
    return None if row.failed else _Unit(row=row.number, fields=fields, quantity=quantity)


def _check_duplicates(organization, units: list[_Unit], rows: dict[int, _Row]) -> None:
    for name, message_here, message_there in (
        (
            "serial_number",
            _("The serial number %(value)s is also in row %(other)s."),
            _("Your organization already has equipment with the serial number %(value)s."),
        ),
        (
            "inventory_number",
            _("The inventory number %(value)s is also in row %(other)s."),
            _("The inventory number %(value)s is taken."),
        ),
    ):
        first: dict[str, int] = {}
        for unit in units:
            value = unit.fields[name]
            if not value:
                continue
            if value in first:
                rows[unit.row].error(name, message_here % {"value": value, "other": first[value]})
            else:
                first[value] = unit.row
        values = list(first)
        taken: set[str] = set()
        for start in range(0, len(values), 900):
            taken.update(
                Equipment.objects.filter(
                    organization=organization, **{f"{name}__in": values[start : start + 900]}
                ).values_list(name, flat=True)
            )
        for value in sorted(taken):
            rows[first[value]].error(name, message_there % {"value": value})


def _validate(organization, headers, table) -> tuple[list[_Unit], list[dict]]:
    mapping = column_mapping(headers)
    errors: list[dict] = []
    missing = [f for f in FIELDS if f.required and f.name not in mapping]
    if missing:
        raise DomainError(
            _("The file has no column for: %(fields)s. Use the template.")
            % {"fields": ", ".join(str(capfirst(f.label)) for f in missing)},
            code="import_columns_missing",
        )
    projects = _funder_projects()
    today = local_today(organization)
    rows = {number: _Row(number, values, headers, mapping, errors) for number, values in table}
    units = [unit for row in rows.values() if (unit := _unit_of(row, organization, projects, today))]
    _check_duplicates(organization, units, rows)
    errors.sort(key=lambda e: (e["row"], list(FIELDS_BY_NAME).index(e["field"])))
    return units, errors


# --- Services ---------------------------------------------------------------------------------------------------


@transaction.atomic
def equipment_import_upload(*, actor, organization, upload) -> EquipmentImport:
    """Keep an uploaded supplier list (XLSX) with its header row; the rows are checked in the background."""
    require_permission(actor, organization, PERMISSION)
    size = getattr(upload, "size", None)
    too_large = DomainError(
        _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)},
        code="import_too_large",
    )
    if size is not None and size > MAX_FILE_BYTES:
        raise too_large
    content = upload.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise too_large
    if not content:
        raise DomainError(_("The file is empty."), code="import_empty")
    headers, rows = read_rows(content, limit=1)
    if not rows:
        raise DomainError(_("The file has no rows under its header."), code="import_empty")
    name = str(getattr(upload, "name", "") or "equipment.xlsx").replace("\\", "/").rsplit("/", 1)[-1]
    record = EquipmentImport(
        organization=organization,
        file_name=name[:255],
        content=content,
        headers=headers,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    record._history_user = actor
    record.save()
    return record


def _current(record: EquipmentImport, *, lock: bool = False) -> EquipmentImport:
    rows = EquipmentImport.objects.filter(pk=record.pk, organization=record.organization_id)
    current = (rows.select_for_update() if lock else rows).get()
    if current.status == ImportStatus.IMPORTED:
        raise DomainError(_("This file is already imported."), code="import_done")
    return current


def equipment_import_check(*, actor, record: EquipmentImport, on_progress=None) -> list[dict]:
    """Dry run: check every row and keep every error (row, column, value, message) on the import. Writes nothing
    else; the rows are read outside a transaction."""
    organization = record.organization
    require_permission(actor, organization, PERMISSION)
    current = _current(record)
    headers, table = read_rows(current.content)
    _progress(on_progress, 40)
    units, errors = _validate(organization, headers, table)
    with transaction.atomic():
        locked = _current(record, lock=True)
        locked.errors, locked.status, locked.row_count = errors, ImportStatus.CHECKED, len(table)
        locked._history_user = actor
        locked.save(update_fields=["errors", "status", "row_count"])
    record.errors, record.status, record.row_count = locked.errors, locked.status, locked.row_count
    return errors


def equipment_import_commit(*, actor, record: EquipmentImport, on_progress=None) -> int:
    """Import every unit of a file checked without errors, in one transaction: all or none. The rows are checked
    again inside it (equipment may have been registered since); new errors are kept and nothing is imported."""
    organization = record.organization
    require_permission(actor, organization, PERMISSION)
    headers, table = read_rows(_current(record).content)
    _progress(on_progress, 20)
    new_errors = None
    with transaction.atomic():
        locked = _current(record, lock=True)
        if locked.status != ImportStatus.CHECKED:
            raise DomainError(_("Check the file before importing it."), code="import_not_checked")
        if locked.errors:
            raise DomainError(
                _("The file has errors: correct them and check it again."), code="import_has_errors"
            )
        units, errors = _validate(organization, headers, table)
        _progress(on_progress, 50)
        if errors:
            locked.errors = errors
            locked._history_user = actor
            locked.save(update_fields=["errors"])
            new_errors = errors
        else:
            count = sum(unit.quantity for unit in units)
            numbers = iter(
                reserve_inventory_numbers(
                    organization=organization,
                    count=sum(u.quantity for u in units if not u.fields["inventory_number"]),
                )
            )
            equipment = []
            for unit in units:
                for _copy in range(unit.quantity):
                    fields = dict(unit.fields)
                    fields["inventory_number"] = fields["inventory_number"] or next(numbers)
                    equipment.append(
                        Equipment(organization=organization, status=EquipmentStatus.IN_USE, **fields)
                    )
            try:
                with transaction.atomic():
                    bulk_create_with_history(equipment, Equipment, batch_size=500, default_user=actor)
            except IntegrityError as error:
                raise DomainError(
                    _("A serial or inventory number of the file was taken meanwhile. Check the file again."),
                    code="duplicate_number",
                ) from error
            locked.status, locked.imported_count, locked.imported_at = (
                ImportStatus.IMPORTED,
                count,
                timezone.now(),
            )
            locked._history_user = actor
            locked.save(update_fields=["status", "imported_count", "imported_at"])
    record.errors, record.status = locked.errors, locked.status
    record.imported_count, record.imported_at = locked.imported_count, locked.imported_at
    if new_errors is not None:
        raise DomainError(
            ngettext(
                "Since the check, the file has %(count)s error; nothing was imported.",
                "Since the check, the file has %(count)s errors; nothing was imported.",
                len(new_errors),
            )
            % {"count": len(new_errors)},
            code="import_has_errors",
        )
    return locked.imported_count


def _progress(on_progress, percent: int) -> None:
    if on_progress is not None:
        on_progress(percent)


def equipment_import_start(*, actor, record: EquipmentImport, step: str) -> None:
    """Ask for the check (``step="check"``) or the import (``"import"``); it runs in the background. The quick
    refusals come at once (role, a file already imported or busy, an import of a file not checked clean)."""
    from khizmat.inventory.tasks import run_equipment_import

    organization = record.organization
    require_permission(actor, organization, PERMISSION)
    if step not in ImportTask.values:
        raise ValueError(step)
    with transaction.atomic():
        locked = _current(record, lock=True)
        if locked.task and locked.task_started_at and timezone.now() - locked.task_started_at < STALE_TASK:
            raise DomainError(
                _("The file is being checked or imported right now. Wait until it is done."),
                code="import_busy",
            )
        if step == ImportTask.IMPORT:
            if locked.status != ImportStatus.CHECKED:
                raise DomainError(_("Check the file before importing it."), code="import_not_checked")
            if locked.errors:
                raise DomainError(
                    _("The file has errors: correct them and check it again."), code="import_has_errors"
                )
        locked.task, locked.task_started_at, locked.progress, locked.failure = step, timezone.now(), 0, ""
        locked._history_user = actor
        locked.save(update_fields=["task", "task_started_at", "progress", "failure"])
    arguments = {"import_id": record.pk, "actor_id": actor.pk, "step": step}
    transaction.on_commit(lambda: run_equipment_import.enqueue(**arguments))
    record.task, record.progress, record.failure = locked.task, 0, ""


def equipment_import_run(*, actor, record: EquipmentImport, step: str) -> None:
    """The task's work: the check or the import; a refusal of the whole file is kept as ``failure``."""
    imports = EquipmentImport.objects.filter(pk=record.pk, organization=record.organization_id)

    def on_progress(percent: int) -> None:
        imports.update(progress=percent)

    failure = ""
    try:
        if step == ImportTask.CHECK:
            equipment_import_check(actor=actor, record=record, on_progress=on_progress)
        else:
            equipment_import_commit(actor=actor, record=record, on_progress=on_progress)
    except DomainError as error:
        failure = str(error.message)
    imports.update(task="", task_started_at=None, progress=100, failure=failure)


# --- The template -------------------------------------------------------------------------------------------------


def template_xlsx() -> bytes:
    """An empty list to fill in: the columns in the reader's language (required ones marked *), one example row and
    a second sheet with the types and currencies one may write."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("Equipment"))[:31]
    bold = Font(bold=True)
    sheet.append([f"{capfirst(f.label)} *" if f.required else str(capfirst(f.label)) for f in FIELDS])
    for cell in sheet[1]:
        cell.font = bold
    example = {
        "type": str(EquipmentType.PC.label),
        "model": "HP ProDesk 400 G7",
        "serial_number": "CZC1234ABC",
        "cost": 850,
        "currency": "USD",
        "delivery_date": datetime.date(2025, 3, 14),
        "place": str(_("Room 2, counter 3")),
        "quantity": 1,
        "funder_project": "eu-undp",
        "inventory_number": "",
        "notes": "",
    }
    sheet.append([example[f.name] for f in FIELDS])
    sheet.cell(row=2, column=list(FIELDS_BY_NAME).index("delivery_date") + 1).number_format = "yyyy-mm-dd"
    for index, import_field in enumerate(FIELDS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = 24 if import_field.name != "model" else 36
    help_sheet = workbook.create_sheet(str(_("Values"))[:31])
    help_sheet.append([str(_("Type")), str(_("Currency"))])
    for cell in help_sheet[1]:
        cell.font = bold
    types, currencies = list(EquipmentType.labels), list(EquipmentCurrency.values)
    for index in range(max(len(types), len(currencies))):
        help_sheet.append(
            [
                str(types[index]) if index < len(types) else "",
                currencies[index] if index < len(currencies) else "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
