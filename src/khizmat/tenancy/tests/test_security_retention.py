"""``khizmat anonymize_personal_data``: citizens' personal data in closed records older than the retention period is
blanked with set-based UPDATEs, in the records and in their history rows; new and open records, and billing
subscribers, are untouched; a second run changes nothing; a dry run only counts."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from khizmat.billing.tests.factories import SubscriberFactory
from khizmat.feedback.choices import CaseStatus
from khizmat.feedback.tests.factories import FeedbackCaseFactory
from khizmat.notifications.models import SmsMessage, SmsStatus
from khizmat.notifications.tests.factories import SmsMessageFactory
from khizmat.reports.choices import ReportStatus
from khizmat.reports.tests.factories import ReportFactory
from khizmat.services.choices import ApplicationStatus
from khizmat.services.models import Application
from khizmat.services.tests.factories import VALID_PINFL, ApplicationFactory
from khizmat.tenancy.models import RetentionRun
from khizmat.tenancy.privacy import anonymize

pytestmark = pytest.mark.django_db

DAYS = 1826
PHONE = "+998901234567"


@pytest.fixture
def world(org_a, org_b):
    old = timezone.now() - datetime.timedelta(days=DAYS + 30)
    recent = timezone.now() - datetime.timedelta(days=365)
    person = {"applicant_name": "Karimov Shohrux", "applicant_phone": PHONE, "applicant_address": "Navoiy 5"}
    old_closed = ApplicationFactory(
        organization=org_a, status=ApplicationStatus.ISSUED, received_at=old, finished_at=old, **person
    )
    old_closed.applicant_phone = "+998907654321"  # a second history row with its own copy
    old_closed.save()
    Application.objects.filter(pk=old_closed.pk).update(search_key="karimov shohrux 31507900123452")
    sms_old = SmsMessageFactory(organization=org_a, phone=PHONE, text="Karimov: ready", status=SmsStatus.SENT)
    sms_queued = SmsMessageFactory(organization=org_a, phone=PHONE, status=SmsStatus.QUEUED)
    SmsMessage.objects.filter(pk__in=[sms_old.pk, sms_queued.pk]).update(created_at=old)
    return {
        "old_closed": old_closed,
        "old_open": ApplicationFactory(organization=org_a, received_at=old, **person),
        "recent_closed": ApplicationFactory(
            organization=org_a,
            status=ApplicationStatus.CLOSED,
            received_at=recent,
            finished_at=recent,
            **person,
        ),
        "case_old": FeedbackCaseFactory(
            organization=org_a,
            status=CaseStatus.ANSWERED,
            created_at=old,
            citizen_name="Aziza",
            citizen_phone=PHONE,
        ),
        "case_open": FeedbackCaseFactory(
            organization=org_a, created_at=old, citizen_name="Aziza", citizen_phone=PHONE
        ),
        "report_old": ReportFactory(
            organization=org_a,
            status=ReportStatus.CLOSED,
            updated_at=old,
            citizen_first_name="Aziza",
            citizen_last_name="Karimova",
            citizen_phone=PHONE,
            citizen_email="aziza@mail.uz",
            photo="",
        ),
        "report_recent": ReportFactory(
            organization=org_a, status=ReportStatus.CLOSED, updated_at=recent, citizen_phone=PHONE, photo=""
        ),
        "sms_old": sms_old,
        "sms_queued": sms_queued,
        "subscriber": SubscriberFactory(organization=org_b, holder_id_number="12345678901234", phone=PHONE),
    }


def _reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_old_closed_records_and_their_history_are_anonymized(world):
    counts = anonymize(retention_days=DAYS)

    application = _reload(world["old_closed"])
    assert (application.applicant_name, application.applicant_id_number, application.applicant_phone) == (
        "",
        "",
        "",
    )
    assert (application.applicant_address, application.search_key) == ("", "")
    history = list(
        application.history.values_list("applicant_name", "applicant_id_number", "applicant_phone")
    )
    assert len(history) == 2 and set(history) == {("", "", "")}
    case, report, sms = _reload(world["case_old"]), _reload(world["report_old"]), _reload(world["sms_old"])
    assert (case.citizen_name, case.citizen_phone) == ("", "")
    assert (
        report.citizen_first_name,
        report.citizen_last_name,
        report.citizen_phone,
        report.citizen_email,
    ) == (("", "", "", ""))
    assert (sms.phone, sms.text) == ("", "")
    assert set(case.history.values_list("citizen_phone", flat=True)) == {""}
    assert set(report.history.values_list("citizen_phone", flat=True)) == {""}
    assert set(sms.history.values_list("phone", flat=True)) == {""}
    assert counts["services.Application"] == 1 and counts["services.Application history"] == 2
    assert (
        counts["feedback.FeedbackCase"] == counts["reports.Report"] == counts["notifications.SmsMessage"] == 1
    )
    run = RetentionRun.objects.get()
    assert run.counts == counts and run.retention_days == DAYS


def test_new_and_open_records_and_subscribers_are_untouched(world):
    anonymize(retention_days=DAYS)

    for key in ("old_open", "recent_closed"):
        application = _reload(world[key])
        assert (application.applicant_id_number, application.applicant_phone) == (VALID_PINFL, PHONE)
        assert set(application.history.values_list("applicant_phone", flat=True)) == {PHONE}
    assert _reload(world["case_open"]).citizen_phone == PHONE
    assert _reload(world["report_recent"]).citizen_phone == PHONE
    assert _reload(world["sms_queued"]).phone == PHONE
    subscriber = _reload(world["subscriber"])
    assert (subscriber.holder_id_number, subscriber.phone) == ("12345678901234", PHONE)


def test_a_second_run_changes_nothing(world):
    anonymize(retention_days=DAYS)

    again = anonymize(retention_days=DAYS)

    assert again and set(again.values()) == {0}


def test_a_dry_run_counts_and_changes_nothing(world, capsys):
    counts = anonymize(retention_days=DAYS, dry_run=True)

    assert counts["services.Application"] == 1 and counts["services.Application history"] == 2
    assert _reload(world["old_closed"]).applicant_id_number == VALID_PINFL
    assert not RetentionRun.objects.exists()

    call_command("anonymize_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert "services.Application: 1 would be anonymized" in out
    assert "notifications.SmsMessage history: 1 would be anonymized" in out
    assert _reload(world["sms_old"]).phone == PHONE and not RetentionRun.objects.exists()


def test_the_command_anonymizes_with_the_configured_period(world, settings, capsys):
    settings.PERSONAL_DATA_RETENTION_DAYS = DAYS + 60  # longer than the old records' age: nothing is due

    call_command("anonymize_personal_data")
    assert _reload(world["old_closed"]).applicant_id_number == VALID_PINFL

    call_command("anonymize_personal_data", "--days", str(DAYS))
    assert _reload(world["old_closed"]).applicant_id_number == ""
    assert RetentionRun.objects.count() == 2
