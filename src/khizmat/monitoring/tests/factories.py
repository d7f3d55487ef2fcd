import datetime

import factory
from factory.django import DjangoModelFactory

from khizmat.monitoring.models import Granularity, KpiTouch, MeasureValue
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.testing.registry import register


@register
class MeasureValueFactory(DjangoModelFactory):
    class Meta:
        model = MeasureValue

    organization = factory.SubFactory(OrganizationFactory)
    measure = "applications.received"
    granularity = Granularity.DAY
    start = factory.Sequence(lambda n: datetime.date(2031, 1, 1) + datetime.timedelta(days=n))
    count = 3


@register
class KpiTouchFactory(DjangoModelFactory):
    class Meta:
        model = KpiTouch

    organization = factory.SubFactory(OrganizationFactory)
    source = "applications"
    day = factory.Sequence(lambda n: datetime.date(2031, 1, 1) + datetime.timedelta(days=n))
