"""``khizmat demo`` gives the pilot service centers a catalog and a consistent history of applications."""

import datetime
from collections import defaultdict

from django.utils import timezone

from khizmat.services.choices import ApplicationStatus
from khizmat.services.models import PENDING_DECISION, Application, ApplicationTransition, Service
from khizmat.services.services import application_number_prefix, application_register
from khizmat.services.tests.factories import VALID_PINFL
from khizmat.services.workflow import TRANSITIONS
from khizmat.tenancy.calendar import is_working_day
from khizmat.tenancy.models import Organization, User
from khizmat.tenancy.scoping import scopes_disabled
from khizmat.tenancy.sequences import NumberSequence
from khizmat.tenancy.validators import validate_phone, validate_pinfl
from khizmat.testing import demo

CENTERS = ("bakhmal", "sariosiyo", "dehkanabad", "xovos", "nurafshon")
LANGUAGES = ("en", "ru", "uz", "uz_cyrl", "ky")
# Every step the workflow allows, plus the registration itself.
LEGAL_STEPS = {(source, t.target) for t in TRANSITIONS.values() for source in t.sources} | {
    ("", ApplicationStatus.RECEIVED)
}


def test_each_center_offers_the_national_catalog_in_five_languages(demo_data, db):
    with scopes_disabled():
        templates = set(
            Service.objects.filter(organization__code="dxa", is_template=True).values_list("code", flat=True)
        )
        assert len(templates) >= 25
        for code in CENTERS:
            services = list(Service.objects.filter(organization__code=code, is_active=True))
            assert len(services) >= 25, code
            for service in services:
                assert not service.is_template
                assert service.template_code == service.code and service.code in templates
                assert all(getattr(service, f"name_{language}") for language in LANGUAGES), service.code
                assert "'" not in service.name_uz  # oʻ and gʻ with U+02BB
                for language in ("uz", "ru", "en"):
                    assert getattr(service, f"required_documents_{language}").strip(), service.code
                assert service.responsible_agency_uz and service.responsible_agency_ru
                assert service.currency == "UZS" and service.fee >= 0
                assert 1 <= service.deadline_working_days <= 30


def test_applications_have_valid_numbers_people_and_workflow_histories(demo_data, db):
    now = timezone.now()
    today = timezone.localdate(now)

    with scopes_disabled():
        steps = defaultdict(list)
        for step in ApplicationTransition.objects.order_by("at", "pk"):
            steps[step.application_id].append(step)
        overdue = 0
        for code in CENTERS:
            center = Organization.objects.select_related("country").get(code=code)
            applications = list(Application.objects.filter(organization=center))
            assert len(applications) == round(1500 * float(demo.SCALE)), code  # 1,500 a center × scale
            numbers = [application.number for application in applications]
            assert len(set(numbers)) == len(numbers)
            assert all(number.startswith(application_number_prefix(center) + "-") for number in numbers)
            for application in applications:
                validate_pinfl(application.applicant_id_number)
                if application.applicant_phone:
                    validate_phone(application.applicant_phone, country_code="UZ")
                received = timezone.localtime(application.received_at)
                assert today - datetime.timedelta(days=184) <= received.date() <= today
                assert is_working_day(center.country, received.date())
                assert datetime.time(9) <= received.time() < datetime.time(17, 30)
                history = steps[application.pk]
                assert (history[0].from_status, history[0].to_status) == ("", ApplicationStatus.RECEIVED)
                assert history[0].at == application.received_at
                assert history[-1].to_status == application.status
                for before, after in zip(history, history[1:], strict=False):
                    assert after.from_status == before.to_status and after.at > before.at
                for step in history:
                    assert (step.from_status, step.to_status) in LEGAL_STEPS
                    assert step.organization_id == center.pk and step.at <= now
                    if step.to_status in (ApplicationStatus.NEEDS_INFO, ApplicationStatus.REJECTED):
                        assert step.comment
                decided = any(
                    s.to_status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED) for s in history
                )
                assert (application.decided_at is not None) == decided
                overdue += application.is_overdue(on=today)
        assert overdue >= 1
        assert all(a.status in PENDING_DECISION for a in Application.objects.all() if a.is_overdue(on=today))


def test_a_rerun_adds_nothing_and_new_registrations_continue_the_numbering(demo_data, db):
    assert demo_data.added_by_second_run(Service, Application, ApplicationTransition, NumberSequence) == {}

    with scopes_disabled():
        center = Organization.objects.select_related("country", "region", "district").get(code="bakhmal")
        service = Service.objects.filter(organization=center, is_active=True).first()
        year = timezone.localdate().year
        prefix = f"{application_number_prefix(center)}-{year}-"
        numbers = Application.objects.filter(organization=center, number__startswith=prefix).values_list(
            "number", flat=True
        )
        highest = max((int(number.rsplit("-", 1)[1]) for number in numbers), default=0)
        application = application_register(
            actor=User.objects.get(username="bakhmal.operator"),
            organization=center,
            service=service,
            applicant_name="Karimov Shohrux Anvarovich",
            applicant_id_number=VALID_PINFL,
            applicant_phone="+998901234567",
        )
    assert application.number == f"{prefix}{highest + 1:06d}"
