"""Import of existing subscriber lists (XLSX or CSV): upload, map the columns, check every row, then import all.

The flow is the one an operator follows with a paper list typed into Excel years ago:

1. :func:`subscriber_import_upload` keeps the file as it is, reads its header row and proposes which column holds
   what, by header names in any of the five languages and their usual spellings («Лицевой счет», «Аты-жөнү»,
   "Ko'cha", "Street"…).
2. :func:`subscriber_import_check` is a dry run: every row becomes an unsaved :class:`Subscriber` and every
   problem is recorded as ``{"row", "column", "value", "message"}`` — the row number as Excel shows it — including
   duplicates (same ID number, or same settlement, street, house and apartment) inside the file or against the
   accounts already registered. Nothing is written except the check's result on the import record.
3. :func:`subscriber_import_commit` imports only a file checked without a single error, with the same column
   choice; it checks again inside its transaction and writes all rows or none.

The file is bounded before it is parsed (:func:`khizmat.core.uploads.check_xlsx`: its unpacked size and its rows,
empty ones included) and read once at upload for the header and the first rows, which the page shows from the
record. The check and the import read the whole file: they run as a background task
(:func:`subscriber_import_start`, ``billing.tasks.run_subscriber_import``) that keeps its progress and its result
on the record, which the page polls.
"""

import contextlib
import csv
import datetime
import functools
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_create_with_history

# openpyxl is imported in the functions that use it: a web worker that never needs it does not hold it (about 30 MB with numpy).
from khizmat.billing.choices import ImportStatus, ImportTask, SubscriberKind, SubscriberStatus
from khizmat.billing.models import Exemption, Subscriber, SubscriberCategory, SubscriberImport
from khizmat.billing.services import subscriber_field_value
from khizmat.core.errors import DomainError
from khizmat.core.search import search_key
from khizmat.core.uploads import check_xlsx
from khizmat.tenancy.localtime import local_today
from khizmat.tenancy.models import TRANSLATED_SUFFIXES, Settlement
from khizmat.tenancy.permissions import require_permission
from khizmat.tenancy.sequences import NumberSequence

PERMISSION = "billing.subscribers"
ACCOUNT_SEQUENCE = "subscriber"  # the key of services._next_account_number
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000  # rows with data; a commit of 5,000 rows takes about 10 s (search keys, history)
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows of the file before it is parsed, empty ones included
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # 20,000 rows of 15 columns unpack to about 20 MB
PREVIEW_ROWS = 5
STALE_TASK = datetime.timedelta(minutes=15)  # a check or import not finished by then died with its worker
# Accounts of a closed contract do not count as duplicates: a new family may move into the house.
_LIVE_STATUSES = (SubscriberStatus.ACTIVE, SubscriberStatus.SUSPENDED)
_NOTICE_LANGUAGE = {"KG": "ky", "UZ": "uz"}
_IN_CHUNK = 900  # values per "IN (…)" list, well under SQLite's limit


@dataclass(frozen=True)
class ImportField:
    """A value a column can hold: a Subscriber field, or ``address`` (street, house and apartment in one cell)."""

    name: str
    label: object
    required: bool = False
    synonyms: tuple[str, ...] = ()


def _spellings(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split("|") if word.strip())


def _label(field_name: str):
    return Subscriber._meta.get_field(field_name).verbose_name


