"""Bank statement import: files read by a saved column mapping, all or nothing; lines matched to accounts; a
review of the rest; posting in bulk; and an idempotency key per line so that nothing is ever posted twice."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from khizmat.billing import selectors, services, statements
from khizmat.billing.choices import EntryKind, LineStatus, PaymentMethod, StatementStatus
from khizmat.billing.models import (
    BankProfile,
    BankStatement,
    LedgerEntry,
    Payment,
    PaymentRequest,
    StatementImport,
    StatementLine,
)
from khizmat.billing.tests.factories import (
    BankProfileFactory,
    BankStatementFactory,
    LedgerEntryFactory,
    PaymentRequestFactory,
    StatementLineFactory,
    SubscriberFactory,
)
from khizmat.core.errors import DomainError, PermissionDenied
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db

HEADER = "Дата;Сумма;Лицевой счёт;Плательщик;Номер документа;Назначение платежа"


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are checked in English, whatever the translations say."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def cashier(member, org_b):
    return member(org_b, Role.CASHIER)


@pytest.fixture
def profile(org_b):
    return BankProfileFactory(
        organization=org_b,
        name="Aiyl Bank",
        method=PaymentMethod.BANK,
        date_column="Дата",
        amount_column="Сумма",
        account_column="Лицевой счёт",
        payer_column="Плательщик",
        reference_column="Номер документа",
        purpose_column="Назначение платежа",
        date_format=BankProfile.DateFormat.DMY,
    )


@pytest.fixture
def accounts(org_b):
    """Two accounts with a debt of 1,000.00 each."""
    made = {number: SubscriberFactory(organization=org_b, number=number) for number in ("0001234", "0005678")}
    for subscriber in made.values():
        LedgerEntryFactory(organization=org_b, subscriber=subscriber, amount=Decimal("1000.00"))
    return made


def csv_file(
    *rows: str, header: str = HEADER, preamble: str = "", encoding="utf-8-sig", name="statement.csv"
):
    text = preamble + header + "\n" + "\n".join(rows) + "\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list], name="statement.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(cashier, profile, file):
    return statements.statement_upload(actor=cashier, profile=profile, upload=file)


def lines_of(statement):
    return list(StatementLine.objects.filter(statement=statement).order_by("line_number"))


STANDARD = (
    "03.03.2026;1 250,50;1234;Асанов Бакыт;P-1;Оплата за вывоз ТБО",
    "04.03.2026 10:15:00;2.500,00;000 5678;Усенова Айгуль;P-2;",
    "05.03.2026;300;;Токтогулов Марат;P-3;Оплата за вывоз мусора л/с 0001234",
    "05.03.2026;75.25;9999999;Кто-то;P-4;л/с 0005678",
)


# --- Reading files -------------------------------------------------------------------------------------------------


def test_csv_is_read_by_the_saved_mapping_with_decimal_commas_and_thousands(cashier, profile, accounts):
    preamble = "Выписка по счёту 1234567890;;;;;\nПериод: 01.03.2026 - 31.03.2026;;;;;\n\n"
    statement = upload(cashier, profile, csv_file(*STANDARD, preamble=preamble))

    assert statement.status == StatementStatus.REVIEW
    assert statement.line_count == 4
    assert statement.total_amount == Decimal("4125.75")
    assert len(statement.sha256) == 64
    assert statement.same_file_as is None
    first, second, third, fourth = lines_of(statement)
    # Line numbers are the file's: a title, a period and an empty row stand above the header (line 4).
    assert [first.line_number, fourth.line_number] == [5, 8]
    assert (first.paid_on, first.amount, first.account_text) == (
        datetime.date(2026, 3, 3),
        Decimal("1250.50"),
        "1234",
    )
    assert (first.payer_name, first.reference, first.purpose) == (
        "Асанов Бакыт",
        "P-1",
        "Оплата за вывоз ТБО",
    )
    assert (second.paid_on, second.amount) == (datetime.date(2026, 3, 4), Decimal("2500.00"))
    assert third.amount == Decimal("300.00")


def test_accounts_are_matched_by_the_account_column_else_by_a_number_in_the_purpose(
    cashier, profile, accounts
):
    statement = upload(cashier, profile, csv_file(*STANDARD))
    first, second, third, fourth = lines_of(statement)
    assert (first.status, first.subscriber) == (LineStatus.MATCHED, accounts["0001234"])  # «1234» padded
    assert (second.status, second.subscriber) == (LineStatus.MATCHED, accounts["0005678"])  # «000 5678»
    assert (third.status, third.subscriber) == (LineStatus.MATCHED, accounts["0001234"])  # from the purpose
    # An account column that names no account is not overruled by the purpose: a person decides.
    assert (fourth.status, fourth.subscriber) == (LineStatus.UNMATCHED, None)


def test_a_purpose_naming_two_accounts_is_left_for_review(cashier, profile, accounts):
    statement = upload(cashier, profile, csv_file("05.03.2026;300;;Кто-то;;за 0001234 и 0005678"))
    assert lines_of(statement)[0].status == LineStatus.UNMATCHED


def test_windows_1251_csv_with_commas_and_quoted_amounts(cashier, profile, accounts):
    header = HEADER.replace(";", ",")
    file = csv_file(
        '03.03.2026,"1,250.50",0001234,Асанов,P-1,',
        '04.03.2026,"2 000,00",0005678,Усенова,P-2,',
        header=header,
        encoding="cp1251",
    )
    statement = upload(cashier, profile, file)
    first, second = lines_of(statement)
    assert (first.amount, first.payer_name, first.status) == (
        Decimal("1250.50"),
        "Асанов",
        LineStatus.MATCHED,
    )
    assert second.amount == Decimal("2000.00")


def test_tab_separated_csv_with_other_case_and_spacing_in_the_header(cashier, profile, accounts):
    header = "ДАТА\t сумма \tЛицевой  счёт\tПлательщик\tНомер документа\tНазначение платежа"
    statement = upload(cashier, profile, csv_file("03.03.2026\t150\t0001234\tА\tP\t", header=header))
    assert lines_of(statement)[0].amount == Decimal("150.00")


def test_xlsx_is_read_with_date_and_number_cells(cashier, profile, accounts):
    rows = [
        ["Выписка"],
        [],
        ["Дата", "Сумма", "Лицевой счёт", "Плательщик", "Номер документа", "Назначение платежа"],
        [datetime.datetime(2026, 3, 3, 9, 30), 150.5, 1234, "Асанов", "P-1", None],
        ["04.03.2026", "1 000,00", "0005678", "Усенова", 777, "вывоз"],
        [None, None, None, None, None, None],
        [None, None, None, "Главный бухгалтер", None, None],
    ]
    statement = upload(cashier, profile, xlsx_file(rows))
    first, second = lines_of(statement)
    assert (first.line_number, first.paid_on, first.amount) == (
        4,
        datetime.date(2026, 3, 3),
        Decimal("150.50"),
    )
    assert (first.account_text, first.subscriber) == ("1234", accounts["0001234"])
    assert (second.line_number, second.amount, second.reference) == (5, Decimal("1000.00"), "777")
    assert second.subscriber == accounts["0005678"]


def test_iso_dates_by_the_profile_format(cashier, profile, accounts):
    profile.date_format = BankProfile.DateFormat.ISO
    profile.save()
    statement = upload(cashier, profile, csv_file("2026-03-03T10:00:00;150;0001234;;;"))
    assert lines_of(statement)[0].paid_on == datetime.date(2026, 3, 3)


def test_bad_lines_refuse_the_whole_file_naming_every_line(cashier, profile, accounts):
    file = csv_file(
        "03.03.2026;150;0001234;;;",
        "31.02.2026;150;0001234;;;",
        "04.03.2026;сто;0001234;;;",
        "04.03.2026;0;0001234;;;",
        "04.03.2026;-5,00;0001234;;;",
        ";150;0001234;;;",
        "2026-03-04;150;0001234;;;",
        "04.03.2026;;0001234;;;",
        "05.03.2026;99;0005678;;;",
    )
    with pytest.raises(statements.StatementRejected) as refused:
        upload(cashier, profile, file)
    assert refused.value.code == "bad_lines"
    assert "7" in str(refused.value)
    problems = refused.value.problems
    assert [p.split(":")[0] for p in problems] == [f"Line {n}" for n in (3, 4, 5, 6, 7, 8, 9)]
    assert "31.02.2026" in problems[0] and "сто" in problems[1]
    assert not BankStatement.objects.exists()
    assert not StatementLine.objects.exists()


def test_at_most_twenty_bad_lines_are_listed(cashier, profile, accounts):
    file = csv_file(*[f"04.03.2026;x{n};0001234;;;" for n in range(30)])
    with pytest.raises(statements.StatementRejected) as refused:
        upload(cashier, profile, file)
    assert len(refused.value.problems) == 20
    assert "30" in str(refused.value)


def test_a_mapped_column_missing_from_the_file_is_named(cashier, profile, accounts):
    file = csv_file("03.03.2026;150;0001234;;", header="Дата;Сумма;Лицевой счёт;Плательщик;Номер документа")
    with pytest.raises(DomainError, match="Назначение платежа") as refused:
        upload(cashier, profile, file)
    assert refused.value.code == "missing_column"
    assert not BankStatement.objects.exists()


def test_a_file_without_the_date_and_amount_header_is_refused(cashier, profile, accounts):
    with pytest.raises(DomainError, match="Сумма") as refused:
        upload(cashier, profile, csv_file("1;2;3", header="a;b;c"))
    assert refused.value.code == "no_header"


def test_old_excel_files_and_oversized_statements_are_refused(cashier, profile, accounts, monkeypatch):
    old_excel = SimpleUploadedFile("statement.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(DomainError) as refused:
        upload(cashier, profile, old_excel)
    assert refused.value.code == "xls"
    monkeypatch.setattr(statements, "MAX_LINES", 3)
    with pytest.raises(DomainError) as refused:
        upload(cashier, profile, csv_file(*STANDARD))
    assert refused.value.code == "too_many_lines"
    assert not BankStatement.objects.exists()


def test_a_cashier_of_another_organization_cannot_import(org_a, member, profile, accounts):
    with pytest.raises(PermissionDenied):
        upload(member(org_a, Role.CASHIER), profile, csv_file(*STANDARD))
    with pytest.raises(PermissionDenied):
        upload(member(profile.organization, Role.OPERATOR), profile, csv_file(*STANDARD))


# --- Idempotency keys ----------------------------------------------------------------------------------------------


def test_identical_lines_get_different_keys_and_a_reimport_the_same_keys(cashier, profile, accounts):
    rows = ("03.03.2026;150;0001234;А;;", "03.03.2026;150;0001234;А;;", "03.03.2026;150;0005678;А;;")
    first = [line.idempotency_key for line in lines_of(upload(cashier, profile, csv_file(*rows)))]
    again = [line.idempotency_key for line in lines_of(upload(cashier, profile, csv_file(*rows)))]
    assert len(set(first)) == 3
    assert first == again
    assert all(key.startswith(f"bank:{profile.pk}:") and len(key) <= 100 for key in first)
    assert first[0].endswith(":0") and first[1].endswith(":1")


# --- Review ----------------------------------------------------------------------------------------------------------


def test_a_line_is_matched_by_hand_and_another_ignored(cashier, profile, accounts):
    statement = upload(cashier, profile, csv_file(*STANDARD))
    fourth = lines_of(statement)[3]
    matched = statements.statement_line_match(actor=cashier, line=fourth, subscriber=accounts["0005678"])
    assert (matched.status, matched.subscriber) == (LineStatus.MATCHED, accounts["0005678"])
    assert matched.history.latest().history_user == cashier

    ignored = statements.statement_line_ignore(actor=cashier, line=lines_of(statement)[0])
    assert ignored.status == LineStatus.IGNORED
    # An ignored line may still be matched; a posted one may not.
    assert statements.statement_line_match(
        actor=cashier, line=ignored, subscriber=accounts["0001234"]
    ).status == (LineStatus.MATCHED)


def test_review_refuses_another_organizations_account_and_posted_statements(
    cashier, profile, accounts, org_a
):
    statement = upload(cashier, profile, csv_file(*STANDARD))
    line = lines_of(statement)[3]
    with pytest.raises(DomainError, match="account of this organization"):
        statements.statement_line_match(
            actor=cashier, line=line, subscriber=SubscriberFactory(organization=org_a)
        )
    statements.statement_line_ignore(actor=cashier, line=line)
    statements.statement_post(actor=cashier, statement=statement)
    with pytest.raises(DomainError) as refused:
        statements.statement_line_match(actor=cashier, line=line, subscriber=accounts["0001234"])
    assert refused.value.code == "statement_posted"


def test_the_review_screen_finds_an_account_as_typed(org_b, accounts):
    for typed in ("1234", "000 1234", "0001234", " 0001234 "):
        assert statements.subscriber_by_number(organization=org_b, text=typed) == accounts["0001234"]
    assert statements.subscriber_by_number(organization=org_b, text="4321") is None
    assert statements.subscriber_by_number(organization=org_b, text="") is None


# --- Posting ---------------------------------------------------------------------------------------------------------


def test_posting_creates_payments_and_ledger_entries_and_balances_drop(cashier, profile, accounts, org_b):
    statement = upload(cashier, profile, csv_file(*STANDARD[:3]))

    assert statements.statement_post(actor=cashier, statement=statement) == 3

    statement.refresh_from_db()
    assert (statement.status, statement.posted_count) == (StatementStatus.POSTED, 3)
    assert statement.posted_at is not None
    assert {line.status for line in lines_of(statement)} == {LineStatus.POSTED}
    payments = list(Payment.objects.filter(organization=org_b).order_by("received_on", "pk"))
    assert [p.amount for p in payments] == [Decimal("1250.50"), Decimal("2500.00"), Decimal("300.00")]
    first = payments[0]
    line = lines_of(statement)[0]
    assert (first.method, first.subscriber, first.statement_line, first.idempotency_key) == (
        PaymentMethod.BANK,
        accounts["0001234"],
        line,
        line.idempotency_key,
    )
    assert (first.payer_name, first.reference, first.currency) == ("Асанов Бакыт", "P-1", org_b.currency)
    zone = ZoneInfo(org_b.country.time_zone)
    assert first.received_at == datetime.datetime(2026, 3, 3, 12, tzinfo=zone)
    assert first.received_on == datetime.date(2026, 3, 3)
    entries = LedgerEntry.objects.filter(organization=org_b, kind=EntryKind.PAYMENT)
    assert sorted((e.payment_id, e.amount, e.entry_date) for e in entries) == sorted(
        (p.pk, -p.amount, p.received_on) for p in payments
    )
    assert selectors.subscriber_balance(subscriber=accounts["0001234"]) == Decimal("1000.00") - Decimal(
        "1550.50"
    )
    assert selectors.subscriber_balance(subscriber=accounts["0005678"]) == Decimal("-1500.00")
    claims = PaymentRequest.objects.filter(organization=org_b)
    assert {(c.key, c.payment_id) for c in claims} == {(p.idempotency_key, p.pk) for p in payments}


def test_posting_twice_posts_nothing_the_second_time(cashier, profile, accounts):
    statement = upload(cashier, profile, csv_file(*STANDARD[:3]))
    statements.statement_post(actor=cashier, statement=statement)
    with pytest.raises(DomainError) as refused:
        statements.statement_post(actor=cashier, statement=statement)
    assert refused.value.code == "already_posted"
    assert Payment.objects.count() == 3


def test_unmatched_lines_keep_the_statement_in_review_until_decided(cashier, profile, accounts):
    statement = upload(cashier, profile, csv_file(*STANDARD))
    assert statements.statement_post(actor=cashier, statement=statement) == 3
    assert statement.status == StatementStatus.REVIEW
    assert statements.statement_post(actor=cashier, statement=statement) == 0

    waiting = lines_of(statement)[3]
    statements.statement_line_match(actor=cashier, line=waiting, subscriber=accounts["0005678"])
    assert statements.statement_post(actor=cashier, statement=statement) == 1
    statement.refresh_from_db()
    assert (statement.status, statement.posted_count) == (StatementStatus.POSTED, 4)
    assert Payment.objects.count() == 4


def test_a_reimported_file_is_all_duplicates_and_posts_nothing(cashier, profile, accounts):
    first = upload(cashier, profile, csv_file(*STANDARD[:3]))
    statements.statement_post(actor=cashier, statement=first)

    again = upload(cashier, profile, csv_file(*STANDARD[:3]))
    assert again.same_file_as == first
    assert {line.status for line in lines_of(again)} == {LineStatus.DUPLICATE}
    assert statements.statement_post(actor=cashier, statement=again) == 0
    again.refresh_from_db()
    assert again.status == StatementStatus.POSTED
    assert Payment.objects.count() == 3
    assert selectors.subscriber_balance(subscriber=accounts["0005678"]) == Decimal("-1500.00")


def test_two_imports_of_one_file_in_review_post_once(cashier, profile, accounts):
    first = upload(cashier, profile, csv_file(*STANDARD[:3]))
    second = upload(cashier, profile, csv_file(*STANDARD[:3]))
    assert {line.status for line in lines_of(second)} == {LineStatus.MATCHED}
    statements.statement_post(actor=cashier, statement=first)
    assert statements.statement_post(actor=cashier, statement=second) == 0
    assert {line.status for line in lines_of(second)} == {LineStatus.DUPLICATE}
    assert Payment.objects.count() == 3


def test_an_api_retry_with_a_statement_key_replays_the_payment(cashier, profile, accounts):
    statement = upload(cashier, profile, csv_file(*STANDARD[:1]))
    statements.statement_post(actor=cashier, statement=statement)
    line = lines_of(statement)[0]

    payment, replayed = services.payment_post(
        actor=cashier,
        subscriber=accounts["0001234"],
        amount=Decimal("1250.50"),
        method=PaymentMethod.BANK,
        idempotency_key=line.idempotency_key,
        permission="billing.statements",
    )
    assert replayed
    assert payment.statement_line == line
    assert Payment.objects.count() == 1


def test_a_key_posted_through_payment_post_first_is_not_doubled(cashier, profile, accounts):
    statement = upload(cashier, profile, csv_file(*STANDARD[:2]))
    first = lines_of(statement)[0]
    services.payment_post(
        actor=cashier,
        subscriber=accounts["0001234"],
        amount=first.amount,
        method=PaymentMethod.BANK,
        idempotency_key=first.idempotency_key,
        permission="billing.statements",
    )
    assert statements.statement_post(actor=cashier, statement=statement) == 1
    assert [line.status for line in lines_of(statement)] == [LineStatus.DUPLICATE, LineStatus.POSTED]
    assert Payment.objects.filter(idempotency_key=first.idempotency_key).count() == 1
    assert selectors.subscriber_balance(subscriber=accounts["0001234"]) == Decimal("-250.50")


def test_a_key_conflict_rolls_the_whole_posting_back(cashier, profile, accounts, monkeypatch, org_b):
    statement = upload(cashier, profile, csv_file(*STANDARD[:3]))
    first = lines_of(statement)[0]
    services.payment_post(
        actor=cashier,
        subscriber=accounts["0001234"],
        amount=first.amount,
        method=PaymentMethod.BANK,
        idempotency_key=first.idempotency_key,
        permission="billing.statements",
    )
    # As if that payment had been committed between the check and the insert: only the unique key guards.
    monkeypatch.setattr(statements, "_used_keys", lambda organization, keys: set())
    monkeypatch.setattr(statements, "_release_dead_claims", lambda organization, keys: None)
    with pytest.raises(DomainError) as refused:
        statements.statement_post(actor=cashier, statement=statement)
    assert refused.value.code == "post_conflict"
    statement.refresh_from_db()
    assert (statement.status, statement.posted_count) == (StatementStatus.REVIEW, 0)
    assert {line.status for line in lines_of(statement)} == {LineStatus.MATCHED}
    assert Payment.objects.filter(organization=org_b).count() == 1
    assert LedgerEntry.objects.filter(organization=org_b, kind=EntryKind.PAYMENT).count() == 1


def test_a_key_claimed_by_a_running_request_holds_the_posting(cashier, profile, accounts, org_b):
    statement = upload(cashier, profile, csv_file(*STANDARD[:2]))
    first, _second = lines_of(statement)
    PaymentRequestFactory(organization=org_b, key=first.idempotency_key, locked_at=timezone.now())
    with pytest.raises(services.PaymentInFlight):
        statements.statement_post(actor=cashier, statement=statement)
    assert not Payment.objects.exists()

    # A claim left by a request that died long ago is released, as payment_post releases it.
    PaymentRequest.objects.filter(key=first.idempotency_key).update(
        locked_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert statements.statement_post(actor=cashier, statement=statement) == 2


def test_posting_needs_the_statements_permission(member, profile, accounts, cashier):
    statement = upload(cashier, profile, csv_file(*STANDARD[:1]))
    with pytest.raises(PermissionDenied):
        statements.statement_post(actor=member(profile.organization, Role.AUDITOR), statement=statement)


# --- Statement formats ---------------------------------------------------------------------------------------------


def test_statement_formats_are_checked(cashier, org_b, profile):
    cash = BankProfile(
        organization=org_b, name="Cash", method=PaymentMethod.CASH, date_column="d", amount_column="a"
    )
    with pytest.raises(DomainError) as refused:
        statements.bank_profile_save(actor=cashier, profile=cash)
    assert refused.value.code == "bad_method"
    blind = BankProfile(organization=org_b, name="Blind", date_column="d", amount_column="a")
    with pytest.raises(DomainError) as refused:
        statements.bank_profile_save(actor=cashier, profile=blind)
    assert refused.value.code == "no_account_column"
    twin = BankProfile(
        organization=org_b, name=profile.name, date_column="d", amount_column="a", account_column="c"
    )
    with pytest.raises(DomainError) as refused:
        statements.bank_profile_save(actor=cashier, profile=twin)
    assert refused.value.code == "duplicate_name"


# --- Pages ---------------------------------------------------------------------------------------------------------


def test_upload_review_and_post_through_the_pages(
    client, cashier, profile, accounts, org_b, django_capture_on_commit_callbacks
):
    client.force_login(cashier)
    assert client.get(reverse("billing:statement_list")).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # the file is read by a task
        response = client.post(
            reverse("billing:statement_list"), {"profile": profile.pk, "file": csv_file(*STANDARD)}
        )
    statement = BankStatement.objects.get(organization=org_b)
    record = StatementImport.objects.get(organization=org_b)
    assert response.status_code == 302
    assert response.url == reverse("billing:statementimport_detail", kwargs={"pk": record.pk})
    assert (record.status, record.statement, bytes(record.content)) == ("done", statement, b"")
    polled = client.get(response.url, HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == reverse("billing:statement_detail", kwargs={"pk": statement.pk})
    response = client.get(reverse("billing:statementimport_detail", kwargs={"pk": record.pk}))
    assert response.url == reverse("billing:statement_detail", kwargs={"pk": statement.pk})

    page = client.get(response.url).content.decode()
    assert "Post 3 matched payments" in page
    waiting = lines_of(statement)[3]
    assert page.index(f'id="account-{waiting.pk}"') < page.index(f'id="account-{lines_of(statement)[0].pk}"')

    url = reverse("billing:statementline_match", kwargs={"pk": waiting.pk})
    response = client.post(url, {"account": "5678", "page": "1"})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.status, waiting.subscriber) == (LineStatus.MATCHED, accounts["0005678"])
    response = client.post(url, {"account": "7777777"}, follow=True)
    assert "There is no account number 7777777" in response.content.decode()

    assert client.get(reverse("billing:statement_post", kwargs={"pk": statement.pk})).status_code == 405
    response = client.post(reverse("billing:statement_post", kwargs={"pk": statement.pk}), follow=True)
    assert "4 payments posted" in response.content.decode()
    statement.refresh_from_db()
    assert statement.status == StatementStatus.POSTED
    assert Payment.objects.filter(organization=org_b).count() == 4


def test_a_refused_file_is_explained_on_the_page(
    client, cashier, profile, accounts, django_capture_on_commit_callbacks
):
    client.force_login(cashier)
    file = csv_file("03.03.2026;abc;0001234;;;", "bad;150;0001234;;;")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("billing:statement_list"), {"profile": profile.pk, "file": file})
    page = client.get(response.url).content.decode()
    assert "statement-refused" in page
    assert "Line 2:" in page and "Line 3:" in page
    assert not BankStatement.objects.exists()
    assert "statement-imports" in client.get(reverse("billing:statement_list")).content.decode()


def test_a_line_is_ignored_through_the_page(client, cashier, profile, accounts):
    statement = upload(cashier, profile, csv_file(*STANDARD))
    line = lines_of(statement)[3]
    client.force_login(cashier)
    url = reverse("billing:statementline_ignore", kwargs={"pk": line.pk})
    assert client.get(url).status_code == 405
    response = client.post(url, {"page": "1", "status": "unmatched"})
    assert response.url.endswith("?page=1&status=unmatched#lines")
    line.refresh_from_db()
    assert line.status == LineStatus.IGNORED


def test_another_tenants_statement_and_lines_are_not_found(client, member, org_a, org_b):
    foreign = BankStatementFactory(organization=org_b)
    line = StatementLineFactory(organization=org_b, statement=foreign)
    client.force_login(member(org_a, Role.CASHIER))
    assert client.get(reverse("billing:statement_detail", kwargs={"pk": foreign.pk})).status_code == 404
    assert client.post(reverse("billing:statement_post", kwargs={"pk": foreign.pk})).status_code == 404
    assert client.post(reverse("billing:statementline_ignore", kwargs={"pk": line.pk})).status_code == 404
    assert (
        client.get(reverse("billing:bankprofile_edit", kwargs={"pk": foreign.profile_id})).status_code == 404
    )
    line.refresh_from_db()
    assert line.status == LineStatus.UNMATCHED


def test_statement_formats_are_kept_through_the_pages(client, cashier, org_b):
    client.force_login(cashier)
    assert client.get(reverse("billing:bankprofile_list")).status_code == 200
    data = {
        "name": "Bakai Bank",
        "method": PaymentMethod.TERMINAL,
        "date_column": "Date",
        "date_format": BankProfile.DateFormat.DMY_SLASH,
        "amount_column": "Sum",
        "account_column": "",
        "purpose_column": "Details",
        "payer_column": "",
        "reference_column": "",
    }
    response = client.post(reverse("billing:bankprofile_add"), data)
    assert response.status_code == 302
    saved = BankProfile.objects.get(organization=org_b, name="Bakai Bank")
    assert (saved.method, saved.purpose_column) == (PaymentMethod.TERMINAL, "Details")
    assert saved.history.latest().history_user == cashier

    edit = reverse("billing:bankprofile_edit", kwargs={"pk": saved.pk})
    assert client.get(edit).status_code == 200
    response = client.post(edit, {**data, "amount_column": "Amount"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.amount_column == "Amount"
    assert client.post(edit, {**data, "method": PaymentMethod.CASH}).status_code == 400
