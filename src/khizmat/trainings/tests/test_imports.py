"""The participant list import: columns by their headers in any language, sex in any of its spellings, a dry run that
lists every error with its row and column, then all rows or none."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from khizmat.core.errors import DomainError
from khizmat.trainings import imports
from khizmat.trainings.choices import ImportStatus, Sex
from khizmat.trainings.models import Participant, ParticipantImport
from khizmat.trainings.tests.factories import ParticipantFactory, xlsx_bytes

HEADERS = ["Ф.И.О.", "Жынысы", "Tashkilot", "Position", "Телефон", "Attended"]


@pytest.mark.parametrize(
    ("written", "sex"),
    [
        ("F", Sex.FEMALE), ("ж", Sex.FEMALE), ("Аял", Sex.FEMALE), ("ayol", Sex.FEMALE), ("A", Sex.FEMALE),
        ("А", Sex.FEMALE), ("женский", Sex.FEMALE), ("Female", Sex.FEMALE),
        ("M", Sex.MALE), ("м", Sex.MALE), ("Э", Sex.MALE), ("эркек", Sex.MALE), ("Erkak", Sex.MALE), ("E", Sex.MALE),
        ("муж.", Sex.MALE), ("male", Sex.MALE),
        ("x", None), ("", None),
    ],
)  # fmt: skip
def test_it_reads_sex_in_every_spelling(written, sex):
    assert imports.parse_sex(written) == sex


def _upload(manager, event, rows, headers=HEADERS):
    upload = SimpleUploadedFile("list.xlsx", xlsx_bytes(headers, rows))
    return imports.participant_import_upload(actor=manager, event=event, upload=upload)


def test_the_dry_run_lists_every_error_with_row_and_column_and_imports_nothing(manager, event, center):
    ParticipantFactory(
        organization=event.organization, event=event, full_name="Saidov Jasur", affiliation_name=""
    )
    rows = [
        ["Karimova Dilnoza", "Ж", center.name, "Operator", "90 123 45 63", "да"],  # row 2: fine
        ["Aliyev Botir", "?", "", "", "", ""],  # row 3: sex
        ["Nazarova Malika", "F", "", "", "hello", "maybe"],  # row 4: phone and attended
        ["Karimova Dilnoza", "F", center.code, "", "", ""],  # row 5: same as row 2 (the center by its code)
        ["Saidov Jasur", "M", "", "", "", ""],  # row 6: already registered
        ["", "M", "", "", "", ""],  # row 7: no name
    ]
    record = _upload(manager, event, rows)
    errors = imports.participant_import_check(actor=manager, record=record)
    found = [(e["row"], e["column"].split(" · ")[0]) for e in errors]
    assert found == [(3, "B"), (4, "E"), (4, "F"), (5, "A"), (6, "A"), (7, "A")]
    assert all(e["message"] for e in errors)
    record.refresh_from_db()
    assert record.status == ImportStatus.CHECKED and record.row_count == 6
    with pytest.raises(DomainError) as refused:
        imports.participant_import_commit(actor=manager, record=record)
    assert refused.value.code == "import_has_errors"
    assert Participant.objects.filter(event=event).count() == 1


def test_a_clean_file_imports_all_rows_once(manager, event, center):
    rows = [
        ["Karimova Dilnoza", "Ж", center.name, "Operator", "90 123 45 63", "1"],
        ["Aliyev Botir", "M", "Baxmal tumani hokimligi", "Hokim oʻrinbosari", "", ""],
    ]
    record = _upload(manager, event, rows)
    assert record.columns == {
        f: i for i, f in enumerate(["full_name", "sex", "organization", "position", "phone", "attended"])
    }
    assert imports.participant_import_check(actor=manager, record=record) == []
    assert imports.participant_import_commit(actor=manager, record=record) == 2
    dilnoza, botir = Participant.objects.filter(event=event).order_by("full_name").reverse()
    assert (dilnoza.sex, dilnoza.affiliation, dilnoza.phone, dilnoza.attended) == (
        Sex.FEMALE, center, "+998901234563", True
    )  # fmt: skip
    assert (botir.affiliation, botir.affiliation_name, botir.attended) == (
        None,
        "Baxmal tumani hokimligi",
        False,
    )
    assert botir.history.get().history_user_id == manager.pk
    with pytest.raises(DomainError) as refused:
        imports.participant_import_commit(actor=manager, record=record)
    assert refused.value.code == "import_done"


def test_rows_registered_after_the_check_stop_the_whole_import(manager, event):
    record = _upload(
        manager, event, [["Karimova Dilnoza", "F", "", "", "", ""], ["Aliyev Botir", "M", "", "", "", ""]]
    )
    assert imports.participant_import_check(actor=manager, record=record) == []
    ParticipantFactory(
        organization=event.organization, event=event, full_name="Aliyev Botir", affiliation_name=""
    )
    with pytest.raises(DomainError):
        imports.participant_import_commit(actor=manager, record=record)
    assert list(Participant.objects.filter(event=event).values_list("full_name", flat=True)) == [
        "Aliyev Botir"
    ]


def test_attendance_in_the_file_is_refused_for_an_event_not_yet_started(manager, event, today):
    event.start_date = event.end_date = today + datetime.timedelta(days=3)
    event.status = "planned"
    event.save()
    record = _upload(manager, event, [["Karimova Dilnoza", "F", "", "", "", "yes"]])
    errors = imports.participant_import_check(actor=manager, record=record)
    assert [(e["row"], e["column"].split(" · ")[0]) for e in errors] == [(2, "F")]


def test_a_file_without_the_sex_column_or_too_long_is_refused_at_upload(manager, event):
    with pytest.raises(DomainError) as refused:
        _upload(manager, event, [["Karimova Dilnoza", "Operator"]], headers=["Full name", "Position"])
    assert refused.value.code == "import_unmapped"
    rows = [["Person", "F"]] * (imports.MAX_SHEET_ROWS + 5)
    with pytest.raises(DomainError) as refused:
        _upload(manager, event, rows, headers=["Full name", "Sex"])
    assert refused.value.code == "xlsx_too_many_rows"
    assert not ParticipantImport.objects.exists()


def test_the_pages_run_the_check_and_the_import_in_the_background(
    manager, event, client, django_capture_on_commit_callbacks
):
    client.force_login(manager)
    template = client.get(reverse("trainings:participant_template"), HTTP_ACCEPT_LANGUAGE="ru")
    sheet = load_workbook(__import__("io").BytesIO(b"".join(template))).worksheets[0]
    headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    content = xlsx_bytes(headers, [["Каримова Дилноза", "Ж", "", "", "", ""]])  # the template, filled in
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trainings:participantimport_add", args=[event.pk]),
            {"file": SimpleUploadedFile("list.xlsx", content)},
        )
    record = ParticipantImport.objects.get()
    assert response.status_code == 302
    assert (record.status, record.task, record.errors) == (ImportStatus.CHECKED, "", [])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("trainings:participantimport_commit", args=[record.pk]), {"action": "import"})
    record.refresh_from_db()
    assert record.status == ImportStatus.IMPORTED and record.imported_count == 1
    page = client.get(
        reverse("trainings:participantimport_detail", args=[record.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200 and "1 participant" in page.content.decode()
