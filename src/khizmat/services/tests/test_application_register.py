"""Registering an application: number, due date on the working-day calendar, validation, documents."""

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from khizmat.core.errors import DomainError
from khizmat.services import services
from khizmat.services.choices import FeeStatus
from khizmat.services.models import Application
from khizmat.services.tests.factories import PDF_BYTES, VALID_KG_INN, VALID_PINFL, ServiceFactory
from khizmat.tenancy.calendar import is_working_day, working_days_between
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.localtime import local_date
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import DistrictFactory, OrganizationFactory, RegionFactory, country

TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")


def _register(org, actor, service, **extra):
    values = {
        "applicant_name": "Karimova Dilnoza Rustamovna",
        "applicant_id_number": VALID_PINFL if org.country.code == "UZ" else VALID_KG_INN,
        "applicant_phone": "+998901234567" if org.country.code == "UZ" else "+996555123456",
        **extra,
    }
    return services.application_register(actor=actor, organization=org, service=service, **values)


@pytest.fixture
def bakhmal(db):
    region = RegionFactory(country=country("UZ"), code="JZ")
    return OrganizationFactory(
        code="bakhmal", region=region, district=DistrictFactory(region=region, code="BAX")
    )


def test_numbers_follow_region_district_year(bakhmal, member):
    operator = member(bakhmal, Role.OPERATOR)
    service = ServiceFactory(organization=bakhmal)
    received = datetime.datetime(2026, 3, 18, 10, 0, tzinfo=TASHKENT)

    first = _register(bakhmal, operator, service, received_at=received)
    second = _register(bakhmal, operator, service, received_at=received)

    assert first.number == "JZ-BAX-2026-000001"
    assert second.number == "JZ-BAX-2026-000002"
    # Wed 18 Mar 2026 + 5 working days skips Eid al-Fitr (20th), the weekend and Nowruz observed (23rd).
    assert first.due_date == datetime.date(2026, 3, 27)
    assert first.transitions.get().to_status == "received"
    assert first.assigned_to == operator


@settings(max_examples=25, deadline=None)
@given(
    received=st.datetimes(min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2027, 9, 30)),
    deadline=st.integers(min_value=1, max_value=30),
    country_code=st.sampled_from(["UZ", "KG"]),
)
@pytest.mark.django_db
def test_due_date_is_the_legal_deadline_in_working_days(received, deadline, country_code):
    land = country(country_code)
    org = OrganizationFactory(country=land, region=RegionFactory(country=land))
    from khizmat.tenancy.tests.factories import MembershipFactory, UserFactory

    operator = MembershipFactory(organization=org, role=Role.OPERATOR, user=UserFactory()).user
    service = ServiceFactory(organization=org, deadline_working_days=deadline)
    application = _register(org, operator, service, received_at=received.replace(tzinfo=TASHKENT))

    received_on = local_date(application.received_at, org)  # the day in the organization's own zone
    assert is_working_day(land, application.due_date)
    assert working_days_between(land, received_on, application.due_date) == deadline


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("applicant_id_number", "31507900123455"),
        ("applicant_id_number", "12"),
        ("applicant_phone", "+7 912 000 00 00"),
        ("applicant_name", " x "),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(field, value, org_a, operator_a):
    service = ServiceFactory(organization=org_a)
    with pytest.raises(DomainError):
        _register(org_a, operator_a, service, **{field: value})
    assert not Application.objects.filter(organization=org_a).exists()


def test_a_service_of_another_organization_is_refused(org_a, org_b, operator_a):
    with pytest.raises(DomainError):
        _register(org_a, operator_a, ServiceFactory(organization=org_b))


def test_free_services_are_marked_free(org_a, operator_a):
    application = _register(
        org_a, operator_a, ServiceFactory(organization=org_a, fee=0), fee_status=FeeStatus.DUE
    )
    assert application.fee_status == FeeStatus.FREE
    assert application.fee_amount == 0


def test_documents_are_checked_by_content(org_a, operator_a):
    service = ServiceFactory(organization=org_a)
    good = SimpleUploadedFile("passport.pdf", PDF_BYTES, content_type="application/pdf")
    application = _register(org_a, operator_a, service, documents=[good])
    assert application.documents.get().content_type == "application/pdf"

    disguised = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    with pytest.raises(DomainError) as error:
        _register(org_a, operator_a, service, documents=[disguised])
    assert error.value.code == "file_type"
    assert Application.objects.filter(organization=org_a).count() == 1  # the second registration rolled back


def test_too_large_files_are_refused(org_a, operator_a, settings):
    from khizmat.services import documents

    big = SimpleUploadedFile("scan.pdf", PDF_BYTES + b"0" * documents.MAX_UPLOAD_BYTES)
    with pytest.raises(DomainError) as error:
        _register(org_a, operator_a, ServiceFactory(organization=org_a), documents=[big])
    assert error.value.code == "file_too_large"


def test_kyrgyz_organization_checks_the_inn(org_b, member):
    org_b.kind = OrganizationKind.SERVICE_CENTER
    operator = member(org_b, Role.OPERATOR)
    application = _register(org_b, operator, ServiceFactory(organization=org_b))
    assert application.applicant_id_number == VALID_KG_INN
    with pytest.raises(DomainError):
        _register(org_b, operator, ServiceFactory(organization=org_b), applicant_id_number=VALID_PINFL)
