import datetime
import uuid
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from khizmat.billing import balances
from khizmat.billing import models as m
from khizmat.billing.choices import (
    BillingService,
    EntryKind,
    LineStatus,
    PaymentMethod,
    SubscriberKind,
    TariffUnit,
)
from khizmat.tenancy.tests.factories import OrganizationFactory, SettlementFactory, UserFactory
from khizmat.testing.registry import register

_ORG = factory.SelfAttribute("..organization")


def _currency(o):
    return o.organization.currency


@register
class SubscriberCategoryFactory(DjangoModelFactory):
    class Meta:
        model = m.SubscriberCategory

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"cat-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")
    kind = SubscriberKind.HOUSEHOLD


@register
class ExemptionFactory(DjangoModelFactory):
    class Meta:
        model = m.Exemption

    organization = factory.SubFactory(OrganizationFactory)
    name = "War veterans"
    percent = Decimal("50")


@register
class TariffFactory(DjangoModelFactory):
    class Meta:
        model = m.Tariff

    organization = factory.SubFactory(OrganizationFactory)
    category = factory.SubFactory(SubscriberCategoryFactory, organization=_ORG)
    service = BillingService.WASTE_COLLECTION
    unit = TariffUnit.PERSON
    price = Decimal("25.00")
    currency = factory.LazyAttribute(_currency)
    effective_from = datetime.date(2020, 1, 1)
    decision_number = "12/3"
    decision_date = datetime.date(2019, 12, 20)
    council = "Town council"


@register
class SubscriberFactory(DjangoModelFactory):
    class Meta:
        model = m.Subscriber
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    number = factory.Sequence(lambda n: f"{n + 1:07d}")
    kind = SubscriberKind.HOUSEHOLD
    holder_name = factory.Sequence(lambda n: f"Holder {n}")
    settlement = factory.SubFactory(SettlementFactory)
    street = "Main street"
    house = factory.Sequence(lambda n: str(n + 1))
    category = factory.SubFactory(SubscriberCategoryFactory, organization=_ORG)
    residents = 4
    contract_start = datetime.date(2020, 1, 1)

    @factory.post_generation
    def searchable(obj, create, extracted, **kwargs):
        obj.refresh_search_key()
        if create:
            m.Subscriber.objects.filter(pk=obj.pk).update(search_key=obj.search_key)


@register
class BillingPeriodFactory(DjangoModelFactory):
    class Meta:
        model = m.BillingPeriod
        django_get_or_create = ("organization", "month")

    organization = factory.SubFactory(OrganizationFactory)
    month = datetime.date(2026, 1, 1)


@register
class BillingRunFactory(DjangoModelFactory):
    class Meta:
        model = m.BillingRun

    organization = factory.SubFactory(OrganizationFactory)
    period = factory.SubFactory(BillingPeriodFactory, organization=_ORG)
    requested_at = factory.LazyFunction(timezone.now)


@register
class InvoiceFactory(DjangoModelFactory):
    class Meta:
        model = m.Invoice

    organization = factory.SubFactory(OrganizationFactory)
    run = factory.SubFactory(BillingRunFactory, organization=_ORG)
    period = factory.SelfAttribute("run.period")
    subscriber = factory.SubFactory(SubscriberFactory, organization=_ORG)
    tariff = factory.SubFactory(TariffFactory, organization=_ORG)
    service = BillingService.WASTE_COLLECTION
    unit = TariffUnit.PERSON
    quantity = Decimal("4")
    price = Decimal("25.00")
    days_billed = 31
    days_in_period = 31
    amount = Decimal("100.00")
    currency = factory.LazyAttribute(_currency)


@register
class CashDeskFactory(DjangoModelFactory):
    class Meta:
        model = m.CashDesk

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"desk-{n}")
    name = factory.Sequence(lambda n: f"Window {n}")


@register
class CashClosingFactory(DjangoModelFactory):
    class Meta:
        model = m.CashClosing

    organization = factory.SubFactory(OrganizationFactory)
    desk = factory.SubFactory(CashDeskFactory, organization=_ORG)
    date = factory.LazyFunction(timezone.localdate)
    cashier = factory.SubFactory(UserFactory)
    payments_count = 0
    total_received = Decimal("0")
    reversals_count = 0
    total_reversed = Decimal("0")
    expected_cash = Decimal("0")
    counted_cash = Decimal("0")
    difference = Decimal("0")
    currency = factory.LazyAttribute(_currency)
    closed_at = factory.LazyFunction(timezone.now)


