"""Imports of workbooks: bounded before they are parsed (a zip bomb, a sheet of a million rows are refused within
a second), read once at upload for the page, checked and imported by a background task that keeps its progress
and its outcome on the record."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from khizmat.billing import imports, statements
from khizmat.billing.choices import ImportStatus, ImportTask, PaymentMethod
from khizmat.billing.models import BankProfile, SubscriberImport
from khizmat.billing.tests.factories import BankProfileFactory
from khizmat.billing.tests.test_subscriber_import import CYRILLIC_HEADERS, CYRILLIC_MAPPING, good_rows, xlsx
from khizmat.core.errors import DomainError
from khizmat.core.tests import crafted
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db

MILLION_ROWS = crafted.xlsx_with_sheet(crafted.sheet(crafted.header_row(), dimension="A1:B1048576"))


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def operator(member, org_b):
    return member(org_b, Role.OPERATOR)


def upload(actor, organization, content: bytes) -> SubscriberImport:
    return imports.subscriber_import_upload(
        actor=actor, organization=organization, upload=SimpleUploadedFile("list.xlsx", content)
    )


def refused(call) -> str:
    started = time.monotonic()
    with pytest.raises(DomainError) as error:
        call()
    assert time.monotonic() - started < 1
    return error.value.code


def test_a_subscriber_list_that_unpacks_to_a_gigabyte_or_a_million_rows_is_refused(org_b, operator):
    bomb = crafted.declare_size(xlsx(CYRILLIC_HEADERS, good_rows()), crafted.SHEET, 1 << 30)
    assert refused(lambda: upload(operator, org_b, bomb)) == "xlsx_too_large"
    assert refused(lambda: upload(operator, org_b, MILLION_ROWS)) == "xlsx_too_many_rows"
    assert not SubscriberImport.objects.exists()


def test_a_statement_of_a_million_rows_is_refused(org_b, member):
    profile = BankProfileFactory(
        organization=org_b,
        method=PaymentMethod.BANK,
        date_column="Name",
        amount_column="Street",
        account_column="Street",
        date_format=BankProfile.DateFormat.DMY,
    )
    cashier = member(org_b, Role.CASHIER)
    file = SimpleUploadedFile("statement.xlsx", MILLION_ROWS)
    assert refused(lambda: statements.statement_upload(actor=cashier, profile=profile, upload=file)) == (
        "xlsx_too_many_rows"
    )


def test_the_page_shows_what_was_read_at_upload_and_never_opens_the_file(client_of, org_b, operator):
    record = upload(operator, org_b, xlsx(CYRILLIC_HEADERS, good_rows()))
    SubscriberImport.objects.filter(pk=record.pk).update(content=b"not read again")
    page = client_of(operator).get(reverse("billing:subscriberimport_detail", args=[record.pk]))
    assert "Asanov Bakyt" in page.content.decode()


def test_the_check_runs_in_the_background_and_keeps_its_outcome(
    org_b, operator, django_capture_on_commit_callbacks, monkeypatch
):
    record = upload(operator, org_b, xlsx(CYRILLIC_HEADERS, good_rows()))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        imports.subscriber_import_start(
            actor=operator, record=record, step=ImportTask.CHECK, mapping=record.mapping
        )
    running = SubscriberImport.objects.get(pk=record.pk)
    assert (running.task, running.progress) == (ImportTask.CHECK, 0)
    with pytest.raises(DomainError) as busy:
        imports.subscriber_import_start(
            actor=operator, record=record, step=ImportTask.CHECK, mapping=CYRILLIC_MAPPING
        )
    assert busy.value.code == "import_busy"
    [enqueue] = queued
    enqueue()  # the immediate backend runs the task now
    done = SubscriberImport.objects.get(pk=record.pk)
    assert (done.task, done.progress, done.status, done.row_count) == ("", 100, ImportStatus.CHECKED, 3)
    assert done.errors  # no categories nor settlements here: every row has its errors

    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        imports.subscriber_import_start(
            actor=operator, record=done, step=ImportTask.CHECK, mapping=CYRILLIC_MAPPING
        )
    failed = SubscriberImport.objects.get(pk=record.pk)
    assert failed.task == "" and "more than 2 rows" in failed.failure
