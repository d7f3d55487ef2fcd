"""Import of an event's participant list from Excel: upload, dry run listing every error, then all rows or none.

The columns (any order; headers in Kyrgyz, Uzbek, Russian or English, see ``FIELDS``): full name*, sex*,
organization, position, phone, attended. Sex is written as a word in any of the languages or a letter: F/M, Ж/М
(Russian), Ж/Э and А/Э (Kyrgyz, Uzbek Cyrillic), A/E (Uzbek Latin). Attended: yes/no, 1/0, +/−, да/нет, ооба/жок,
ha/yoʻq, or empty (not attended). The organization is matched with the event's organizer, funder project and
participating organizations by code or by any spelling of their names; anything else is kept as written.

1. :func:`participant_import_upload` bounds the file (:func:`khizmat.core.uploads.check_xlsx`) and its size, reads
   the header and the first rows, finds the columns by their headers (a missing full name or sex column refuses the
   file at once) and starts the check in the background.
2. The check (:func:`participant_import_check`) makes every row an unsaved participant with the services' own rules
   (``services.check_participant``) and records every problem as ``{"row", "column", "value", "message"}``
   — the row as Excel numbers it —, duplicates in the file or against the event's participants included.
3. :func:`participant_import_commit` imports a file checked without errors: it checks again inside its transaction,
   under the event's lock, and writes all rows or none.

The check and the import run as a task (``trainings.tasks.run_participant_import``) that keeps its progress and
outcome on the record, which the page polls, like the billing subscriber import.
"""

import datetime
import functools
import io
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

# openpyxl is imported in the functions that use it: a web worker that never needs it does not hold it (about 30 MB with numpy).
from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import field_rule, normalize_phone
from khizmat.core.search import search_key
from khizmat.core.uploads import check_xlsx
from khizmat.tenancy.models import Organization
from khizmat.tenancy.permissions import require_permission
from khizmat.trainings.choices import ImportStatus, ImportTask, Sex
from khizmat.trainings.models import Event, Participant, ParticipantImport
from khizmat.trainings.services import PERMISSION, check_participant, participants_create_many

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000  # participants of one event
MAX_SHEET_ROWS = 2 * MAX_ROWS  # rows of the sheet before it is parsed, empty ones included
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
PREVIEW_ROWS = 5
STALE_TASK = datetime.timedelta(minutes=15)
LANGUAGES = ("ky", "uz", "uz-cyrl", "ru", "en")


@dataclass(frozen=True)
class ImportField:
    name: str
    label: object
    required: bool = False
    synonyms: tuple[str, ...] = ()


def _spellings(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split("|") if word.strip())


