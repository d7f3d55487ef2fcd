"""A figure made of money is not added across currencies: act fulfilment of an Uzbek and a Kyrgyz enterprise
together is None, each country's own is given."""

from decimal import Decimal

import pytest

from khizmat.monitoring import services
from khizmat.monitoring.tests.helpers import FEBRUARY, kpi_values
from khizmat.monitoring.tests.test_fieldwork_kpis import _accepted_act
from khizmat.tenancy.choices import OrganizationKind
from khizmat.tenancy.tests.factories import OrganizationFactory, country

pytestmark = pytest.mark.django_db

CODES = {"contracts.act_fulfilment"}


def test_money_figures_across_currencies_are_none(clock):
    uz = OrganizationFactory(kind=OrganizationKind.MUNICIPAL_ENTERPRISE, country=country("UZ"))
    kg = OrganizationFactory(kind=OrganizationKind.MUNICIPAL_ENTERPRISE, country=country("KG"))
    _accepted_act(uz, FEBRUARY, [("100", "1000", "50")])
    _accepted_act(kg, FEBRUARY, [("100", "10", "100")])
    services.kpi_rebuild()
    together = kpi_values([uz, kg], codes=CODES, month_from=FEBRUARY, month_to=FEBRUARY)
    assert together["contracts.act_fulfilment"] is None
    by_country = kpi_values([uz, kg], codes=CODES, month_from=FEBRUARY, month_to=FEBRUARY, group_by="country")
    assert sorted(row["contracts.act_fulfilment"] for row in by_country.values()) == [
        Decimal(50),
        Decimal(100),
    ]
