"""Bank and payment-terminal statements: read a file by its bank's saved column mapping, match each line to an
account, let a person review what matched nothing, then post the matched lines as payments.

Guarantees (tested in billing/tests/test_bank_statements.py):

- a file is imported whole or not at all: one unreadable line refuses the file, naming the bad lines;
- every line carries an idempotency key derived from its content and its occurrence within the file, so the same
  file imported again yields the same keys: lines already posted show as duplicates and never post twice;
- parsing, matching and posting are set-based: lookups take 5,000 values per query; rows are inserted by COPY
  (PostgreSQL) or one prepared statement per 5,000 rows (SQLite); ledger entries by one INSERT … SELECT. A
  statement of 100,000 lines imports and posts in about 15–25 s on two cores (bench/bank_import_bench.py);
- posting runs in one transaction with the statement row locked; the unique payment key per organization is the
  last guard, and any conflict rolls the whole posting back;
- every key posted from a statement is registered as a :class:`PaymentRequest`, so an API request retried with
  the same key replays the payment instead of posting it again;
- a file is bounded before it is parsed (:func:`khizmat.core.uploads.check_xlsx`) and read once, in the background
  (:func:`statement_import_start`, ``billing.tasks.run_statement_import``): the page polls its progress, then
  shows the statement, or why the file was refused.
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khizmat.billing import balances
from khizmat.billing.choices import (
    EntryKind,
    LineStatus,
    PaymentMethod,
    StatementImportStatus,
    StatementStatus,
)
from khizmat.billing.models import (
    BankProfile,
    BankStatement,
    LedgerEntry,
    Payment,
    PaymentRequest,
    StatementImport,
    StatementLine,
    Subscriber,
)
from khizmat.billing.money import parse_amount
from khizmat.billing.services import PAYMENT_CLAIM_SECONDS, PaymentInFlight, payment_fingerprint
from khizmat.core.errors import DomainError
from khizmat.core.uploads import check_xlsx
from khizmat.tenancy.localtime import local_today, organization_zone
from khizmat.tenancy.permissions import require_permission

PERMISSION = "billing.statements"
CHUNK = 5000  # values per IN (...) lookup, rows per executemany
MAX_LINES = 200_000
MAX_SHEET_ROWS = (
    MAX_LINES + 10_000
)  # rows of a sheet before it is read, empty ones and the bank's header included
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_PROBLEMS_SHOWN = 20
HEADER_SEARCH_ROWS = 50  # banks put a title, the account and the period above the table
MAX_AMOUNT = Decimal("100000000")  # as payment_post: more in one payment is a typing or export error
ACCOUNT_DIGITS = 7  # Subscriber.number is "0001234"
LINE_FIELDS = (
    "line_number",
    "paid_on",
    "amount",
    "account_text",
    "payer_name",
    "reference",
    "purpose",
    "subscriber",
    "status",
    "idempotency_key",
)
PAYMENT_FIELDS = (
    "organization",
    "subscriber",
    "amount",
    "currency",
    "method",
    "received_at",
    "received_on",
    "payer_name",
    "reference",
    "statement_line",
    "idempotency_key",
    "reversal_reason",
)
PURPOSE_NUMBER = re.compile(r"(?<!\d)\d{7}(?!\d)")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


class StatementRejected(DomainError):
    """The file cannot be imported; ``problems`` lists what is wrong, line by line (at most 20 of them)."""

    default_code = "bad_statement"

    def __init__(self, message, *, problems: Iterable[str] = (), code: str | None = None):
        super().__init__(message, code=code)
        self.problems = list(problems)


@dataclass(slots=True)
class _Line:
    line_number: int
    paid_on: datetime.date
    amount: Decimal
    account_text: str
    account_key: str  # without spaces: what the idempotency key and the matching read
    payer_name: str
    reference: str
    purpose: str


# --- Reading the file ----------------------------------------------------------------------------------------------


def _header_key(value) -> str:
    """Column names compare without case and without spaces: «Сумма платежа» = «СУММА  ПЛАТЕЖА» = «суммаплатежа»."""
    return "".join(str(value).split()).casefold() if value is not None else ""


def _mapping(profile: BankProfile) -> dict[str, str]:
    """The profile's columns by role; unmapped (blank) roles are left out."""
    columns = {
        "date": profile.date_column,
        "amount": profile.amount_column,
        "account": profile.account_column,
        "payer": profile.payer_column,
        "reference": profile.reference_column,
        "purpose": profile.purpose_column,
    }
    return {role: name.strip() for role, name in columns.items() if name and name.strip()}


