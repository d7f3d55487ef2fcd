import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.contracts.choices import ActStatus, ContractStatus, WorkSource, WorkUnit
from khizmat.contracts.models import Act, ActLine, Contract, WorkItem, WorkRecord
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.tests.factories import OrganizationFactory, UserFactory
from khizmat.testing.registry import register

_ORG = factory.SelfAttribute("..organization")


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


@register
class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    organization = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.MUNICIPAL_ENTERPRISE)
    customer = factory.SubFactory(
        OrganizationFactory,
        kind=OrganizationKind.AIYL_OKMOTU,
        country=factory.SelfAttribute("..organization.country"),
    )
    number = factory.Sequence(lambda n: f"MZ-{n:03d}")
    title = "Sanitary cleaning of public areas"
    starts_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    ends_on = factory.LazyFunction(lambda: timezone.localdate().replace(month=12, day=31))
    status = ContractStatus.ACTIVE


@register
class WorkItemFactory(DjangoModelFactory):
    class Meta:
        model = WorkItem

    organization = factory.SubFactory(OrganizationFactory)
    contract = factory.SubFactory(ContractFactory, organization=_ORG)
    code = factory.Sequence(lambda n: f"W{n}")
    name = "Street sweeping"
    unit = WorkUnit.KILOMETRE
    unit_price = Decimal("850.00")
    planned_quantity = Decimal("1200.000")
    source = WorkSource.MANUAL


@register
class WorkRecordFactory(DjangoModelFactory):
    class Meta:
        model = WorkRecord

    organization = factory.SubFactory(OrganizationFactory)
    work_item = factory.SubFactory(WorkItemFactory, organization=_ORG)
    date = factory.LazyFunction(timezone.localdate)
    quantity = Decimal("12.500")
    note = "Lenin street"
    photo = factory.django.ImageField(filename="work.png", format="PNG", width=20, height=20)
    recorded_by = factory.SubFactory(UserFactory)
    recorded_at = factory.LazyFunction(timezone.now)


@register
class ActFactory(DjangoModelFactory):
    class Meta:
        model = Act

    organization = factory.SubFactory(OrganizationFactory)
    contract = factory.SubFactory(ContractFactory, organization=_ORG)
    month = factory.LazyFunction(this_month)
    number = factory.LazyAttribute(lambda o: f"{o.contract.number}/{o.month:%m.%Y}")
    status = ActStatus.DRAFT


@register
class ActLineFactory(DjangoModelFactory):
    class Meta:
        model = ActLine

    organization = factory.SubFactory(OrganizationFactory)
    act = factory.SubFactory(ActFactory, organization=_ORG)
    work_item = factory.SubFactory(
        WorkItemFactory, organization=_ORG, contract=factory.SelfAttribute("..act.contract")
    )
    planned_quantity = Decimal("100.000")
    actual_quantity = Decimal("0.000")
    unit_price = Decimal("850.00")
    amount = Decimal("0.00")