FIELDS: tuple[ImportField, ...] = (
    ImportField(
        "full_name",
        gettext_lazy("full name"),
        required=True,
        synonyms=_spellings(
            "фио | ф.и.о. | ф и о | фамилия имя отчество | фамилия, имя | участник | аты-жөнү | аты жөнү | "
            "толук аты-жөнү | катышуучу | f.i.sh. | fish | ism familiya | familiya ism | ф.и.ш. | исм фамилия | "
            "иштирокчи | ishtirokchi | name | full name | participant"
        ),
    ),
    ImportField(
        "sex",
        gettext_lazy("sex"),
        required=True,
        synonyms=_spellings(
            "пол | жынысы | жыныс | jinsi | jins | жинси | жинс | sex | gender | m/f | ж/м | ж/э"
        ),
    ),
    ImportField(
        "organization",
        gettext_lazy("organization"),
        synonyms=_spellings(
            "организация | место работы | учреждение | уюм | мекеме | иштеген жери | tashkilot | ish joyi | "
            "ташкилот | иш жойи | organization | organisation | employer | institution"
        ),
    ),
    ImportField(
        "position",
        gettext_lazy("position"),
        synonyms=_spellings(
            "должность | кызматы | кызмат орду | lavozim | lavozimi | лавозим | position | job title"
        ),
    ),
    ImportField(
        "phone",
        gettext_lazy("phone"),
        synonyms=_spellings(
            "телефон | тел | тел. | номер телефона | мобильный | телефон номери | telefon | telefon raqami | "
            "телефон рақами | phone | mobile | phone number"
        ),
    ),
    ImportField(
        "attended",
        gettext_lazy("attended"),
        synonyms=_spellings(
            "присутствовал | присутствие | участвовал | явка | катышты | катышкан | келди | qatnashdi | ishtirok etdi | "
            "қатнашди | иштирок этди | attended | present | attendance"
        ),
    ),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
_ORDER = {f.name: i for i, f in enumerate(FIELDS)}

# Sex as people write it: words in the five languages, and the letters used on attendance sheets.
_SEX_WORDS = {
    Sex.FEMALE: _spellings(
        "f | female | woman | w | ж | жен | женский | женщина | аял | а | аёл | ayol | a | хотин-қиз | xotin-qiz | "
        "қиз | qiz | кыз"
    ),
    Sex.MALE: _spellings("m | male | man | м | муж | мужской | мужчина | эркек | э | эркак | erkak | e"),
}
_YES = frozenset(
    _spellings("1 | + | x | х | ✓ | v | yes | y | true | да | д | ооба | ооба. | ha | ҳа | bor | бар")
)
_NO = frozenset(_spellings("0 | - | − | – | no | n | false | нет | н | жок | yoʻq | yo'q | yoq | йўқ | yo‘q"))


def _word(value) -> str:
    return " ".join(str(value or "").strip().lower().replace(".", " ").split())


@functools.lru_cache(maxsize=1)
def _sex_index() -> dict[str, str]:
    index = {_word(word): sex for sex, words in _SEX_WORDS.items() for word in words}
    for language in LANGUAGES:
        with translation.override(language):
            for sex, label in Sex.choices:
                index.setdefault(_word(str(label)), sex)
    return index


def parse_sex(value) -> str | None:
    """``female``/``male`` from a word or letter in any of the five languages; None when it is neither."""
    return _sex_index().get(_word(value))


def parse_attended(value) -> bool | None:
    """True, False, or None when the cell says neither (an empty cell is "not attended")."""
    if value is None or isinstance(value, bool):
        return bool(value)
    word = _word(value)
    if not word:
        return False
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


# --- Reading the file ------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return " ".join(str(value).split())


def _key(text) -> str:
    return search_key(str(text or "")).lower()


def _unreadable() -> DomainError:
    return DomainError(_("This file cannot be read as an Excel workbook (.xlsx)."), code="import_unreadable")


def _rows(content: bytes):
    """(row number as Excel shows it, values) of the first sheet, after the bounds are checked."""
    from openpyxl import load_workbook

    if content[:4] != b"PK\x03\x04":
        raise DomainError(
            _("Send the list as an Excel workbook (.xlsx): download the template from this page."),
            code="import_not_xlsx",
        )
    check_xlsx(content, max_rows=MAX_SHEET_ROWS, max_uncompressed=MAX_UNPACKED_BYTES)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise _unreadable() from error
    try:
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            yield number, list(values)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        raise _unreadable() from error
    finally:
        workbook.close()


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list]]


def read_table(content: bytes, limit: int | None = None) -> Table:
    """The header (the first row with two or more filled cells) and the filled rows under it."""
    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    raw = _rows(bytes(content or b""))
    try:
        for number, values in raw:
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
            values = list(values[: len(header)]) + [None] * (len(header) - len(values))
            rows.append((number, values))
    finally:
        raw.close()
    if header is None:
        raise DomainError(
            _("The file has no header row: its first row must name the columns."), code="import_no_header"
        )
    return Table(headers=header, rows=rows)


def find_columns(headers: list[str]) -> dict[str, int]:
    """Which column holds which field, by the header's spelling in any language (an exact match first, then a
    header containing a known spelling); refuses a file without the full name or the sex column."""
    candidates = []
    for index, header in enumerate(headers):
        header_key = _key(header)
        if not header_key:
            continue
        for item in FIELDS:
            spellings = [*item.synonyms, item.name.replace("_", " ")]
            for language in LANGUAGES:
                with translation.override(language):
                    spellings.append(str(item.label))
            best = None
            for spelling in spellings:
                spelling_key = _key(spelling)
                if not spelling_key:
                    continue
                if spelling_key == header_key:
                    score = (2, len(spelling_key))
                elif f" {spelling_key} " in f" {header_key} ":
                    score = (1, len(spelling_key))
                else:
                    continue
                best = max(best, score) if best else score
            if best:
                candidates.append((best, -index, item.name, index))
    candidates.sort(reverse=True)
    columns: dict[str, int] = {}
    used: set[int] = set()
    for _score, _order, name, index in candidates:
        if name not in columns and index not in used:
            columns[name] = index
            used.add(index)
    missing = [str(capfirst(f.label)) for f in FIELDS if f.required and f.name not in columns]
    if missing:
        raise DomainError(
            _("No column found for: %(fields)s. Name the columns as in the template.")
            % {"fields": ", ".join(missing)},
            code="import_unmapped",
        )
    return {f.name: columns[f.name] for f in FIELDS if f.name in columns}


