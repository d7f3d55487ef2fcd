"""``khizmat billing_check`` finds a document without its ledger entry or with a different amount."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from khizmat.billing import services
from khizmat.billing.checks import ledger_problems
from khizmat.billing.choices import PaymentMethod
from khizmat.billing.models import LedgerEntry
from khizmat.billing.tests.factories import PaymentFactory, SubscriberFactory
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def test_a_consistent_ledger_passes(org_b, member):
    cashier = member(org_b, Role.CASHIER)
    account = SubscriberFactory(organization=org_b)
    services.payment_post(
        actor=cashier,
        subscriber=account,
        amount="10",
        method=PaymentMethod.BANK,
        idempotency_key="k",
        permission="billing.cash",
    )
    assert ledger_problems(organization=org_b) == []
    call_command("billing_check")


def test_it_reports_a_missing_entry_and_a_changed_amount(org_b, member):
    cashier = member(org_b, Role.CASHIER)
    account = SubscriberFactory(organization=org_b)
    payment, _ = services.payment_post(
        actor=cashier, subscriber=account, amount="10", method=PaymentMethod.BANK, idempotency_key="k"
    )
    PaymentFactory(organization=org_b, subscriber=account)  # written around the services: no entry
    LedgerEntry.objects.filter(payment=payment).update(amount=Decimal("-9.00"))
    problems = ledger_problems(organization=org_b)
    assert any("without a ledger entry" in p for p in problems)
    assert any("differs from the payment" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("billing_check", organization=org_b.code)
