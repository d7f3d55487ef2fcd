"""ID numbers and phones are masked in lists, exports, the audit trail and for roles that do not need them; the full
value is shown on a record's page and the API detail to the roles with ``personal_data.full`` only."""

import io
import zipfile

import pytest
from django.http import Http404
from django.urls import reverse
from rest_framework.test import APIClient

from khizmat.billing import exports
from khizmat.billing.tests.factories import SubscriberFactory
from khizmat.core.masking import mask_email, mask_id_number, mask_phone
from khizmat.documents.selectors import document_for
from khizmat.documents.services import document_request
from khizmat.feedback.tests.factories import FeedbackCaseFactory
from khizmat.notifications.tests.factories import SmsMessageFactory
from khizmat.reports.tests.factories import ReportFactory
from khizmat.services.tests.factories import VALID_PINFL, ApplicationFactory
from khizmat.tenancy.privacy import may_see_full
from khizmat.tenancy.roles import Role
from khizmat.web.audit import audit_entry_list

pytestmark = pytest.mark.django_db

PHONE = "+998901234567"
MASKED_PHONE = "+998 ** *** 45 67"
MASKED_PINFL = "**********3452"


def test_it_masks_phones_id_numbers_and_emails():
    assert mask_phone(PHONE) == MASKED_PHONE
    assert mask_phone("+996555123456") == "+996 *** ** 34 56"
    assert mask_phone("") == ""
    assert mask_id_number(VALID_PINFL) == MASKED_PINFL
    assert mask_id_number("AB1234567") == "*****4567"
    assert mask_email("aziza.karimova@mail.uz") == "a***@mail.uz"


@pytest.mark.parametrize(
    ("role", "full"),
    [
        (Role.OPERATOR, True),
        (Role.CASHIER, True),
        (Role.DISPATCHER, True),
        (Role.MANAGER, True),
        (Role.ADMIN, False),
        (Role.AUDITOR, False),
        (Role.MONITOR, False),
        (Role.DRIVER, False),
    ],
)
def test_only_roles_serving_the_person_see_full_values(role, full, org_a, member):
    assert may_see_full(member(org_a, role).memberships.get()) is full


@pytest.fixture
def application(org_a):
    return ApplicationFactory(organization=org_a, applicant_phone=PHONE)


def test_the_operator_sees_the_full_values_on_the_applications_page(application, operator_a, client_of):
    page = (
        client_of(operator_a)
        .get(reverse("services:application_detail", args=[application.pk]))
        .content.decode()
    )
    assert VALID_PINFL in page and PHONE in page


def test_the_auditor_sees_them_masked(application, org_a, member, client_of):
    auditor = member(org_a, Role.AUDITOR)
    page = (
        client_of(auditor).get(reverse("services:application_detail", args=[application.pk])).content.decode()
    )
    assert VALID_PINFL not in page and PHONE not in page
    assert MASKED_PINFL in page and MASKED_PHONE in page


def test_subscriber_complaint_and_report_pages_mask_for_the_auditor(org_a, org_b, member, client_of):
    subscriber = SubscriberFactory(
        organization=org_b, holder_id_number="12345678901234", phone="+996555123456"
    )
    case = FeedbackCaseFactory(organization=org_a, citizen_phone=PHONE)
    report = ReportFactory(organization=org_a, citizen_phone=PHONE, photo="")
    pages = [
        (org_b, "billing:subscriber_detail", subscriber.pk, ["12345678901234", "+996555123456"]),
        (org_a, "feedback:case_detail", case.pk, [PHONE]),
        (org_a, "reports:report_detail", report.pk, [PHONE]),
    ]
    for organization, name, pk, values in pages:
        url = reverse(name, args=[pk])
        full = client_of(member(organization, Role.MANAGER)).get(url).content.decode()
        masked = client_of(member(organization, Role.AUDITOR)).get(url).content.decode()
        assert all(value in full for value in values), name
        assert not any(value in masked for value in values), name