def _find_header(rows: list, mapping: dict[str, str]) -> tuple[int, list[str]] | None:
    date, amount = _header_key(mapping["date"]), _header_key(mapping["amount"])
    for index, row in enumerate(rows):
        keys = [_header_key(cell) for cell in row]
        if date in keys and amount in keys:
            return index, keys
    return None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as error:
        raise StatementRejected(
            _("The file's text encoding cannot be read. Save it as CSV in UTF-8 or Windows-1251."),
            code="bad_encoding",
        ) from error


def _csv_table(data: bytes, mapping: dict[str, str]):
    """(header keys, data rows) of a CSV file: the delimiter is the one (; , tab) under which the header is found."""
    text = _decode(data)
    if text.count("\n") > MAX_SHEET_ROWS:
        raise StatementRejected(
            _("The file has more than %(max)s lines. Split it into smaller files.") % {"max": MAX_LINES},
            code="too_many_lines",
        )
    candidates = [";", ",", "\t"]
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters=";,\t").delimiter
        candidates.remove(sniffed)
        candidates.insert(0, sniffed)
    except csv.Error:
        pass
    for delimiter in candidates:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        head = []
        try:
            for _row_number, row in zip(range(HEADER_SEARCH_ROWS), reader, strict=False):
                head.append(row)
        except csv.Error:
            continue
        found = _find_header(head, mapping)
        if found is None:
            continue
        index, keys = found
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return keys, _numbered(rows, skip=index + 1)
    raise _no_header(mapping)


def _xlsx_table(data: bytes, mapping: dict[str, str]):
    """(header keys, data rows) of the first worksheet that has the header; the workbook is read streaming."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_xlsx(data, max_rows=MAX_SHEET_ROWS)
    except DomainError as error:
        raise StatementRejected(error.message, code=error.code) from error
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise StatementRejected(
            _("The file cannot be read as an Excel workbook (.xlsx)."), code="bad_xlsx"
        ) from error
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # some banks' software writes a wrong sheet size; read every row there is
        head = []
        for row in sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True):
            head.append(row)
        found = _find_header(head, mapping)
        if found is not None:
            index, keys = found
            return keys, _closing(workbook, _numbered(sheet.iter_rows(values_only=True), skip=index + 1))
    workbook.close()
    raise _no_header(mapping)


def _numbered(rows: Iterator, *, skip: int) -> Iterator[tuple[int, tuple]]:
    """Rows after the header with their line number in the file (the row number a spreadsheet shows)."""
    for number, row in enumerate(rows, start=1):
        if number > skip:
            yield number, row


def _closing(workbook, rows: Iterator) -> Iterator:
    try:
        yield from rows
    finally:
        workbook.close()


def _no_header(mapping: dict[str, str]) -> StatementRejected:
    return StatementRejected(
        _(
            "No row of the file has both the date column «%(date)s» and the amount column «%(amount)s». "
            "Check the file or the column names of the statement format."
        )
        % {"date": mapping["date"], "amount": mapping["amount"]},
        code="no_header",
    )


def _positions(keys: list[str], mapping: dict[str, str]) -> dict[str, int]:
    positions = {}
    for role, name in mapping.items():
        key = _header_key(name)
        if key not in keys:
            raise StatementRejected(
                _("The file has no column «%(column)s». Columns in the file: %(columns)s.")
                % {"column": name, "columns": ", ".join(k for k in keys if k) or "—"},
                code="missing_column",
            )
        positions[role] = keys.index(key)
    return positions


# --- Reading cells --------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an account number typed into a number cell
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _DateReader:
    """Dates in the profile's format (a time after the date is ignored); date cells of a workbook as they are."""

    def __init__(self, date_format: str, today: datetime.date):
        self.date_format = date_format
        self.latest = today + datetime.timedelta(days=1)
        self.cache: dict[str, datetime.date | None] = {}

    def __call__(self, value) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value if datetime.date(2000, 1, 1) <= value <= self.latest else None
        text = str(value).strip()
        if text not in self.cache:
            self.cache[text] = self._parse(text)
        return self.cache[text]

    def _parse(self, text: str) -> datetime.date | None:
        token = text.split()[0].split("T")[0] if text.split() else ""
        try:
            day = datetime.datetime.strptime(token, self.date_format).date()
        except ValueError:
            return None
        return day if datetime.date(2000, 1, 1) <= day <= self.latest else None