# --- Checking the rows -----------------------------------------------------------------------------------------------


class _Organizations:
    """The organizations a row may name: the organizer, the funder project and the participating organizations, by
    code and by every spelling of their names (folded across scripts)."""

    def __init__(self, event: Event):
        ids = {event.organization_id, *event.participating_organizations.values_list("pk", flat=True)}
        if event.funder_project_id:
            ids.add(event.funder_project_id)
        self.by_key: dict[str, Organization] = {}
        for organization in Organization.objects.filter(pk__in=ids, is_active=True):
            for text in (organization.code, *organization.search_texts()):
                key = _key(text)
                if key:
                    self.by_key.setdefault(key, organization)

    def find(self, text: str) -> Organization | None:
        return self.by_key.get(_key(text)) if text else None


class _Row:
    def __init__(self, number: int, values: list, headers: list[str], columns: dict[str, int], errors: list):
        self.number, self.values, self.headers, self.columns, self.errors = (
            number,
            values,
            headers,
            columns,
            errors,
        )
        self.failed = False

    def raw(self, name: str):
        index = self.columns.get(name)
        return None if index is None else self.values[index]

    def text(self, name: str) -> str:
        return _text(self.raw(name))

    def column(self, name: str) -> str:
        from openpyxl.utils import get_column_letter

        index = self.columns.get(name)
        if index is None:
            return str(capfirst(FIELDS_BY_NAME[name].label))
        header = self.headers[index] if index < len(self.headers) else ""
        return f"{get_column_letter(index + 1)} · {header}" if header else get_column_letter(index + 1)

    def error(self, name: str, message) -> None:
        self.failed = True
        self.errors.append(
            {
                "row": self.number,
                "column": self.column(name),
                "value": self.text(name),
                "message": str(message),
                "field": name,
            }
        )


# Which column a service's refusal belongs to.
_SERVICE_FIELDS = {
    "full_name": "full_name",
    "sex": "sex",
    "phone": "phone",
    "attended": "attended",
    "affiliation": "organization",
}


def validate(event: Event, headers: list[str], rows: list, columns: dict[str, int]):
    """Every row into an unsaved participant; the errors of all rows, in row and column order."""
    organizations = _Organizations(event)
    errors: list[dict] = []
    checked: list[tuple[_Row, Participant]] = []
    for number, values in rows:
        row = _Row(number, values, headers, columns, errors)
        sex = parse_sex(row.raw("sex"))
        if sex is None:
            row.error(
                "sex",
                _("Write the sex as female or male (F/M, Ж/М, Ж/Э, А/Э, A/E)")
                if row.text("sex")
                else _("This value is required."),
            )
        attended = parse_attended(row.raw("attended"))
        if attended is None:
            row.error("attended", _("Write yes or no (1 or 0), or leave it empty."))
        organization_text = row.text("organization")
        affiliation = organizations.find(organization_text)
        participant = Participant(
            organization=event.organization,
            event=event,
            full_name=row.text("full_name"),
            sex=sex or "",
            affiliation=affiliation,
            affiliation_name="" if affiliation else organization_text[:255],
            position=row.text("position")[:200],
            phone=row.text("phone"),
            attended=bool(attended),
        )
        if not participant.full_name:
            row.error("full_name", _("This value is required."))
        elif len(participant.full_name) > 200:
            row.error("full_name", _("At most %(max)s characters.") % {"max": 200})
        try:
            with field_rule("phone"):
                participant.phone = normalize_phone(
                    participant.phone, country_code=event.organization.country.code
                )
        except DomainError as error:
            row.error("phone", error.message)
        if not row.failed:  # the rules that need the whole row (event state, attendance, identity)
            try:
                check_participant(event, participant)
            except DomainError as error:
                row.error(_SERVICE_FIELDS.get(error.field or "", "full_name"), error.message)
        checked.append((row, participant))
    _check_duplicates(event, checked)
    errors.sort(key=lambda e: (e["row"] or 0, _ORDER.get(e["field"], 99)))
    for error in errors:
        error.pop("field", None)
    return [participant for row, participant in checked if not row.failed], errors


