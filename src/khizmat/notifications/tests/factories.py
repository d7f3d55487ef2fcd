import factory
from factory.django import DjangoModelFactory

from khizmat.notifications.models import SmsMessage
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.testing.registry import register


@register
class SmsMessageFactory(DjangoModelFactory):
    class Meta:
        model = SmsMessage

    organization = factory.SubFactory(OrganizationFactory)
    phone = "+998901234567"
    language = "uz"
    text = "Ariza qabul qilindi"
    event = "application_received"
    status = "failed"