def _date_example(date_format: str) -> str:
    return datetime.date(2026, 12, 31).strftime(date_format)


def _account_candidates(text: str) -> list[str]:
    """Numbers an account text may stand for: as written without spaces, and its digits padded to 7 places."""
    compact = "".join(text.split())
    if not compact:
        return []
    candidates = [compact]
    runs = re.findall(r"\d+", compact)
    if len(runs) == 1:
        digits = runs[0].lstrip("0") or "0"
        if len(digits) <= ACCOUNT_DIGITS:
            padded = digits.zfill(ACCOUNT_DIGITS)
            if padded != compact:
                candidates.append(padded)
    return candidates


def _purpose_candidates(text: str) -> list[str]:
    return list(dict.fromkeys(PURPOSE_NUMBER.findall(text)))


def _line_key(profile_pk: int, line: _Line, seen: dict[str, int]) -> str:
    content = "\x1f".join(
        (
            line.paid_on.isoformat(),
            str(line.amount),
            line.account_key,
            line.reference,
            line.payer_name,
            line.purpose,
        )
    )
    digest = hashlib.sha256(content.encode()).hexdigest()
    occurrence = seen.get(digest, 0)
    seen[digest] = occurrence + 1
    return f"bank:{profile_pk}:{digest}:{occurrence}"


def _read_lines(data: bytes, profile: BankProfile) -> list[_Line]:
    """Every payment line of the file, or :class:`StatementRejected` naming the unreadable ones."""
    mapping = _mapping(profile)
    if data[:4] == OLE_MAGIC:
        raise StatementRejected(
            _("This is an old Excel file (.xls). Save it as .xlsx or .csv and upload it again."), code="xls"
        )
    keys, rows = _xlsx_table(data, mapping) if data[:4] == XLSX_MAGIC else _csv_table(data, mapping)
    at = _positions(keys, mapping)
    width = max(at.values()) + 1
    read_date = _DateReader(profile.date_format, local_today(profile.organization))
    example = _date_example(profile.date_format)
    lines: list[_Line] = []
    problems: list[str] = []
    bad = 0
    for number, row in rows:
        cells = list(row[:width]) + [None] * (width - len(row))
        raw_date, raw_amount = cells[at["date"]], cells[at["amount"]]
        if _blank(raw_date) and _blank(raw_amount):
            continue  # an empty row, or a note or signature below the table
        if len(lines) + bad >= MAX_LINES:
            raise StatementRejected(
                _("The file has more than %(max)s lines. Split it into smaller files.") % {"max": MAX_LINES},
                code="too_many_lines",
            )
        wrong = []
        paid_on = None if _blank(raw_date) else read_date(raw_date)
        if paid_on is None:
            if _blank(raw_date):
                wrong.append(_("the date is missing"))
            else:
                wrong.append(
                    _("the date «%(value)s» is not a date like %(example)s, or is out of range")
                    % {"value": _text(raw_date), "example": example}
                )
        amount = None if _blank(raw_amount) else parse_amount(raw_amount)
        if _blank(raw_amount):
            wrong.append(_("the amount is missing"))
        elif amount is None:
            wrong.append(_("the amount «%(value)s» is not a number") % {"value": _text(raw_amount)})
        elif amount <= 0:
            wrong.append(_("the amount %(value)s is not more than zero") % {"value": amount})
        elif amount > MAX_AMOUNT:
            wrong.append(_("the amount %(value)s is too large for one payment") % {"value": amount})
        if wrong:
            bad += 1
            if len(problems) < MAX_PROBLEMS_SHOWN:
                problems.append(
                    _("Line %(number)s: %(problems)s.") % {"number": number, "problems": "; ".join(wrong)}
                )
            continue
        account = _text(cells[at["account"]]) if "account" in at else ""
        lines.append(
            _Line(
                line_number=number,
                paid_on=paid_on,
                amount=amount,
                account_text=account[:100],
                account_key="".join(account.split())[:100],
                payer_name=(_text(cells[at["payer"]]) if "payer" in at else "")[:255],
                reference=(_text(cells[at["reference"]]) if "reference" in at else "")[:100],
                purpose=(_text(cells[at["purpose"]]) if "purpose" in at else "")[:500],
            )
        )
    if bad:
        message = _(
            "The file was not imported: %(count)s lines cannot be read. Correct them and upload the file again."
        ) % {"count": bad}
        if bad > len(problems):
            message += " " + _("The first %(shown)s are listed.") % {"shown": len(problems)}
        raise StatementRejected(message, problems=problems, code="bad_lines")
    if not lines:
        raise StatementRejected(_("The file has no payment lines under its header."), code="empty")
    return lines


