"""The note a citizen reads (follow page, Open311, SMS) is the note of the last change only; notes the system
writes are codes shown in the reader's language."""

from django.urls import reverse
from django.utils import translation

from khizmat.notifications.models import SmsMessage
from khizmat.reports import services
from khizmat.reports.choices import ReportStatus
from khizmat.reports.tests.factories import ReportFactory, ReportTypeFactory, ServiceAreaFactory
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import OrganizationFactory


def test_a_change_without_a_note_does_not_repeat_the_previous_one(org_b, member, client):
    dispatcher = member(org_b, Role.DISPATCHER)
    report = ReportFactory(organization=org_b, citizen_phone="+996555123456", citizen_language="ru")
    services.report_set_status(
        actor=dispatcher, report=report, status=ReportStatus.IN_PROGRESS, public_note="Machine sent Tuesday"
    )
    report = services.report_set_status(actor=dispatcher, report=report, status=ReportStatus.RESOLVED)

    last_sms = SmsMessage.objects.filter(organization=org_b, event="report_status").latest("pk")
    assert "Machine sent Tuesday" not in last_sms.text
    assert report.number in last_sms.text
    assert report.note == ""
    page = client.get(reverse("reports:portal_follow", args=[org_b.code, report.number])).content.decode()
    assert page.count("Machine sent Tuesday") == 1  # in the history, under its own change only
    body = client.get("/open311/v2/requests.json", {"jurisdiction_id": org_b.code}).json()
    assert body[0]["status_notes"] is None


def test_merge_notes_are_codes_read_in_each_language(org_b, member):
    dispatcher = member(org_b, Role.DISPATCHER)
    original = ReportFactory(organization=org_b)
    duplicate = ReportFactory(organization=org_b, citizen_phone="+996555123456", citizen_language="ru")
    duplicate = services.report_merge(actor=dispatcher, report=duplicate, into=original)

    assert duplicate.note_code == "merged" and duplicate.public_note == ""
    with translation.override("en"):
        assert duplicate.note == f"Handled together with report {original.number}."
    with translation.override("ru"):
        assert duplicate.note == f"Рассматривается вместе с обращением {original.number}."
        assert duplicate.updates.last().note == duplicate.note


def test_forward_notes_name_the_organization_in_the_readers_language(org_b, member, settings):
    settings.REPORTS_TRIAGE_ORGANIZATION = "triage-desk"
    triage = OrganizationFactory(code="triage-desk", country=org_b.country)
    org_b.name_en, org_b.name_ru = "Enterprise B", "Предприятие Б"
    org_b.save()
    ReportTypeFactory(organization=org_b, code="missed-pickup")
    # Enterprise B handles missed pickups somewhere in the country (not around the reported place): it may receive it.
    ServiceAreaFactory(organization=org_b, polygon=[[1, 1], [1, 2], [2, 2], [2, 1]])
    report = services.report_file_by_location(
        code="missed-pickup",
        latitude="42.5",
        longitude="78.5",
        source="portal",
        phone="+996555123456",
        language="ru",
    )
    forwarded = services.report_forward(
        actor=member(triage, Role.DISPATCHER), report=report, organization=org_b, code="missed-pickup"
    )
    report.refresh_from_db()
    with translation.override("en"):
        assert report.note == f"Forwarded to Enterprise B as report {forwarded.number}."
    with translation.override("ru"):
        assert "Предприятие Б" in report.note and forwarded.number in report.note
    sms = SmsMessage.objects.filter(reference=report.number).latest("pk")
    assert forwarded.number in sms.text and "Предприятие Б" in sms.text
