import datetime

import factory
from factory.django import DjangoModelFactory

from khizmat.tenancy.choices import (
    CalendarDayKind,
    DistrictKind,
    OrganizationKind,
    OversightKind,
    SettlementKind,
)
from khizmat.tenancy.models import (
    CalendarDay,
    Country,
    District,
    Membership,
    Organization,
    Oversight,
    PersonalDataAccess,
    Region,
    RetentionRun,
    Settlement,
    User,
)
from khizmat.tenancy.roles import Role
from khizmat.tenancy.sequences import NumberSequence
from khizmat.testing.registry import register

TEST_PASSWORD = "correct-horse-battery"


def country(code: str = "UZ") -> Country:
    """Countries come from the data migration: look them up, never create them."""
    return Country.objects.get(code=code)


@register
class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "UZ"


@register
class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region

    country = factory.LazyFunction(country)
    code = factory.Sequence(lambda n: f"R{n}")
    name = factory.Sequence(lambda n: f"Region {n}")


@register
class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    kind = DistrictKind.DISTRICT
    name = factory.Sequence(lambda n: f"District {n}")


@register
class SettlementFactory(DjangoModelFactory):
    class Meta:
        model = Settlement

    district = factory.SubFactory(DistrictFactory)
    kind = SettlementKind.VILLAGE
    name = factory.Sequence(lambda n: f"Village {n}")


@register
class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"org-{n}")
    kind = OrganizationKind.SERVICE_CENTER
    name = factory.Sequence(lambda n: f"Organization {n}")
    country = factory.LazyFunction(country)
    region = factory.SubFactory(RegionFactory, country=factory.SelfAttribute("..country"))


@register
class OversightFactory(DjangoModelFactory):
    class Meta:
        model = Oversight

    overseer = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.AGENCY)
    overseen = factory.SubFactory(OrganizationFactory)
    kind = OversightKind.BRANCH


@register
class CalendarDayFactory(DjangoModelFactory):
    class Meta:
        model = CalendarDay

    country = factory.LazyFunction(country)
    date = factory.Sequence(lambda n: datetime.date(2030, 1, 1) + datetime.timedelta(days=n))
    kind = CalendarDayKind.HOLIDAY
    name = "Test holiday"


@register
class UserFactory(DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Dilnoza"
    last_name = factory.Sequence(lambda n: f"Karimova{n}")
    password = factory.django.Password(TEST_PASSWORD)


@register
class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.OPERATOR


@register
class NumberSequenceFactory(DjangoModelFactory):
    class Meta:
        model = NumberSequence

    organization = factory.SubFactory(OrganizationFactory)
    key = factory.Sequence(lambda n: f"test:{n}")


@register
class PersonalDataAccessFactory(DjangoModelFactory):
    class Meta:
        model = PersonalDataAccess

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    record_type = "services.application"
    record_id = factory.Sequence(lambda n: n + 1)
    record_label = factory.Sequence(lambda n: f"A-{n}")
    view = "services:application_detail"
    address = "127.0.0.1"


@register
class RetentionRunFactory(DjangoModelFactory):
    class Meta:
        model = RetentionRun

    started_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))
    finished_at = factory.LazyAttribute(lambda o: o.started_at)
    cutoff = factory.LazyAttribute(lambda o: o.started_at - datetime.timedelta(days=1826))
    retention_days = 1826
    counts = factory.LazyFunction(dict)
