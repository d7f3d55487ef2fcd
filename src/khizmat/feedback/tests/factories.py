import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.feedback.choices import CaseKind, RatingChannel
from khizmat.feedback.models import FeedbackCase, Rating
from khizmat.services.tests.factories import ApplicationFactory
from khizmat.tenancy.tests.factories import OrganizationFactory
from khizmat.testing.registry import register


@register
class RatingFactory(DjangoModelFactory):
    class Meta:
        model = Rating

    organization = factory.SubFactory(OrganizationFactory)
    score = 4
    channel = RatingChannel.QR
    application = factory.SubFactory(ApplicationFactory, organization=factory.SelfAttribute("..organization"))
    created_at = factory.LazyFunction(timezone.now)


@register
class FeedbackCaseFactory(DjangoModelFactory):
    class Meta:
        model = FeedbackCase

    organization = factory.SubFactory(OrganizationFactory)
    kind = CaseKind.COMPLAINT
    text = "The operator was rude and the queue took two hours."
    created_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
