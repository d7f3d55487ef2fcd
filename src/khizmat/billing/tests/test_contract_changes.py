"""A contract's dates never move silently across a closed month: the difference becomes an adjustment, or the
change is refused when the closed month would have to bill an account it never billed."""

import datetime
from decimal import Decimal

import pytest

from khizmat.billing import selectors, services
from khizmat.billing.choices import EntryKind, SubscriberStatus, TariffUnit
from khizmat.billing.models import Adjustment, LedgerEntry
from khizmat.billing.tests.factories import SubscriberCategoryFactory, SubscriberFactory, TariffFactory
from khizmat.core.errors import DomainError
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def manager_b(member, org_b):
    return member(org_b, Role.MANAGER)


@pytest.fixture
def billed(org_b, manager_b):
    """An account billed 31 × 1.00 for January, which is approved and closed."""
    category = SubscriberCategoryFactory(organization=org_b)
    TariffFactory(organization=org_b, category=category, price=Decimal("31.00"), unit=TariffUnit.HOUSEHOLD)
    account = SubscriberFactory(
        organization=org_b, category=category, contract_start=datetime.date(2025, 6, 1)
    )
    run = services.billing_run_request(actor=manager_b, organization=org_b, month=JAN)
    run = services.billing_run_execute(run_id=run.pk)
    services.billing_run_approve(actor=manager_b, run=run)
    assert selectors.subscriber_balance(subscriber=account) == Decimal("31.00")
    return account


def test_ending_a_contract_inside_a_closed_month_credits_the_days_not_served(manager_b, billed):
    services.subscriber_set_status(
        actor=manager_b, subscriber=billed, status=SubscriberStatus.CLOSED, on=datetime.date(2026, 1, 10)
    )
    adjustment = Adjustment.objects.get(subscriber=billed)
    assert adjustment.amount == Decimal("-21.00") and "2026-01" in adjustment.reason
    entry = LedgerEntry.objects.get(adjustment=adjustment)
    assert entry.kind == EntryKind.ADJUSTMENT and entry.entry_date == services.local_today(
        billed.organization
    )
    assert selectors.subscriber_balance(subscriber=billed) == Decimal("10.00")


def test_moving_the_end_within_the_open_months_changes_nothing_billed(manager_b, billed):
    billed.contract_end = datetime.date(2026, 2, 10)
    services.subscriber_save(actor=manager_b, subscriber=billed)
    assert not Adjustment.objects.exists()


def test_a_contract_moves_across_closed_months_only_where_they_billed_it(org_b, manager_b, billed):
    billed.contract_start = datetime.date(2026, 2, 1)
    services.subscriber_save(actor=manager_b, subscriber=billed)  # January credited in full
    assert Adjustment.objects.get(subscriber=billed).amount == Decimal("-31.00")

    billed.contract_start = datetime.date(2026, 1, 20)  # back into January, where it was billed: 12 days
    services.subscriber_save(actor=manager_b, subscriber=billed)
    assert selectors.subscriber_balance(subscriber=billed) == Decimal("12.00")

    newcomer = SubscriberFactory.build(
        organization=org_b,
        category=billed.category,
        settlement=billed.settlement,
        number="",
        contract_start=datetime.date(2026, 1, 15),
    )
    with pytest.raises(DomainError) as error:
        services.subscriber_save(actor=manager_b, subscriber=newcomer)
    assert error.value.code == "contract_in_closed_period"
    assert newcomer.pk is None or not type(newcomer).objects.filter(pk=newcomer.pk).exists()
