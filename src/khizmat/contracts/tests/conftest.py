"""Both sides of a municipal order: the enterprise (org_b, the provider) and the aiyl okmotu that ordered the work and
oversees it, each with a manager; a contract in force from two months ago with a manual and a trip-log work item."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from khizmat.contracts.choices import WorkSource, WorkUnit
from khizmat.contracts.tests.factories import ContractFactory, WorkItemFactory
from khizmat.tenancy.choices import OrganizationKind, OversightKind
from khizmat.tenancy.models import Oversight
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import OrganizationFactory


def add_months(month: datetime.date, count: int) -> datetime.date:
    years, index = divmod(month.month - 1 + count, 12)
    return month.replace(year=month.year + years, month=index + 1, day=1)


@pytest.fixture
def this_month():
    return timezone.localdate().replace(day=1)


@pytest.fixture
def last_month(this_month):
    return add_months(this_month, -1)


@pytest.fixture
def provider(org_b):
    return org_b


@pytest.fixture
def customer(provider):
    aiyl = OrganizationFactory(
        code="tepke-test",
        name="Tepke aiyl okmotu",
        kind=OrganizationKind.AIYL_OKMOTU,
        country=provider.country,
    )
    Oversight.objects.create(overseer=aiyl, overseen=provider, kind=OversightKind.OWNER)
    return aiyl


@pytest.fixture
def provider_manager(member, provider):
    return member(provider, Role.MANAGER, language="en")


@pytest.fixture
def customer_manager(member, customer):
    return member(customer, Role.MANAGER, language="en")


@pytest.fixture
def contract(provider, customer, this_month):
    return ContractFactory(
        organization=provider,
        customer=customer,
        number="MZ-2026-01",
        starts_on=add_months(this_month, -2),
        ends_on=add_months(this_month, 10) - datetime.timedelta(days=1),
    )


@pytest.fixture
def sweeping(contract):
    return WorkItemFactory(
        organization=contract.organization,
        contract=contract,
        code="2",
        name="Street sweeping",
        unit=WorkUnit.KILOMETRE,
        unit_price=Decimal("950.00"),
        planned_quantity=Decimal("1800"),
    )


@pytest.fixture
def waste(contract):
    return WorkItemFactory(
        organization=contract.organization,
        contract=contract,
        code="1",
        name="Waste removal from public areas",
        unit=WorkUnit.CUBIC_METRE,
        unit_price=Decimal("380.00"),
        planned_quantity=Decimal("4800"),
        source=WorkSource.TRIP_LOADS,
    )