def _check_duplicates(event: Event, checked: list) -> None:
    seen: dict[str, _Row] = {}
    keys = [p.identity_key for row, p in checked if not row.failed and p.identity_key]
    registered = set(
        Participant.objects.filter(
            organization=event.organization, event=event, identity_key__in=keys
        ).values_list("identity_key", flat=True)
    )
    for row, participant in checked:
        if row.failed or not participant.identity_key:
            continue
        first = seen.get(participant.identity_key)
        if first is not None:
            row.error(
                "full_name",
                _("Same person as row %(row)s (same name and organization).") % {"row": first.number},
            )
        elif participant.identity_key in registered:
            row.error("full_name", _("Already registered for this event."))
        else:
            seen[participant.identity_key] = row


# --- Services --------------------------------------------------------------------------------------------------------


@transaction.atomic
def participant_import_upload(*, actor, event: Event, upload) -> ParticipantImport:
    """Keep an uploaded participant list of ``event`` with its header and first rows, and start its check."""
    require_permission(actor, event.organization, PERMISSION)
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
    table = read_table(content, limit=PREVIEW_ROWS)
    if not table.rows:
        raise DomainError(_("The file has no rows under its header."), code="import_empty")
    columns = find_columns(table.headers)
    name = str(getattr(upload, "name", "") or "participants").replace("\\", "/").rsplit("/", 1)[-1]
    record = ParticipantImport(
        organization=event.organization,
        event=event,
        file_name=name[:255],
        content=content,
        headers=table.headers,
        columns=columns,
        preview=[[_text(v) for v in values] for _number, values in table.rows],
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    record._history_user = actor
    record.save()
    participant_import_start(actor=actor, record=record, step=ImportTask.CHECK)
    return record


def _locked(record: ParticipantImport) -> ParticipantImport:
    return ParticipantImport.objects.select_for_update().get(pk=record.pk, organization=record.organization)


def participant_import_check(*, actor, record: ParticipantImport, on_progress=None) -> list[dict]:
    """Dry run: check every row and record the errors (all of them) on the import; nothing else is written."""
    organization = record.organization
    require_permission(actor, organization, PERMISSION)
    current = ParticipantImport.objects.select_related("event").get(pk=record.pk, organization=organization)
    if current.status == ImportStatus.IMPORTED:
        raise DomainError(_("This file is already imported."), code="import_done")
    table = read_table(current.content)
    _progress(on_progress, 40)
    _participants, errors = validate(current.event, current.headers, table.rows, current.columns)
    _progress(on_progress, 90)
    with transaction.atomic():
        locked = _locked(record)
        if locked.status == ImportStatus.IMPORTED:
            raise DomainError(_("This file is already imported."), code="import_done")
        locked.errors, locked.status, locked.row_count = errors, ImportStatus.CHECKED, len(table.rows)
        locked._history_user = actor
        locked.save(update_fields=["errors", "status", "row_count"])
    record.errors, record.status, record.row_count = errors, locked.status, locked.row_count
    return errors


def participant_import_commit(*, actor, record: ParticipantImport, on_progress=None) -> int:
    """Import every row of a file checked without errors, in one transaction under the event's lock: all rows or
    none. The rows are checked again (participants may have been added since); new errors import nothing."""
    organization = record.organization
    require_permission(actor, organization, PERMISSION)
    table = read_table(
        ParticipantImport.objects.only("content").get(pk=record.pk, organization=organization).content
    )
    _progress(on_progress, 20)
    new_errors = None
    with transaction.atomic():
        locked = _locked(record)
        if locked.status == ImportStatus.IMPORTED:
            raise DomainError(_("This file is already imported."), code="import_done")
        _require_checked(locked)
        event = (
            Event.objects.select_for_update()
            .select_related("organization__country")
            .get(pk=locked.event_id, organization=organization)
        )
        participants, errors = validate(event, locked.headers, table.rows, locked.columns)
        _progress(on_progress, 50)
        if errors:
            locked.errors = errors
            locked._history_user = actor
            locked.save(update_fields=["errors"])
            new_errors = errors
        else:
            participants_create_many(actor=actor, event=event, participants=participants)
            locked.status, locked.imported_count, locked.imported_at = (
                ImportStatus.IMPORTED,
                len(participants),
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


def _require_checked(record: ParticipantImport) -> None:
    if record.status != ImportStatus.CHECKED:
        raise DomainError(_("Check the file before importing it."), code="import_not_checked")
    if record.errors:
        raise DomainError(
            _("The file has errors: correct them and upload it again."), code="import_has_errors"
        )


def _progress(on_progress, percent: int) -> None:
    if on_progress is not None:
        on_progress(percent)


def participant_import_start(*, actor, record: ParticipantImport, step: str) -> None:
    """Ask for the check (``step="check"``) or the import (``"import"``) of a file; it runs in the background.
    One task at a time per file; a file already imported, or not checked clean, is refused at once."""
    from khizmat.trainings.tasks import run_participant_import

    require_permission(actor, record.organization, PERMISSION)
    with transaction.atomic():
        locked = _locked(record)
        if locked.status == ImportStatus.IMPORTED:
            raise DomainError(_("This file is already imported."), code="import_done")
        if locked.task and locked.task_started_at and timezone.now() - locked.task_started_at < STALE_TASK:
            raise DomainError(
                _("The file is being checked or imported right now. Wait until it is done."),
                code="import_busy",
            )
        if step == ImportTask.IMPORT:
            _require_checked(locked)
        elif step != ImportTask.CHECK:
            raise ValueError(step)
        locked.task, locked.task_started_at, locked.progress, locked.failure = step, timezone.now(), 0, ""
        locked._history_user = actor
        locked.save(update_fields=["task", "task_started_at", "progress", "failure"])
    arguments = {"import_id": record.pk, "actor_id": actor.pk, "step": step}
    transaction.on_commit(lambda: run_participant_import.enqueue(**arguments))
    record.task, record.progress, record.failure = locked.task, 0, ""


def participant_import_run(*, actor, record: ParticipantImport, step: str) -> None:
    """The task's work: the check or the import, its progress and its outcome written on the record."""
    imports = ParticipantImport.objects.filter(pk=record.pk, organization=record.organization)

    def on_progress(percent: int) -> None:
        imports.update(progress=percent)

    failure = ""
    try:
        if step == ImportTask.CHECK:
            participant_import_check(actor=actor, record=record, on_progress=on_progress)
        else:
            participant_import_commit(actor=actor, record=record, on_progress=on_progress)
    except DomainError as error:
        failure = str(error.message)
    imports.update(task="", task_started_at=None, progress=100, failure=failure)


# --- Workbooks out ---------------------------------------------------------------------------------------------------


def _as_text(sheet, value):
    """A text cell that stays text: a value starting with "=" never becomes a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, "" if value is None else str(value))
    cell.data_type = "s"
    return cell


def _bold_row(sheet, labels) -> list:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    bold = Font(bold=True)
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, str(label))
        cell.font = bold
        cells.append(cell)
    return cells


def participant_import_errors_xlsx(record: ParticipantImport) -> bytes:
    """The check's errors as a workbook: row, column, value as written, and what is wrong."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors")[:31])
    for letter, width in zip("ABCD", (8, 28, 32, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(_bold_row(sheet, (_("Row"), _("Column"), _("Value"), _("Error"))))
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


def participant_template_xlsx() -> bytes:
    """An empty participant list with its headers in the active language, and a sheet that explains the columns."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Participants")[:31])
    for letter, width in zip("ABCDEF", (36, 10, 40, 30, 20, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(_bold_row(sheet, (capfirst(f.label) for f in FIELDS)))
    notes = workbook.create_sheet(_("How to fill in")[:31])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 100
    explanations = {
        "full_name": _("Required. Surname, first name and patronymic, as on the attendance sheet."),
        "sex": _("Required. Female or male, in any language, or a letter: F/M, Ж/М, Ж/Э, А/Э, A/E."),
        "organization": _(
            "The organization the person comes from: its name or code when it is in Khizmat, else as written."
        ),
        "position": _("The person's position."),
        "phone": _(
            "Optional. A mobile number of the organizer's country, e.g. 90 123 45 67 or 0555 123 456."
        ),
        "attended": _("Yes or no (1 or 0); empty means not attended. Only for events that have started."),
    }
    notes.append(_bold_row(notes, (_("Column"), _("What to write"))))
    for item in FIELDS:
        notes.append([_as_text(notes, capfirst(item.label)), _as_text(notes, explanations[item.name])])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
