import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from khizmat.monitoring.models import (
    Granularity,
    Indicator,
    IndicatorResult,
    IndicatorTarget,
    KpiTouch,
    MeasureValue,
    OpenDataPublication,
)
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.testing.registry import register


@register
class OpenDataPublicationFactory(DjangoModelFactory):
    class Meta:
        model = OpenDataPublication

    organization = factory.SubFactory(OrganizationFactory)
    is_published = True


@register
class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    organization = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.FUNDER_PROJECT)
    code = factory.Sequence(lambda n: f"1.{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")


@register
class IndicatorTargetFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    organization = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.FUNDER_PROJECT)
    indicator = factory.SubFactory(IndicatorFactory, organization=factory.SelfAttribute("..organization"))
    site = factory.SubFactory(OrganizationFactory)
    baseline = Decimal("10")
    target = Decimal("50")


@register
class IndicatorResultFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorResult

    organization = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.FUNDER_PROJECT)
    indicator = factory.SubFactory(IndicatorFactory, organization=factory.SelfAttribute("..organization"))
    site = factory.SubFactory(OrganizationFactory)
    as_of = datetime.date(2026, 6, 30)
    value = Decimal("25")


@register
class MeasureValueFactory(DjangoModelFactory):
    class Meta:
        model = MeasureValue

    organization = factory.SubFactory(OrganizationFactory)
    measure = "applications.received"
    granularity = Granularity.DAY
    start = factory.Sequence(lambda n: datetime.date(2031, 1, 1) + datetime.timedelta(days=n))
    total = Decimal("0")
    count = 3


@register
class KpiTouchFactory(DjangoModelFactory):
    class Meta:
        model = KpiTouch

    organization = factory.SubFactory(OrganizationFactory)
    source = "applications"
    day = factory.Sequence(lambda n: datetime.date(2031, 1, 1) + datetime.timedelta(days=n))