# Header spellings in Kyrgyz, Uzbek (Latin and Cyrillic), Russian and English. They are compared by their
# cross-script search keys, so «Көчө», "Kocho", «Ко'ча» and "Ko‘cha" need no separate entries.
FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "number",
        _label("number"),
        synonyms=_spellings(
            "лицевой счет | лицевой счёт | л/с | № л/с | номер л/с | номер лицевого счета | "
            "номер счета | лицевой | счет | номер абонента | абонентский номер | account | "
            "account number | account no | account № | жеке эсеп | эсеп | эсеп номери | "
            "абонент номери | абоненттик номер | hisob raqami | shaxsiy hisob | shaxsiy hisob raqami | "
            "abonent raqami | ҳисоб рақами | шахсий ҳисоб | абонент рақами"
        ),
    ),
    ImportField(
        "holder_name",
        _label("holder_name"),
        required=True,
        synonyms=_spellings(
            "фио | ф.и.о. | ф и о | фамилия имя отчество | абонент | владелец | плательщик | "
            "собственник | наименование | наименование абонента | аты-жөнү | аты жөнү | "
            "толук аты-жөнү | ээси | төлөөчү | f.i.sh. | fish | ism familiya | familiya ism | ф.и.ш. | "
            "исм фамилия | abonent | to'lovchi | name | full name | holder | holder name | subscriber | "
            "owner | payer"
        ),
    ),
    ImportField(
        "holder_id_number",
        _label("holder_id_number"),
        synonyms=_spellings(
            "пин | инн | пинфл | персональный номер | персональный идентификационный номер | ин | "
            "жеке номер | жеке идентификациялык номер | жшшир | jshshir | pinfl | pin | inn | id | "
            "id number | personal number | personal id | holder's id number | shaxsiy raqam"
        ),
    ),
    ImportField(
        "phone",
        _label("phone"),
        synonyms=_spellings(
            "телефон | тел | тел. | номер телефона | мобильный | моб. телефон | байланыш | "
            "телефон номери | telefon | telefon raqami | uyali telefon | phone | mobile | "
            "phone number | телефон рақами"
        ),
    ),
    ImportField(
        "settlement",
        _label("settlement"),
        required=True,
        synonyms=_spellings(
            "населенный пункт | населённый пункт | нас. пункт | село | город | поселок | посёлок | "
            "айыл | шаар | айыл/шаар | кыштак | конуш | qishloq | shahar | mahalla | aholi punkti | "
            "қишлоқ | шаҳар | маҳалла | аҳоли пункти | settlement | village | town | city | locality"
        ),
    ),
    ImportField(
        "street",
        _label("street"),
        synonyms=("улица", "ул.", "ул", "көчө", "ko'cha", "кўча", "street", "st."),
    ),
    ImportField(
        "house",
        _label("house"),
        synonyms=_spellings(
            "дом | № дома | номер дома | д. | үй | үй № | үйдүн номери | uy | uy raqami | уй рақами | "
            "house | house number | house no | building"
        ),
    ),
    ImportField(
        "apartment",
        _label("apartment"),
        synonyms=_spellings(
            "квартира | кв. | кв | № кв. | номер квартиры | батир | батир № | xonadon | kvartira | "
            "хонадон | apartment | apt | apt. | flat"
        ),
    ),
    ImportField(
        "address",
        gettext_lazy("address (street, house and apartment in one column)"),
        synonyms=("адрес", "адрес абонента", "дарек", "manzil", "манзил", "address"),
    ),
    ImportField(
        "category",
        _label("category"),
        required=True,
        synonyms=_spellings(
            "категория | категория абонента | тарифная группа | тариф | группа | категориясы | "
            "тариф категориясы | kategoriya | тоифа | toifa | category | tariff category | "
            "tariff group"
        ),
    ),
    ImportField(
        "kind",
        _label("kind"),
        synonyms=_spellings(
            "тип | вид | тип абонента | вид абонента | түрү | абоненттин түрү | turi | abonent turi | "
            "тури | kind | type | subscriber type"
        ),
    ),
    ImportField(
        "residents",
        _label("residents"),
        synonyms=_spellings(
            "жильцов | кол-во жильцов | количество жильцов | проживающих | кол-во проживающих | "
            "количество проживающих | кол-во человек | чел. | жители | жашоочулар | "
            "жашоочулардын саны | адам саны | үй-бүлө мүчөлөрү | yashovchilar | yashovchilar soni | "
            "kishilar soni | odamlar soni | яшовчилар сони | кишилар сони | residents | persons | "
            "people | number of residents"
        ),
    ),
    ImportField(
        "units",
        _label("units"),
        synonyms=_spellings(
            "единицы | единиц | объем | объём | площадь | контейнеры | кол-во контейнеров | "
            "количество | көлөм | бирдик | аянт | hajm | birlik | maydon | ҳажм | units | "
            "billing units | volume | area | containers | quantity"
        ),
    ),
    ImportField(
        "exemption",
        _label("exemption"),
        synonyms=_spellings(
            "льгота | льготы | льготная категория | жеңилдик | imtiyoz | имтиёз | exemption | "
            "discount | benefit"
        ),
    ),
    ImportField(
        "contract_start",
        _label("contract_start"),
        required=True,
        synonyms=_spellings(
            "дата договора | дата начала | начало договора | дата заключения договора | договор с | "
            "дата подключения | келишим | келишим датасы | келишимдин башталышы | "
            "келишим түзүлгөн күн | shartnoma sanasi | shartnoma | boshlanish sanasi | "
            "шартнома санаси | contract start | contract date | start date | contract"
        ),
    ),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
_ORDER = {f.name: i for i, f in enumerate(FIELDS)}

# Values of the "kind" column that are not the choice's label in one of the languages.
_KIND_WORDS = {
    SubscriberKind.HOUSEHOLD: _spellings(
        "население | частный сектор | физическое лицо | физ. лицо | физлицо | жеке | жеке адам | "
        "калк | аҳоли | aholi | jismoniy shaxs | жисмоний шахс | private | person | individual | "
        "residential"
    ),
    SubscriberKind.BUSINESS: _spellings(
        "юридическое лицо | юр. лицо | юрлицо | предприятие | коммерческий | ип | бизнес | ишкана | "
        "юридикалык жак | tadbirkor | korxona | yuridik shaxs | юридик шахс | корхона | company | "
        "commercial"
    ),
    SubscriberKind.INSTITUTION: _spellings(
        "бюджетная организация | бюджет | учреждение | организация | мекеме | бюджеттик мекеме | "
        "muassasa | byudjet tashkiloti | муассаса | бюджет ташкилоти | public | budget"
    ),
}

# Words that name the kind of street rather than the street («ул. Ленина» = «Ленина көчөсү» = "Lenin street").
_STREET_WORDS = frozenset(
    search_key(word).lower()
    for word in _spellings(
        "ул | улица | көчө | көчөсү | ko'cha | ko'chasi | street | st | пр | пр-т | проспект | prospekt | "
        "пер | переулок | tor ko'cha | avenue | ave | мкр | микрорайон | mavze"
    )
)
_APARTMENT_RE = re.compile(
    r"[\s,]+(?:кв|квартира|батир|xonadon|хонадон|kv|apt|apartment|flat)\.?\s*№?\s*(?P<apartment>[\w/-]+)\s*$",
    re.IGNORECASE,
)
_HOUSE_RE = re.compile(
    r"[\s,]+(?:д|дом|үй|уй|uy|house|h)?\.?\s*№?\s*(?P<house>\d+[\w/-]*)\s*$",
    re.IGNORECASE,
)


