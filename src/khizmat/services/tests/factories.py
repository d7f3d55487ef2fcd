import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.services.choices import ApplicationStatus, FeeStatus, ServiceCategory
from khizmat.services.models import Application, ApplicationDocument, ApplicationTransition, Service
from khizmat.tenancy.tests.factories import OrganizationFactory, UserFactory
from khizmat.testing.registry import register

VALID_PINFL = "31507900123452"  # 15.07.1990, check digit 2 (weights 7, 3, 1)
VALID_KG_INN = "21507199000123"  # male, 15.07.1990

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@register
class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"S{n:03d}")
    name = factory.Sequence(lambda n: f"Service {n}")
    category = ServiceCategory.CIVIL_REGISTRY
    fee = Decimal("34000.00")
    currency = factory.LazyAttribute(lambda o: o.organization.country.currency)
    deadline_working_days = 5


@register
class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    organization = factory.SubFactory(OrganizationFactory)
    service = factory.SubFactory(ServiceFactory, organization=factory.SelfAttribute("..organization"))
    number = factory.Sequence(lambda n: f"T-2026-{n:06d}")
    applicant_name = "Karimov Shohrux Anvarovich"
    applicant_id_number = VALID_PINFL
    currency = factory.LazyAttribute(lambda o: o.service.currency)
    fee_amount = factory.LazyAttribute(lambda o: o.service.fee)
    fee_status = FeeStatus.PAID
    received_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    registered_by = factory.SubFactory(UserFactory)
    status = ApplicationStatus.RECEIVED


@register
class ApplicationTransitionFactory(DjangoModelFactory):
    class Meta:
        model = ApplicationTransition

    organization = factory.SubFactory(OrganizationFactory)
    application = factory.SubFactory(ApplicationFactory, organization=factory.SelfAttribute("..organization"))
    to_status = ApplicationStatus.RECEIVED
    actor = factory.SubFactory(UserFactory)
    at = factory.LazyFunction(timezone.now)


@register
class ApplicationDocumentFactory(DjangoModelFactory):
    class Meta:
        model = ApplicationDocument

    organization = factory.SubFactory(OrganizationFactory)
    application = factory.SubFactory(ApplicationFactory, organization=factory.SelfAttribute("..organization"))
    file = factory.django.FileField(filename="passport.pdf", data=PDF_BYTES)
    original_name = "passport.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    uploaded_by = factory.SubFactory(UserFactory)