# --- Matching -------------------------------------------------------------------------------------------------------


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _select_in(model, columns: tuple[str, ...], organization, column: str, values, extra: str = "") -> list:
    """Rows (``columns``) of the organization whose ``column`` is among ``values``: one query per 5,000 values, in
    plain SQL (the ORM would prepare each of 100,000 parameters one by one). ``extra`` adds SQL conditions."""
    meta = model._meta
    quote = connection.ops.quote_name
    select = ", ".join(quote(meta.get_field(name).column) for name in columns)
    where = f"{quote('organization_id')} = %s AND {quote(meta.get_field(column).column)}"
    found = []
    with connection.cursor() as cursor:
        for chunk in _chunks(sorted(set(values))):
            condition, params = _among(chunk)
            cursor.execute(
                f"SELECT {select} FROM {quote(meta.db_table)} WHERE {where} {condition}{extra}",
                [organization.pk, *params],
            )
            found.extend(cursor.fetchall())
    return found


def _among(values: list) -> tuple[str, list]:
    """``= ANY(array)`` on PostgreSQL (one parameter), ``IN (?, ?, …)`` elsewhere."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(values)]
    return f"IN ({', '.join(['%s'] * len(values))})", list(values)


def _subscribers_by_number(organization, numbers: Iterable[str]) -> dict[str, int]:
    return dict(_select_in(Subscriber, ("number", "id"), organization, "number", numbers))


def _used_keys(organization, keys: Iterable[str]) -> set[str]:
    """The keys among ``keys`` that a payment of the organization already carries."""
    return {
        key for (key,) in _select_in(Payment, ("idempotency_key",), organization, "idempotency_key", keys)
    }


def _match(organization, lines: list[_Line]) -> list[int | None]:
    """The subscriber of each line: by the account column when it says something, else by a 7-digit number in the
    purpose when exactly one such number is an account. An account text that names no account stays unmatched."""
    wanted: set[str] = set()
    for line in lines:
        wanted.update(_account_candidates(line.account_text) or _purpose_candidates(line.purpose))
    numbers = _subscribers_by_number(organization, wanted)
    matched: list[int | None] = []
    for line in lines:
        by_account = _account_candidates(line.account_text)
        if by_account:
            matched.append(next((numbers[c] for c in by_account if c in numbers), None))
            continue
        found = {numbers[c] for c in _purpose_candidates(line.purpose) if c in numbers}
        matched.append(found.pop() if len(found) == 1 else None)
    return matched


def subscriber_by_number(*, organization, text: str) -> Subscriber | None:
    """The account a person typed on the review screen («1234», «000 1234», «0001234»), or None."""
    candidates = _account_candidates(text or "")
    if not candidates:
        return None
    found = {s.number: s for s in Subscriber.objects.filter(organization=organization, number__in=candidates)}
    return next((found[c] for c in candidates if c in found), None)


# --- Services -------------------------------------------------------------------------------------------------------


def bank_profile_save(*, actor, profile: BankProfile) -> BankProfile:
    """Create or update a statement format (the column names of one bank's files); names are unique per organization."""
    require_permission(actor, profile.organization, PERMISSION)
    if profile.method == PaymentMethod.CASH:
        raise DomainError(
            _("Statements bring bank transfers or terminal payments, not cash."), code="bad_method"
        )
    if not (profile.account_column.strip() or profile.purpose_column.strip()):
        raise DomainError(
            _("Name the account number column or the purpose column: otherwise no line can be matched."),
            code="no_account_column",
        )
    profile._history_user = actor
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as error:
        raise DomainError(
            _("A statement format named %(name)s already exists.") % {"name": profile.name},
            code="duplicate_name",
        ) from error
    return profile


def _read_bounded(upload) -> bytes:
    """The uploaded file's bytes, never more than ``MAX_FILE_BYTES`` read (a larger file is refused)."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise StatementRejected(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": MAX_FILE_BYTES // 2**20},
            code="too_large",
        )
    return data


def statement_upload(
    *, actor, profile: BankProfile, upload, on_progress=None, on_saved=None
) -> BankStatement:
    """Import a CSV or XLSX statement read by ``profile``; its lines are matched and wait for review.

    All or nothing: an unreadable date or amount, or an amount not above zero, on any line refuses the file
    (:class:`StatementRejected` lists up to 20 bad lines); a mapped column missing from the file refuses it too.
    Lines whose idempotency key a payment already carries are marked «already posted». The returned statement has
    ``same_file_as``: an earlier statement of the same file (same SHA-256), or None.
    """
    organization = profile.organization
    require_permission(actor, organization, PERMISSION)
    data = _read_bounded(upload)
    digest = hashlib.sha256(data).hexdigest()
    lines = _read_lines(data, profile)
    if on_progress is not None:
        on_progress(50)
    subscribers = _match(organization, lines)
    seen: dict[str, int] = {}
    keys = [_line_key(profile.pk, line, seen) for line in lines]
    used = _used_keys(organization, keys)
    earlier = (
        BankStatement.objects.filter(organization=organization, sha256=digest)
        .order_by("-uploaded_at")
        .first()
    )
    statement = BankStatement(
        organization=organization,
        profile=profile,
        file_name=PurePath(getattr(upload, "name", "") or "statement").name[:255],
        sha256=digest,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
        line_count=len(lines),
        total_amount=sum((line.amount for line in lines), Decimal("0")),
    )
    statement._history_user = actor
    rows = []
    for line, subscriber_id, key in zip(lines, subscribers, keys, strict=True):
        if key in used:
            status = LineStatus.DUPLICATE
        else:
            status = LineStatus.MATCHED if subscriber_id else LineStatus.UNMATCHED
        rows.append(
            (
                line.line_number,
                line.paid_on,
                line.amount,
                line.account_text,
                line.payer_name,
                line.reference,
                line.purpose,
                subscriber_id,
                status.value,
                key,
            )
        )
    if on_progress is not None:
        on_progress(70)
    with transaction.atomic():
        statement.save()
        _insert_rows(
            StatementLine,
            ("organization", "statement", *LINE_FIELDS),
            [(organization.pk, statement.pk, *row) for row in rows],
        )
        if on_saved is not None:  # in the same transaction: e.g. the import that read the file is marked done
            on_saved(statement)
    statement.same_file_as = earlier
    return statement


def statement_import_start(*, actor, profile: BankProfile, upload) -> StatementImport:
    """Keep an uploaded statement file and read it in the background (:func:`statement_import_run`).

    The size is checked at once; everything else — the workbook's bounds, every line, all or nothing — by the
    task, whose result (the statement, or the refusal with its bad lines) the import's page shows.
    """
    from khizmat.billing.tasks import run_statement_import

    organization = profile.organization
    require_permission(actor, organization, PERMISSION)
    data = _read_bounded(upload)
    if not data:
        raise StatementRejected(_("The file is empty."), code="empty")
    record = StatementImport.objects.create(
        organization=organization,
        profile=profile,
        file_name=PurePath(getattr(upload, "name", "") or "statement").name[:255],
        content=data,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    arguments = {"import_id": record.pk, "actor_id": actor.pk}
    transaction.on_commit(lambda: run_statement_import.enqueue(**arguments))
    return record


def statement_import_run(*, actor, record: StatementImport) -> StatementImport:
    """The task's work: read the kept file as :func:`statement_upload` does, then keep the outcome and drop
    the file. Safe to run twice: a file already read is left as it is."""
    imports = StatementImport.objects.filter(pk=record.pk, organization=record.organization)
    current = imports.select_related("profile").get()
    if current.status != StatementImportStatus.READING:
        return current

    def on_progress(percent: int) -> None:
        imports.update(progress=percent)

    upload = io.BytesIO(bytes(current.content))
    upload.name = current.file_name

    def on_saved(statement: BankStatement) -> None:
        # With the statement's own transaction: a worker dying in between would leave the import «reading», and
        # its retry would read the file into a second statement.
        imports.update(status=StatementImportStatus.DONE, statement=statement, progress=100, content=b"")

    try:
        statement_upload(
            actor=actor, profile=current.profile, upload=upload, on_progress=on_progress, on_saved=on_saved
        )
    except StatementRejected as error:
        imports.update(
            status=StatementImportStatus.REFUSED,
            failure=str(error.message),
            problems=[str(problem) for problem in error.problems],
            progress=100,
            content=b"",
        )
    except DomainError as error:
        imports.update(
            status=StatementImportStatus.REFUSED, failure=str(error.message), progress=100, content=b""
        )
    return imports.get()


def _lock_open_line(line: StatementLine) -> StatementLine:
    organization = line.organization
    statement = BankStatement.objects.select_for_update().get(pk=line.statement_id, organization=organization)
    if statement.status != StatementStatus.REVIEW:
        raise DomainError(
            _("This statement is already posted: its lines cannot change."), code="statement_posted"
        )
    return StatementLine.objects.select_for_update().get(pk=line.pk, organization=organization)


@transaction.atomic
def statement_line_match(*, actor, line: StatementLine, subscriber: Subscriber) -> StatementLine:
    """Match a line to an account by hand (review screen). Only lines of a statement in review that are not posted
    or duplicates; an ignored line may be matched again."""
    organization = line.organization
    require_permission(actor, organization, PERMISSION)
    if subscriber.organization_id != organization.pk:
        raise DomainError(_("Choose an account of this organization."), code="bad_subscriber")
    locked = _lock_open_line(line)
    if locked.status not in (LineStatus.UNMATCHED, LineStatus.MATCHED, LineStatus.IGNORED):
        raise DomainError(_("This line is already posted and cannot change."), code="line_posted")
    locked.subscriber, locked.status = subscriber, LineStatus.MATCHED
    locked._history_user = actor
    locked.save(update_fields=["subscriber", "status"])
    return locked


@transaction.atomic
def statement_line_ignore(*, actor, line: StatementLine) -> StatementLine:
    """Leave a line out of posting (e.g. money that is not for an account). Only unmatched or matched lines."""
    organization = line.organization
    require_permission(actor, organization, PERMISSION)
    locked = _lock_open_line(line)
    if locked.status not in (LineStatus.UNMATCHED, LineStatus.MATCHED):
        raise DomainError(_("Only a line waiting for posting can be ignored."), code="line_not_open")
    locked.status = LineStatus.IGNORED
    locked._history_user = actor
    locked.save(update_fields=["status"])
    return locked


def statement_post(*, actor, statement: BankStatement) -> int:
    """Post every matched line as a payment with its ledger entry; returns how many were posted.

    In one transaction with the statement row locked: lines whose key a payment already carries become «already
    posted» instead; the rest are inserted in bulk (payments, ledger entries, payment requests for API replays).
    A payment is dated by its line (received at 12:00 local time). The statement is closed (posted) once no line
    waits for a decision; until then it stays in review and matching more lines lets them be posted later.
    Posting a closed statement raises ``already_posted``; a unique-key conflict rolls everything back and raises
    ``post_conflict``; a key being posted by an API request right now raises :class:`PaymentInFlight`.
    """
    organization = statement.organization
    require_permission(actor, organization, PERMISSION)
    try:
        with transaction.atomic():
            return _post(actor=actor, statement=statement)
    except IntegrityError as error:
        raise DomainError(
            _(
                "Some of these payments were posted by someone else at the same moment. Nothing was posted: "
                "open the statement and post again."
            ),
            code="post_conflict",
        ) from error


def _post(*, actor, statement: BankStatement) -> int:
    organization = statement.organization
    locked = (
        BankStatement.objects.select_for_update()
        .select_related("profile")
        .get(pk=statement.pk, organization=organization)
    )
    if locked.status == StatementStatus.POSTED:
        raise DomainError(_("This statement is already posted."), code="already_posted")
    lines = StatementLine.objects.filter(organization=organization, statement=locked)
    rows = list(
        lines.filter(status=LineStatus.MATCHED, subscriber__isnull=False)
        .order_by("line_number")
        .values_list("pk", "subscriber_id", "amount", "paid_on", "payer_name", "reference", "idempotency_key")
    )
    used = _used_keys(organization, [row[6] for row in rows])
    for chunk in _chunks([row[0] for row in rows if row[6] in used]):
        lines.filter(pk__in=chunk).update(status=LineStatus.DUPLICATE)
    rows = [row for row in rows if row[6] not in used]
    _release_dead_claims(organization, [row[6] for row in rows])
    rows.sort(key=lambda row: row[6])  # inserted in key order, the unique key index is written in sequence

    now = timezone.now()
    zone = organization_zone(organization)
    currency = organization.currency
    method = locked.profile.method
    noon: dict[datetime.date, datetime.datetime] = {}
    for paid_on in {row[3] for row in rows}:
        noon[paid_on] = datetime.datetime.combine(paid_on, datetime.time(12), tzinfo=zone)
    _insert_rows(
        Payment,
        PAYMENT_FIELDS,
        [
            (
                organization.pk,
                subscriber_id,
                amount,
                currency,
                method,
                noon[paid_on],
                paid_on,
                payer,
                ref,
                pk,
                key,
                "",
            )
            for pk, subscriber_id, amount, paid_on, payer, ref, key in rows
        ],
    )
    _insert_ledger_entries(organization, locked)
    ids = _payment_ids(organization, [row[6] for row in rows])
    _insert_rows(
        PaymentRequest,
        ("organization", "key", "fingerprint", "payment", "locked_at", "created_at"),
        [
            (
                organization.pk,
                key,
                payment_fingerprint(subscriber_id, amount, method, ""),
                ids[key],
                None,
                now,
            )
            for _pk, subscriber_id, amount, _paid_on, _payer, _ref, key in rows
        ],
    )
    # Under the statement lock the matched lines are exactly those just posted (the others became duplicates).
    lines.filter(status=LineStatus.MATCHED, subscriber__isnull=False).update(status=LineStatus.POSTED)

    fields = ["posted_count"]
    locked.posted_count += len(rows)
    if rows:
        locked.posted_at = now
        fields.append("posted_at")
    if not lines.filter(status__in=[LineStatus.UNMATCHED, LineStatus.MATCHED]).exists():
        locked.status = StatementStatus.POSTED
        fields.append("status")
    locked._history_user = actor
    locked.save(update_fields=fields)
    statement.status, statement.posted_count, statement.posted_at = (
        locked.status,
        locked.posted_count,
        locked.posted_at,
    )
    return len(rows)


def _insert_rows(model, field_names: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT many rows in bulk: ``COPY`` on PostgreSQL, one prepared statement per chunk (``executemany``)
    elsewhere. (Django's ``bulk_create`` spends most of its time compiling SQL value by value.) Dates and times go
    through their field's preparation (times in UTC), remembered per distinct value; decimals through the backend's
    adapter; keys and texts as they are."""
    fields = [model._meta.get_field(name) for name in field_names]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    prepare = [_preparation(field) for field in fields]

    def prepared(chunk):
        for row in chunk:
            yield tuple(
                value if prep is None else prep(value) for prep, value in zip(prepare, row, strict=True)
            )

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with connection.wrap_database_errors, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared(rows):
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        for chunk in _chunks(rows):
            cursor.executemany(sql, list(prepared(chunk)))


def _preparation(field):
    if isinstance(field, models.DecimalField):
        adapt, digits, places = (
            connection.ops.adapt_decimalfield_value,
            field.max_digits,
            field.decimal_places,
        )
        return lambda value: None if value is None else adapt(value, digits, places)
    if isinstance(field, models.DateField):  # and DateTimeField: few distinct values in a statement
        seen: dict = {}

        def prepare(value):
            if value not in seen:
                seen[value] = field.get_db_prep_save(value, connection)
            return seen[value]

        return prepare
    return None  # keys (int), texts: the driver takes them as they are


def _payment_ids(organization, keys: list[str]) -> dict[str, int]:
    return dict(_select_in(Payment, ("idempotency_key", "id"), organization, "idempotency_key", keys))


def _insert_ledger_entries(organization, statement: BankStatement) -> None:
    """One ledger entry per payment just made from the statement's matched lines (−amount on its date), written
    from the payment rows by one INSERT … SELECT (joined on the unique key; lines are still «matched» here)."""
    quote = connection.ops.quote_name
    ledger, payment, line = (quote(m._meta.db_table) for m in (LedgerEntry, Payment, StatementLine))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ledger} (organization_id, subscriber_id, kind, amount, currency, entry_date, payment_id)
            SELECT p.organization_id, p.subscriber_id, %s, -p.amount, p.currency, p.received_on, p.id
            FROM {line} l
            JOIN {payment} p ON p.organization_id = l.organization_id AND p.idempotency_key = l.idempotency_key
            WHERE l.organization_id = %s AND l.statement_id = %s AND l.status = %s
              AND l.subscriber_id IS NOT NULL AND p.statement_line_id = l.id
            """,
            [EntryKind.PAYMENT.value, organization.pk, statement.pk, LineStatus.MATCHED.value],
        )
    balances.record(
        organization_id=organization.pk,
        condition=f"""l.kind = '{EntryKind.PAYMENT.value}' AND l.payment_id IN (
            SELECT p.id FROM {payment} p JOIN {line} sl ON sl.organization_id = p.organization_id
                                                     AND sl.id = p.statement_line_id
            WHERE sl.organization_id = %(organization)s AND sl.statement_id = %(statement)s
              AND sl.status = %(matched)s)""",
        params={"statement": statement.pk, "matched": LineStatus.MATCHED.value},
    )


def _release_dead_claims(organization, keys: list[str]) -> None:
    """Claims of these keys without a payment: a request that died long ago is forgotten (as payment_post does);
    one that is still running refuses the posting, which may be retried in a minute."""
    unpaid = _select_in(
        PaymentRequest,
        ("id",),
        organization,
        "key",
        keys,
        extra=f" AND {connection.ops.quote_name('payment_id')} IS NULL",
    )
    if not unpaid:
        return
    claims = PaymentRequest.objects.filter(organization=organization, pk__in=[pk for (pk,) in unpaid])
    stale = timezone.now() - datetime.timedelta(seconds=PAYMENT_CLAIM_SECONDS)
    if claims.filter(locked_at__gte=stale).exists():
        raise PaymentInFlight(
            _("Some of these payments are being posted by another request right now. Post again in a minute.")
        )
    claims.delete()
