import pytest

from khizmat.inventory.tests.factories import FunderProjectFactory
from khizmat.tenancy.roles import Role


@pytest.fixture
def manager_a(member, org_a):
    return member(org_a, Role.MANAGER)


@pytest.fixture
def funder(db, org_a):
    return FunderProjectFactory(code="eu-undp", name="EU/UNDP project", country=org_a.country)
