import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.api.models import ApiToken
from khizmat.api.services import api_token_create
from khizmat.tenancy.tests.factories import UserFactory
from khizmat.testing.registry import register


@register
class ApiTokenFactory(DjangoModelFactory):
    """A token row (its key unknown); use :func:`token_key` for a key that authenticates."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "script"
    prefix = factory.Sequence(lambda n: f"k{n:07d}")
    key_hash = factory.Sequence(lambda n: f"{n:064x}")
    password_fingerprint = ""
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))


def token_key(user, name: str = "tests") -> str:
    """A working API key for ``user`` (``Authorization: Token <key>``)."""
    return api_token_create(user=user, name=name)[1]