# --- Reading the file ------------------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cell values)


def _read_table(content: bytes, limit: int | None = None) -> Table:
    """Read XLSX or CSV (by content, not by name). The header is the first row with two or more filled cells.

    ``limit`` stops after that many rows under the header (a preview need not read the whole file).
    """
    content = bytes(content or b"")
    if content[:4] == b"PK\x03\x04":
        raw_rows = _xlsx_rows(content)
    elif content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise DomainError(
            _("This is an old Excel file (.xls). Save it as .xlsx or .csv and upload it again."),
            code="import_xls",
        )
    else:
        raw_rows = _csv_rows(content)
    with contextlib.closing(raw_rows):  # a preview stops early: close the workbook now
        header_row, rows = _header_and_rows(raw_rows, limit)
    if header_row is None:
        raise DomainError(
            _("The file has no header row: its first row must name the columns."), code="import_no_header"
        )
    return Table(headers=header_row, rows=rows)


def _header_and_rows(raw_rows, limit: int | None) -> tuple[list[str] | None, list[tuple[int, list]]]:
    header_row = None
    width = 0
    rows: list[tuple[int, list]] = []
    for number, values in raw_rows:
        filled = [v for v in values if _text(v)]
        if header_row is None:
            if len(filled) >= 2:
                header = [_text(v) for v in values]
                while header and not header[-1]:
                    header.pop()
                header_row, width = header, len(header)
            continue
        if not filled:
            continue
        if limit is not None and len(rows) >= limit:
            break
        if len(rows) >= MAX_ROWS:
            raise DomainError(
                _("The file has more than %(max)s rows. Split it into several files.") % {"max": MAX_ROWS},
                code="import_too_many_rows",
            )
        values = list(values[:width])
        values += [None] * (width - len(values))
        rows.append((number, values))
    return header_row, rows


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    check_xlsx(content, max_rows=MAX_SHEET_ROWS, max_uncompressed=MAX_UNPACKED_BYTES)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise DomainError(
            _("This file cannot be read as an Excel workbook (.xlsx)."), code="import_unreadable"
        ) from error
    try:
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            yield number, list(values)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        raise DomainError(
            _("This file cannot be read as an Excel workbook (.xlsx)."), code="import_unreadable"
        ) from error
    finally:
        workbook.close()


