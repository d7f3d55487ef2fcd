import factory
from factory.django import DjangoModelFactory

from khizmat.core.models import NumberSequence
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.testing.registry import register


@register
class NumberSequenceFactory(DjangoModelFactory):
    class Meta:
        model = NumberSequence

    organization = factory.SubFactory(OrganizationFactory)
    key = factory.Sequence(lambda n: f"test:{n}")
