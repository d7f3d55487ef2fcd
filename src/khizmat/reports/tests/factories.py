import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.reports.choices import ReportSource
from khizmat.reports.models import Open311Client, Report, ReportType, ReportUpdate, ServiceArea
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.testing.registry import register


@register
class ReportTypeFactory(DjangoModelFactory):
    class Meta:
        model = ReportType

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Report type {n}")


@register
class ReportFactory(DjangoModelFactory):
    class Meta:
        model = Report

    organization = factory.SubFactory(OrganizationFactory)
    report_type = factory.SubFactory(ReportTypeFactory, organization=factory.SelfAttribute("..organization"))
    number = factory.Sequence(lambda n: f"R-2026-{n:06d}")
    latitude = "41.872000"
    longitude = "72.941000"
    source = ReportSource.PORTAL
    photo = factory.django.ImageField(filename="photo.png", format="PNG", width=20, height=20)
    requested_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)
    expected_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=5))


@register
class ReportUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ReportUpdate

    organization = factory.SubFactory(OrganizationFactory)
    report = factory.SubFactory(ReportFactory, organization=factory.SelfAttribute("..organization"))
    status = "open"
    at = factory.LazyFunction(timezone.now)


@register
class Open311ClientFactory(DjangoModelFactory):
    class Meta:
        model = Open311Client

    organization = factory.SubFactory(OrganizationFactory)
    name = "City app"


@register
class ServiceAreaFactory(DjangoModelFactory):
    class Meta:
        model = ServiceArea

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Area {n}")