def _csv_rows(content: bytes):
    try:
        if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = content.decode("utf-16")  # Excel's "Unicode text": tab-separated UTF-16
        else:
            text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1251", errors="replace")  # what Excel in Russian or Kyrgyz saves as "CSV"
    if "\x00" in text:
        raise DomainError(
            _("This file is neither an Excel workbook (.xlsx) nor a CSV file."), code="import_unreadable"
        )
    if text.count("\n") > MAX_SHEET_ROWS:
        raise DomainError(
            _("The file has more than %(max)s lines (empty lines count too). Split it into several files.")
            % {"max": MAX_SHEET_ROWS},
            code="import_too_many_rows",
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    yield from enumerate(reader, 1)


def _sniff_delimiter(text: str) -> str:
    """The separator (";", "," or tab) that splits the first filled line into the most columns, quotes respected.

    The header decides, not the data: an address like «Ленина 12, кв. 5» in a ";" file must not win.
    """
    first_line = next((line for line in text[:65536].splitlines() if line.strip()), "")

    def columns(delimiter: str) -> int:
        return len(next(csv.reader([first_line], delimiter=delimiter), []))

    return max(";,\t", key=lambda d: (columns(d), d == ";"))


def _text(value) -> str:
    """A cell as the text a person reads: whole numbers without ".0", dates as ISO, spaces collapsed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _column_name(headers: list[str], index: int) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index + 1)
    return headers[index] if index < len(headers) and headers[index] else letter


def column_choices(headers: list[str]) -> list[tuple[int, str]]:
    """The columns of a file as a person sees them in Excel: "C · Көчө"."""
    from openpyxl.utils import get_column_letter

    return [
        (i, f"{get_column_letter(i + 1)} · {h}" if h else get_column_letter(i + 1))
        for i, h in enumerate(headers)
    ]


# --- Proposing the mapping -------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def _cached_key(text: str) -> str:
    return search_key(text).lower()


def _key(text) -> str:
    """The cross-script key of a value (cached: a list repeats its settlements, streets and categories)."""
    return _cached_key(str(text))


def propose_mapping(headers: list[str]) -> dict[str, int]:
    """Match header names to fields: an exact spelling first, then a header containing a known spelling.

    Each column goes to one field and each field to one column; among partial matches the longest spelling wins
    («Площадь, кв.м» is an area, not an apartment).
    """
    candidates = []
    for index, header in enumerate(headers):
        header_key = _key(header)
        if not header_key:
            continue
        for field in FIELDS:
            best = None
            for synonym in (*field.synonyms, str(field.label)):
                synonym_key = _key(synonym)
                if not synonym_key:
                    continue
                if synonym_key == header_key:
                    score = (2, len(synonym_key))
                elif f" {synonym_key} " in f" {header_key} ":
                    score = (1, len(synonym_key))
                else:
                    continue
                best = max(best, score) if best else score
            if best:
                candidates.append((best, -index, field.name, index))
    candidates.sort(reverse=True)
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for _score, _order, name, index in candidates:
        if name not in mapping and index not in used:
            mapping[name] = index
            used.add(index)
    return {f.name: mapping[f.name] for f in FIELDS if f.name in mapping}


def clean_mapping(headers: list[str], mapping: dict) -> dict[str, int]:
    """The mapping as ``{field: column index}``; refuses unknown columns, a column used twice, missing fields."""
    cleaned: dict[str, int] = {}
    for name, value in (mapping or {}).items():
        if name not in FIELDS_BY_NAME or value in (None, ""):
            continue
        try:
            index = int(value)
        except (TypeError, ValueError):
            index = -1
        if not 0 <= index < len(headers):
            raise DomainError(_("Choose one of the file's columns."), code="import_bad_column")
        cleaned[name] = index
    by_column: dict[int, list[str]] = {}
    for name, index in cleaned.items():
        by_column.setdefault(index, []).append(name)
    for index, names in by_column.items():
        if len(names) > 1:
            raise DomainError(
                _("Column %(column)s is chosen for several fields: %(fields)s. Choose it once.")
                % {
                    "column": _column_name(headers, index),
                    "fields": ", ".join(str(capfirst(FIELDS_BY_NAME[n].label)) for n in names),
                },
                code="import_column_twice",
            )
    missing = [str(capfirst(f.label)) for f in FIELDS if f.required and f.name not in cleaned]
    if "address" not in cleaned:
        missing += [str(capfirst(FIELDS_BY_NAME[n].label)) for n in ("street", "house") if n not in cleaned]
    if missing:
        raise DomainError(
            _("Choose the column of: %(fields)s.") % {"fields": ", ".join(missing)}, code="import_unmapped"
        )
    return {f.name: cleaned[f.name] for f in FIELDS if f.name in cleaned}


# --- Services --------------------------------------------------------------------------------------------------


@transaction.atomic
def subscriber_import_upload(*, actor, organization, upload) -> SubscriberImport:
    """Keep an uploaded list (XLSX or CSV) with its header row and a proposed column mapping."""
    require_permission(actor, organization, PERMISSION)
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_FILE_BYTES:
        raise DomainError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            code="import_too_large",
        )
    content = upload.read()
    if len(content) > MAX_FILE_BYTES:
        raise DomainError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)},
            code="import_too_large",
        )
    if not content:
        raise DomainError(_("The file is empty."), code="import_empty")
    table = _read_table(content, limit=PREVIEW_ROWS)  # the whole file is read by the check, in the background
    if not table.rows:
        raise DomainError(_("The file has no rows under its header."), code="import_empty")
    name = str(getattr(upload, "name", "") or "subscribers").replace("\\", "/").rsplit("/", 1)[-1]
    record = SubscriberImport(
        organization=organization,
        file_name=name[:255],
        content=content,
        status=ImportStatus.UPLOADED,
        headers=table.headers,
        mapping=propose_mapping(table.headers),
        preview=[[_text(v) for v in values] for _number, values in table.rows],
        row_count=0,  # counted by the check
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    record._history_user = actor
    record.save()
    return record


def subscriber_import_check(
    *, actor, record: SubscriberImport, mapping: dict, on_progress=None
) -> list[dict]:
    """Dry run: validate every row with this column mapping and record the errors (all of them) on the import.

    The rows are read and checked outside a transaction (nothing is written but the result), so a large file
    does not hold the database's write lock while it is checked.
    """
    organization = record.organization
    require_permission(actor, organization, PERMISSION)
    current = SubscriberImport.objects.get(pk=record.pk, organization=organization)
    if current.status == ImportStatus.IMPORTED:
        raise DomainError(_("This file is already imported."), code="import_done")
    cleaned = clean_mapping(current.headers, mapping)
    table = _read_table(current.content)
    _progress(on_progress, 40)
    _subscribers, errors = _validate(organization, current.headers, table.rows, cleaned)
    _progress(on_progress, 90)
    with transaction.atomic():
        locked = SubscriberImport.objects.select_for_update().get(pk=record.pk, organization=organization)
        if locked.status == ImportStatus.IMPORTED:
            raise DomainError(_("This file is already imported."), code="import_done")
        locked.mapping, locked.errors, locked.status = cleaned, errors, ImportStatus.CHECKED
        locked.row_count = len(table.rows)
        locked._history_user = actor
        locked.save(update_fields=["mapping", "errors", "status", "row_count"])
    record.mapping, record.errors, record.status, record.row_count = (
        cleaned,
        errors,
        locked.status,
        locked.row_count,
    )
    return errors


def subscriber_import_commit(
    *, actor, record: SubscriberImport, mapping: dict | None = None, on_progress=None
) -> int:
    """Import every row of a file checked without errors, in one transaction: all rows or none.

    ``mapping`` is the column choice the user sees when pressing "Import": it must be the one that was checked.
    The rows are checked again inside the transaction (accounts may have been registered since); a file that
    has errors now keeps them for the user to see and imports nothing. A second commit is refused.
    """
    organization = record.organization
    require_permission(actor, organization, PERMISSION)
    new_errors = None
    # The stored file never changes: read it before the transaction, check its rows inside.
    table = _read_table(
        SubscriberImport.objects.only("content").get(pk=record.pk, organization=organization).content
    )
    _progress(on_progress, 20)
    with transaction.atomic():
        locked = SubscriberImport.objects.select_for_update().get(pk=record.pk, organization=organization)
        if locked.status == ImportStatus.IMPORTED:
            raise DomainError(_("This file is already imported."), code="import_done")
        checked = _checked_mapping(locked, mapping)
        subscribers, errors = _validate(organization, locked.headers, table.rows, checked)
        _progress(on_progress, 50)
        if errors:
            locked.errors = errors
            locked._history_user = actor
            locked.save(update_fields=["errors"])
            new_errors = errors
        else:
            _assign_numbers(organization, subscribers)
            for subscriber in subscribers:
                subscriber.refresh_search_key()
            try:
                with transaction.atomic():
                    bulk_create_with_history(subscribers, Subscriber, batch_size=500, default_user=actor)
            except IntegrityError as error:
                raise DomainError(
                    _("An account number of the file was taken meanwhile. Check the file again."),
                    code="duplicate_number",
                ) from error
            locked.status = ImportStatus.IMPORTED
            locked.imported_count = len(subscribers)
            locked.imported_at = timezone.now()
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


def subscriber_import_preview(record: SubscriberImport) -> list[list[str]]:
    """The first rows of the file as text, read at upload, to help choose the columns."""
    return list(record.preview or [])


def _checked_mapping(record: SubscriberImport, mapping: dict | None) -> dict:
    """The columns of a checked file without errors, ready to import; refused when the file was not checked, has
    errors, or the columns chosen now differ from those it was checked with."""
    if record.status != ImportStatus.CHECKED:
        raise DomainError(_("Check the file before importing it."), code="import_not_checked")
    if record.errors:
        raise DomainError(
            _("The file has errors: correct them and check it again."), code="import_has_errors"
        )
    checked = clean_mapping(record.headers, record.mapping)
    if mapping is not None and clean_mapping(record.headers, mapping) != checked:
        raise DomainError(
            _("The choice of columns has changed since the check. Check the file again."),
            code="import_mapping_changed",
        )
    return checked


def _progress(on_progress, percent: int) -> None:
    if on_progress is not None:
        on_progress(percent)


# --- In the background -----------------------------------------------------------------------------------------


def subscriber_import_start(*, actor, record: SubscriberImport, step: str, mapping: dict | None) -> None:
    """Ask for the check (``step="check"``) or the import (``"import"``) of a file; it runs in the background.

    The quick refusals come at once (permission, a file already imported, a column choice that names no column
    or was not the one checked); the rest — every error of every row, all rows or none — is the task's result,
    kept on the record with its progress. One task at a time per file.
    """
    from khizmat.billing.tasks import run_subscriber_import

    organization = record.organization
    require_permission(actor, organization, PERMISSION)
    with transaction.atomic():
        locked = SubscriberImport.objects.select_for_update().get(pk=record.pk, organization=organization)
        if locked.status == ImportStatus.IMPORTED:
            raise DomainError(_("This file is already imported."), code="import_done")
        if locked.task and locked.task_started_at and timezone.now() - locked.task_started_at < STALE_TASK:
            raise DomainError(
                _("The file is being checked or imported right now. Wait until it is done."),
                code="import_busy",
            )
        if step == ImportTask.CHECK:
            cleaned = clean_mapping(locked.headers, mapping)
        elif step == ImportTask.IMPORT:
            cleaned = _checked_mapping(locked, mapping)
        else:
            raise ValueError(step)
        locked.task, locked.task_started_at, locked.progress, locked.failure = step, timezone.now(), 0, ""
        locked._history_user = actor
        locked.save(update_fields=["task", "task_started_at", "progress", "failure"])
    arguments = {"import_id": record.pk, "actor_id": actor.pk, "step": step, "mapping": cleaned}
    transaction.on_commit(lambda: run_subscriber_import.enqueue(**arguments))
    record.task, record.progress, record.failure = locked.task, 0, ""


def subscriber_import_run(*, actor, record: SubscriberImport, step: str, mapping: dict) -> None:
    """The task's work: the check or the import, its progress and its outcome written on the record.

    A refusal of the whole file (unreadable, too many rows, an account number taken meanwhile…) is kept as
    ``failure`` for the page; the rows' errors are kept as the check keeps them.
    """
    imports = SubscriberImport.objects.filter(pk=record.pk, organization=record.organization)

    def on_progress(percent: int) -> None:
        imports.update(progress=percent)

    failure = ""
    try:
        if step == ImportTask.CHECK:
            subscriber_import_check(actor=actor, record=record, mapping=mapping, on_progress=on_progress)
        else:
            subscriber_import_commit(actor=actor, record=record, mapping=mapping, on_progress=on_progress)
    except DomainError as error:
        failure = str(error.message)
    imports.update(task="", task_started_at=None, progress=100, failure=failure)


def subscriber_import_errors_xlsx(record: SubscriberImport) -> bytes:
    """The check's errors as a workbook: row, column, value as written in the file, and what is wrong."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors")[:31])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCD", (8, 28, 32, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    header = []
    for label in (_("Row"), _("Column"), _("Value"), _("Error")):
        cell = WriteOnlyCell(sheet, str(label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for error in record.errors or []:
        sheet.append(
            [
                error.get("row"),
                _as_text(sheet, error.get("column")),
                _as_text(sheet, error.get("value")),
                _as_text(sheet, error.get("message")),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _as_text(sheet, value):
    """A text cell that stays text: a value starting with "=" must never become a live formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, "" if value is None else str(value))
    cell.data_type = "s"
    return cell


# --- Checking the rows -----------------------------------------------------------------------------------------


class _Lookups:
    """Settlements, categories, exemptions and kinds by any of their spellings, cached for one check."""

    def __init__(self, organization):
        self.organization = organization
        self.country = organization.country
        self._settlements: dict[str, tuple[Settlement | None, str | None]] = {}
        categories = list(SubscriberCategory.objects.filter(organization=organization))
        self.category_codes = {c.code.lower(): c for c in categories}
        self.categories = _name_index(categories)
        self.exemptions = _name_index(Exemption.objects.filter(organization=organization, is_active=True))
        self.kinds = _kind_index()

    def settlement(self, text: str) -> tuple[Settlement | None, str | None]:
        key = _key(text)
        if key not in self._settlements:
            self._settlements[key] = self._find_settlement(text)
        return self._settlements[key]

    def _find_settlement(self, text: str) -> tuple[Settlement | None, str | None]:
        in_country = Settlement.objects.filter(district__region__country=self.country).select_related(
            "district"
        )
        found = list(in_country.filter(search_key__contains=f"|{search_key(text)}|")[:50])
        district_hint = re.match(r"^(?P<name>[^,(]+?)\s*(?:,|\()\s*(?P<district>[^)]+?)\s*\)?$", text)
        if len(found) != 1 and district_hint:
            by_district = list(
                in_country.filter(
                    search_key__contains=f"|{search_key(district_hint['name'])}|",
                    district__search_key__contains=f"|{search_key(district_hint['district'])}|",
                )[:50]
            )
            if by_district:
                found = by_district
        if len(found) > 1:
            for narrow in (
                lambda s: s.district_id == self.organization.district_id,
                lambda s: s.district.region_id == self.organization.region_id,
            ):
                near = [s for s in found if narrow(s)]
                if near:
                    found = near
                    break
        if len(found) == 1:
            return found[0], None
        if not found:
            return None, _("There is no settlement called “%(name)s” in %(country)s.") % {
                "name": text,
                "country": self.country,
            }
        districts = sorted({str(s.district) for s in found})
        return None, _(
            "Several settlements are called “%(name)s” (districts: %(districts)s). Add the district, e.g. “%(example)s”."
        ) % {"name": text, "districts": ", ".join(districts), "example": f"{text} ({districts[0]})"}


def _name_index(objects) -> dict[str, list]:
    index: dict[str, list] = {}
    for obj in objects:
        names = [obj.name, str(obj), *(getattr(obj, f"name_{s}", None) for s in TRANSLATED_SUFFIXES)]
        for key in {_key(n) for n in names if n}:
            if key:
                index.setdefault(key, []).append(obj)
    return index


def _kind_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for value, label in SubscriberKind.choices:
        keys = {value, _key(value), *(_key(w) for w in _KIND_WORDS.get(value, ()))}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                keys.add(_key(str(label)))
        for key in keys:
            if key:
                index[key] = value
    return index


_TOKEN = re.compile(r"\d+|[^\W\d_]+")


def _tokens(text: str) -> list[str]:
    """Words folded across scripts, numbers exactly as written (search keys merge doubled letters: "11" ≠ "1")."""
    return [
        token if token.isdigit() else _key(token).replace(" ", "") for token in _TOKEN.findall(text or "")
    ]


def _street_key(street: str) -> str:
    return " ".join(token for token in _tokens(street) if token and token not in _STREET_WORDS)


def _short_key(text: str) -> str:
    return "-".join(token for token in _tokens(text) if token)


def split_address(text: str) -> tuple[str, str, str] | None:
    """«ул. Ленина 12, кв. 5» → ("ул. Ленина", "12", "5"); None when no house number ends the address."""
    text = " " + " ".join(text.split())
    apartment = ""
    match = _APARTMENT_RE.search(text)
    if match:
        apartment, text = match["apartment"], text[: match.start()]
    match = _HOUSE_RE.search(text)
    if not match:
        return None
    street = text[: match.start()].strip(" ,")
    if not street:
        return None
    return street, match["house"], apartment


def _date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    text = _text(value)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):  # an Excel date number saved as text
        return _excel_serial(float(text))
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%y", "%Y.%m.%d"):
        try:
            return datetime.datetime.strptime(text.split(" ")[0].split("T")[0], pattern).date()
        except ValueError:
            continue
    return None


def _excel_serial(number: float) -> datetime.date | None:
    from openpyxl.utils.datetime import from_excel

    if not 1 <= number < 2958466:
        return None
    try:
        return from_excel(number).date()
    except (ValueError, OverflowError, TypeError):
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


class _Row:
    """One row of the file with helpers that read a field's cell and record an error against its column."""

    def __init__(self, number: int, values: list, headers: list[str], mapping: dict[str, int], errors: list):
        self.number, self.values, self.headers, self.mapping, self.errors = (
            number,
            values,
            headers,
            mapping,
            errors,
        )
        self.failed = False
        self.sources: dict[str, str] = {}  # street/house/apartment taken from the address column

    def raw(self, field: str):
        index = self.mapping.get(self.sources.get(field, field))
        return None if index is None else self.values[index]

    def text(self, field: str) -> str:
        return _text(self.raw(field))

    def column(self, field: str) -> str:
        source = self.sources.get(field, field)
        index = self.mapping.get(source)
        return (
            str(capfirst(FIELDS_BY_NAME[field].label)) if index is None else _column_name(self.headers, index)
        )

    def error(self, field: str, message) -> None:
        self.failed = True
        self.errors.append(
            {
                "row": self.number,
                "column": self.column(field),
                "value": self.text(field),
                "message": str(message),
                "field": field,
            }
        )


def _validate(organization, headers, rows, mapping) -> tuple[list[Subscriber], list[dict]]:
    """Every row into an unsaved Subscriber; the errors of all rows, in row and column order."""
    lookups = _Lookups(organization)
    country_code = organization.country.code
    language = _NOTICE_LANGUAGE.get(country_code, Subscriber._meta.get_field("language").default)
    errors: list[dict] = []
    checked: list[tuple[_Row, Subscriber]] = []
    by_number: dict[str, list[_Row]] = {}
    by_id: dict[str, list[_Row]] = {}
    by_address: dict[tuple, list[_Row]] = {}
    for number, values in rows:
        row = _Row(number, values, headers, mapping, errors)
        subscriber = _subscriber_from_row(row, organization, lookups, country_code, language)
        checked.append((row, subscriber))
        if subscriber.number:
            by_number.setdefault(subscriber.number, []).append(row)
        if subscriber.holder_id_number:
            by_id.setdefault(subscriber.holder_id_number, []).append(row)
        if subscriber.settlement_id and subscriber.street and subscriber.house:
            by_address.setdefault(_address_key(subscriber), []).append(row)
    _check_duplicates_in_file(by_number, by_id, by_address)
    _check_against_registered(organization, by_number, by_id, by_address)
    errors.sort(key=lambda e: (e["row"] or 0, _ORDER.get(e["field"], 99)))
    for error in errors:
        error.pop("field", None)
    subscribers = [subscriber for row, subscriber in checked if not row.failed]
    return subscribers, errors


def _subscriber_from_row(row: _Row, organization, lookups: _Lookups, country_code: str, language: str):
    subscriber = Subscriber(organization=organization, status=SubscriberStatus.ACTIVE, language=language)
    required = _("This value is required.")

    subscriber.number = row.text("number")
    subscriber.holder_name = row.text("holder_name")
    if not subscriber.holder_name:
        row.error("holder_name", required)

    for field in (
        "holder_id_number",
        "phone",
    ):  # the same rules as every other writer's (billing/services.py)
        try:
            setattr(
                subscriber, field, subscriber_field_value(field, row.text(field), country_code=country_code)
            )
        except DomainError as error:
            row.error(field, error.message)

    settlement_text = row.text("settlement")
    if not settlement_text:
        row.error("settlement", required)
    else:
        settlement, message = lookups.settlement(settlement_text)
        if settlement is None:
            row.error("settlement", message)
        else:
            subscriber.settlement = settlement

    _read_address(row, subscriber)

    category_text = row.text("category")
    category = None
    if not category_text:
        row.error("category", required)
    else:
        category = lookups.category_codes.get(category_text.lower())
        matches = [category] if category else lookups.categories.get(_key(category_text), [])
        if len(matches) == 1:
            category = matches[0]
            subscriber.category = category
        elif matches:
            row.error("category", _("Several categories have this name: write the category's code."))
        else:
            row.error(
                "category",
                _("There is no such category. Categories: %(names)s.")
                % {"names": ", ".join(f"{c.code} ({c})" for c in lookups.category_codes.values()) or "—"},
            )

    kind_text = row.text("kind")
    if kind_text:
        kind = lookups.kinds.get(_key(kind_text))
        if kind is None:
            row.error(
                "kind",
                _("Unknown kind. Write one of: %(kinds)s.")
                % {"kinds": ", ".join(str(label) for label in SubscriberKind.labels)},
            )
        else:
            subscriber.kind = kind
    elif category is not None:
        subscriber.kind = category.kind

    residents = row.raw("residents")
    if _text(residents):
        number = _decimal(residents)
        if number is None or number != number.to_integral_value() or number < 0:
            row.error("residents", _("Write the number of residents as a whole number, 0 or more."))
        elif number > 32767:
            row.error("residents", _("This number is too large."))
        else:
            subscriber.residents = int(number)

    units = row.raw("units")
    if _text(units):
        number = _decimal(units)
        if number is None or number < 0:
            row.error("units", _("Write the billing units as a number, 0 or more (e.g. 2.5)."))
        else:
            subscriber.units = number

    exemption_text = row.text("exemption")
    if exemption_text:
        matches = lookups.exemptions.get(_key(exemption_text), [])
        if len(matches) == 1:
            subscriber.exemption = matches[0]
        elif matches:
            row.error("exemption", _("Several exemptions have this name."))
        else:
            row.error("exemption", _("There is no exemption in use with this name."))

    start_raw = row.raw("contract_start")
    if not _text(start_raw):
        row.error("contract_start", required)
    else:
        start = _date(start_raw)
        if start is None:
            row.error("contract_start", _("Write the date as 31.12.2024 or 2024-12-31."))
        elif start > local_today(organization) + datetime.timedelta(days=366):
            row.error("contract_start", _("This date is not plausible for a contract."))
        else:
            try:
                subscriber.contract_start = subscriber_field_value(
                    "contract_start", start, country_code=country_code
                )
            except DomainError as error:
                row.error("contract_start", error.message)

    _clean_fields(row, subscriber)
    return subscriber


def _read_address(row: _Row, subscriber: Subscriber) -> None:
    """Street, house and apartment from their own columns, or split from the address column where those are empty."""
    for field in ("street", "house", "apartment"):
        setattr(subscriber, field, row.text(field))
    if "address" in row.mapping and not (subscriber.street and subscriber.house):
        address = row.text("address")
        parts = split_address(address) if address else None
        if parts is None:
            row.sources.update(street="address", house="address")
            if not address:
                row.error("street", _("This value is required."))
            else:
                row.error(
                    "street",
                    _("The address must end with the house number, e.g. “Lenin street 12, apt. 5”."),
                )
            return
        for field, value in zip(("street", "house", "apartment"), parts, strict=True):
            if not getattr(subscriber, field):
                setattr(subscriber, field, value)
                row.sources[field] = "address"
        return
    for field in ("street", "house"):
        if not getattr(subscriber, field):
            row.error(field, _("This value is required."))


def _clean_fields(row: _Row, subscriber: Subscriber) -> None:
    """The model's own field rules (lengths, choices) on the fields the row filled without an error."""
    already = {e["field"] for e in row.errors if e["row"] == row.number}
    checked = ["kind", "holder_name", "holder_id_number", "phone", "street", "house", "apartment", "units"]
    if subscriber.number:
        checked.append("number")
    exclude = [f.name for f in Subscriber._meta.fields if f.name not in checked or f.name in already]
    if not subscriber.kind:
        exclude.append("kind")
    try:
        subscriber.clean_fields(exclude=exclude)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            row.error(field if field in FIELDS_BY_NAME else "holder_name", " ".join(messages))


def _address_key(subscriber) -> tuple:
    return (
        subscriber.settlement_id,
        _street_key(subscriber.street),
        _short_key(subscriber.house),
        _short_key(subscriber.apartment),
    )


def _check_duplicates_in_file(by_number, by_id, by_address) -> None:
    for rows in by_number.values():
        for row in rows[1:]:
            row.error("number", _("The same account number as row %(row)s.") % {"row": rows[0].number})
    for rows in by_id.values():
        for row in rows[1:]:
            row.error("holder_id_number", _("The same ID number as row %(row)s.") % {"row": rows[0].number})
    for rows in by_address.values():
        for row in rows[1:]:
            row.error("street", _("The same address as row %(row)s.") % {"row": rows[0].number})


def _chunks(values: list, size: int = _IN_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _check_against_registered(organization, by_number, by_id, by_address) -> None:
    accounts = Subscriber.objects.filter(organization=organization)
    for chunk in _chunks(list(by_number)):
        for number in accounts.filter(number__in=chunk).values_list("number", flat=True):
            for row in by_number.get(number, []):
                row.error("number", _("Account number %(number)s is already taken.") % {"number": number})
    live = accounts.filter(status__in=_LIVE_STATUSES)
    for chunk in _chunks(list(by_id)):
        for id_number, number in live.filter(holder_id_number__in=chunk).values_list(
            "holder_id_number", "number"
        ):
            for row in by_id.get(id_number, []):
                row.error(
                    "holder_id_number",
                    _("A subscriber with this ID number is already registered: account %(number)s.")
                    % {"number": number},
                )
    settlements = sorted({key[0] for key in by_address})
    for chunk in _chunks(settlements):
        registered = live.filter(settlement_id__in=chunk).values_list(
            "settlement_id", "street", "house", "apartment", "number"
        )
        for settlement_id, street, house, apartment, number in registered.iterator(chunk_size=2000):
            key = (settlement_id, _street_key(street), _short_key(house), _short_key(apartment))
            for row in by_address.get(key, []):
                row.error(
                    "street",
                    _("A subscriber is already registered at this address: account %(number)s.")
                    % {"number": number},
                )


def _assign_numbers(organization, subscribers: list[Subscriber]) -> None:
    """Rows without an account number take the next free numbers of the organization's account sequence.

    Numbers come from the same counter as :func:`khizmat.tenancy.sequences.next_number` (key ``subscriber``, used by
    ``subscriber_save``), reserved as one block; a number the file or an older account already uses is skipped.
    """
    taken = {s.number for s in subscribers if s.number}
    pending = [s for s in subscribers if not s.number]
    accounts = Subscriber.objects.filter(organization=organization)
    while pending:
        offered = [f"{value:07d}" for value in _reserve_numbers(organization, len(pending))]
        clash = set(taken)
        for chunk in _chunks(offered):
            clash.update(accounts.filter(number__in=chunk).values_list("number", flat=True))
        free = [number for number in offered if number not in clash]
        for subscriber, number in zip(pending, free, strict=False):
            subscriber.number = number
            taken.add(number)
        pending = pending[len(free) :]


def _reserve_numbers(organization, count: int) -> range:
    """``count`` consecutive values of the account sequence, under its row lock, as ``next_number`` takes one."""
    with transaction.atomic():
        sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
            organization=organization, key=ACCOUNT_SEQUENCE
        )
        NumberSequence.objects.filter(pk=sequence.pk, organization=organization).update(
            last_value=F("last_value") + count
        )
        sequence.refresh_from_db(fields=["last_value"])
    return range(sequence.last_value - count + 1, sequence.last_value + 1)
