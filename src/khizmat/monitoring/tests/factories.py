import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from khizmat.monitoring.models import Indicator, IndicatorResult, IndicatorTarget, OpenDataPublication
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