@register
class PaymentFactory(DjangoModelFactory):
    class Meta:
        model = m.Payment

    organization = factory.SubFactory(OrganizationFactory)
    subscriber = factory.SubFactory(SubscriberFactory, organization=_ORG)
    amount = Decimal("150.00")
    currency = factory.LazyAttribute(_currency)
    method = PaymentMethod.BANK
    received_at = factory.LazyFunction(timezone.now)
    received_on = factory.LazyFunction(timezone.localdate)
    idempotency_key = factory.LazyFunction(lambda: str(uuid.uuid4()))


@register
class PaymentRequestFactory(DjangoModelFactory):
    class Meta:
        model = m.PaymentRequest

    organization = factory.SubFactory(OrganizationFactory)
    key = factory.LazyFunction(lambda: str(uuid.uuid4()))
    fingerprint = "0" * 64
    created_at = factory.LazyFunction(timezone.now)


@register
class AdjustmentFactory(DjangoModelFactory):
    class Meta:
        model = m.Adjustment

    organization = factory.SubFactory(OrganizationFactory)
    subscriber = factory.SubFactory(SubscriberFactory, organization=_ORG)
    amount = Decimal("-20.00")
    currency = factory.LazyAttribute(_currency)
    reason = "Recalculated after a dispute"
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)


@register
class LedgerEntryFactory(DjangoModelFactory):
    class Meta:
        model = m.LedgerEntry

    organization = factory.SubFactory(OrganizationFactory)
    subscriber = factory.SubFactory(SubscriberFactory, organization=_ORG)
    kind = EntryKind.ADJUSTMENT
    amount = Decimal("10.00")
    currency = factory.LazyAttribute(_currency)
    entry_date = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Written as every writer of the ledger writes: with its month in the balance table."""
        entry = super()._create(model_class, *args, **kwargs)
        balances.record_entry(entry)
        return entry


@register
class AccountMonthFactory(DjangoModelFactory):
    """A balance row by itself (for the generic tests); rows that agree with a ledger come from LedgerEntryFactory."""

    class Meta:
        model = m.AccountMonth

    organization = factory.SubFactory(OrganizationFactory)
    subscriber = factory.SubFactory(SubscriberFactory, organization=_ORG)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    billed = Decimal("10.00")
    closing_balance = Decimal("10.00")


@register
class MonthTotalFactory(DjangoModelFactory):
    class Meta:
        model = m.MonthTotal
        django_get_or_create = ("organization", "month")

    organization = factory.SubFactory(OrganizationFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    billed = Decimal("10.00")


@register
class BankProfileFactory(DjangoModelFactory):
    class Meta:
        model = m.BankProfile

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Bank {n}")
    date_column = "Date"
    amount_column = "Amount"
    account_column = "Account"
    payer_column = "Payer"
    reference_column = "Reference"


@register
class BankStatementFactory(DjangoModelFactory):
    class Meta:
        model = m.BankStatement

    organization = factory.SubFactory(OrganizationFactory)
    profile = factory.SubFactory(BankProfileFactory, organization=_ORG)
    file_name = "statement.csv"
    sha256 = "0" * 64
    uploaded_by = factory.SubFactory(UserFactory)
    uploaded_at = factory.LazyFunction(timezone.now)


@register
class StatementImportFactory(DjangoModelFactory):
    class Meta:
        model = m.StatementImport

    organization = factory.SubFactory(OrganizationFactory)
    profile = factory.SubFactory(BankProfileFactory, organization=_ORG)
    file_name = "statement.csv"
    content = b""
    uploaded_by = factory.SubFactory(UserFactory)
    uploaded_at = factory.LazyFunction(timezone.now)


@register
class StatementLineFactory(DjangoModelFactory):
    class Meta:
        model = m.StatementLine

    organization = factory.SubFactory(OrganizationFactory)
    statement = factory.SubFactory(BankStatementFactory, organization=_ORG)
    line_number = factory.Sequence(lambda n: n + 1)
    paid_on = factory.LazyFunction(timezone.localdate)
    amount = Decimal("120.00")
    status = LineStatus.UNMATCHED
    idempotency_key = factory.LazyFunction(lambda: f"bank:{uuid.uuid4()}")


@register
class SubscriberImportFactory(DjangoModelFactory):
    class Meta:
        model = m.SubscriberImport

    organization = factory.SubFactory(OrganizationFactory)
    file_name = "subscribers.xlsx"
    content = b""
    uploaded_by = factory.SubFactory(UserFactory)
    uploaded_at = factory.LazyFunction(timezone.now)
