import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.queue.models import Counter, QueueScreen, QueueTicket, ServiceGroup
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.testing.registry import register


@register
class ServiceGroupFactory(DjangoModelFactory):
    class Meta:
        model = ServiceGroup

    organization = factory.SubFactory(OrganizationFactory)
    letter = factory.Sequence(lambda n: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n % 26])
    name = factory.Sequence(lambda n: f"Group {n}")


@register
class CounterFactory(DjangoModelFactory):
    class Meta:
        model = Counter

    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: n + 1)
    group_letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@register
class QueueTicketFactory(DjangoModelFactory):
    class Meta:
        model = QueueTicket

    organization = factory.SubFactory(OrganizationFactory)
    group = factory.SubFactory(ServiceGroupFactory, organization=factory.SelfAttribute("..organization"))
    day = factory.LazyFunction(timezone.localdate)
    sequence = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(lambda o: f"{o.group.letter}-{o.sequence:03d}")
    issued_at = factory.LazyFunction(timezone.now)
    waiting_since = factory.SelfAttribute("issued_at")


@register
class QueueScreenFactory(DjangoModelFactory):
    class Meta:
        model = QueueScreen

    organization = factory.SubFactory(OrganizationFactory)
    kind = QueueScreen.Kind.BOARD
    name = "TV in the hall"