def test_the_sms_list_masks_phones_even_for_a_manager(org_a, member, client_of):
    SmsMessageFactory(organization=org_a, phone=PHONE)
    page = client_of(member(org_a, Role.MANAGER)).get(reverse("notifications:message_list")).content.decode()
    assert PHONE not in page and MASKED_PHONE in page


def _api(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_the_api_list_masks_and_the_detail_is_full_for_permitted_roles_only(application, org_a, member):
    operator, auditor = member(org_a, Role.OPERATOR), member(org_a, Role.AUDITOR)

    listed = _api(operator).get("/api/v1/applications/").json()["results"][0]
    detail = _api(operator).get(f"/api/v1/applications/{application.pk}/").json()
    audited = _api(auditor).get(f"/api/v1/applications/{application.pk}/").json()

    assert (listed["applicant_id_number"], listed["applicant_phone"]) == (MASKED_PINFL, MASKED_PHONE)
    assert (detail["applicant_id_number"], detail["applicant_phone"]) == (VALID_PINFL, PHONE)
    assert (audited["applicant_id_number"], audited["applicant_phone"]) == (MASKED_PINFL, MASKED_PHONE)


def _xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode(errors="replace") for name in archive.namelist())


def test_the_subscriber_export_is_masked_unless_the_role_may_see_full_values(org_b, member):
    SubscriberFactory(organization=org_b, holder_id_number="12345678901234", phone="+996555123456")

    masked = _xlsx_text(exports.subscribers_xlsx(org_b))
    full = _xlsx_text(exports.subscribers_xlsx(org_b, full=True))

    assert "12345678901234" not in masked and "+996555123456" not in masked
    assert "**********1234" in masked and "+996 *** ** 34 56" in masked
    assert "12345678901234" in full and "+996555123456" in full


def test_a_full_export_is_decided_by_the_asking_role_and_hidden_from_others(org_b, member):
    manager = member(org_b, Role.MANAGER).memberships.get()
    auditor = member(org_b, Role.AUDITOR).memberships.get()

    by_manager = document_request(actor=manager.user, membership=manager, kind="billing.subscribers")
    by_auditor = document_request(actor=auditor.user, membership=auditor, kind="billing.subscribers")

    assert by_manager.params == {"full_personal_data": True}
    assert by_auditor.params == {"full_personal_data": False}
    assert document_for(auditor, by_auditor.pk) == by_auditor
    with pytest.raises(Http404):
        document_for(auditor, by_manager.pk)


def test_the_audit_trail_masks_a_changed_phone(application, org_a):
    application.applicant_phone = "+998907654321"
    application.save()

    changes = [change for entry in audit_entry_list(organization=org_a) for change in entry.changes]

    assert changes
    text = repr(changes)
    assert PHONE not in text and "+998907654321" not in text
    assert MASKED_PHONE in text and "+998 ** *** 43 21" in text


def test_training_participants_and_crew_phones_are_masked_in_lists(org_a, member, client_of):
    from khizmat.fieldwork.tests.factories import CrewMemberFactory
    from khizmat.trainings.tests.factories import ParticipantFactory

    manager = member(org_a, Role.MANAGER)
    participant = ParticipantFactory(organization=org_a, phone=PHONE)
    crew = CrewMemberFactory(organization=org_a, phone=PHONE)

    page = (
        client_of(manager)
        .get(reverse("trainings:event_detail", args=[participant.event_id]))
        .content.decode()
    )
    assert PHONE not in page and MASKED_PHONE in page
    api = _api(manager)
    listed = api.get("/api/v1/training-participants/").json()["results"][0]
    assert listed["phone"] == MASKED_PHONE
    assert api.get(f"/api/v1/training-participants/{participant.pk}/").json()["phone"] == PHONE
    assert api.get("/api/v1/crew-members/").json()["results"][0]["phone"] == MASKED_PHONE
    assert api.get(f"/api/v1/crew-members/{crew.pk}/").json()["phone"] == PHONE
