import factory
from factory.django import DjangoModelFactory

from khizmat.monitoring.models import OpenDataPublication
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.testing.registry import register


@register
class OpenDataPublicationFactory(DjangoModelFactory):
    class Meta:
        model = OpenDataPublication

    organization = factory.SubFactory(OrganizationFactory)
    is_published = True
