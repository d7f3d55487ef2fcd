"""A billing run bills every billable account once, prorates part months, applies exemptions and is idempotent."""

import datetime
from decimal import Decimal
from unittest.mock import patch

import pytest

from khizmat.billing import selectors, services
from khizmat.billing.choices import RunStatus, SubscriberStatus, TariffUnit
from khizmat.billing.models import Invoice, LedgerEntry
from khizmat.billing.money import prorated_amount
from khizmat.billing.tests.factories import (
    BillingPeriodFactory,
    ExemptionFactory,
    SubscriberCategoryFactory,
    SubscriberFactory,
    TariffFactory,
)
from khizmat.core.errors import DomainError
from khizmat.tenancy.roles import Role

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def manager_b(member, org_b):
    return member(org_b, Role.MANAGER)


@pytest.fixture
def category(org_b):
    return SubscriberCategoryFactory(organization=org_b)


@pytest.fixture
def tariff(org_b, category):
    return TariffFactory(
        organization=org_b, category=category, price=Decimal("25.00"), unit=TariffUnit.PERSON
    )


def run_period(actor, organization, month=JAN, chunk_size=None):
    period = services.period_get_or_open(organization=organization, month=month)
    run = services.billing_run_start(actor=actor, period=period)
    return services.billing_run_execute(run_id=run.pk, chunk_size=chunk_size)


def test_it_bills_each_account_by_residents(org_b, manager_b, category, tariff):
    accounts = SubscriberFactory.create_batch(3, organization=org_b, category=category, residents=4)
    run = run_period(manager_b, org_b, chunk_size=2)
    assert run.status == RunStatus.DRAFT
    assert run.invoice_count == 3
    assert run.total_amount == Decimal("300.00")
    amounts = set(Invoice.objects.filter(run=run).values_list("subscriber_id", "amount"))
    assert amounts == {(a.pk, Decimal("100.00")) for a in accounts}


def test_it_prorates_part_months_and_applies_exemptions(org_b, manager_b, category, tariff):
    starts = SubscriberFactory(
        organization=org_b, category=category, residents=3, contract_start=datetime.date(2026, 1, 11)
    )
    ends = SubscriberFactory(
        organization=org_b,
        category=category,
        residents=3,
        contract_end=datetime.date(2026, 1, 7),
        status=SubscriberStatus.CLOSED,
    )
    exempt = SubscriberFactory(
        organization=org_b, category=category, residents=3, exemption=ExemptionFactory(organization=org_b)
    )
    SubscriberFactory(organization=org_b, category=category, status=SubscriberStatus.SUSPENDED)
    SubscriberFactory(organization=org_b, category=category, contract_start=datetime.date(2026, 2, 1))
    run = run_period(manager_b, org_b)
    amounts = dict(Invoice.objects.filter(run=run).values_list("subscriber_id", "amount"))
    assert amounts == {
        starts.pk: prorated_amount(
            price=Decimal(25), quantity=3, days_billed=21, days_in_period=31, discount_percent=0
        ),
        ends.pk: prorated_amount(
            price=Decimal(25), quantity=3, days_billed=7, days_in_period=31, discount_percent=0
        ),
        exempt.pk: Decimal("37.50"),
    }
    assert amounts[starts.pk] == Decimal("50.81")


def test_it_uses_the_tariff_in_force_for_the_month(org_b, manager_b, category, tariff):
    TariffFactory(
        organization=org_b,
        category=category,
        price=Decimal("30.00"),
        effective_from=datetime.date(2026, 2, 1),
    )
    account = SubscriberFactory(organization=org_b, category=category, residents=1)
    run_period(manager_b, org_b, JAN)
    run_period(manager_b, org_b, datetime.date(2026, 2, 1))
    prices = sorted(Invoice.objects.filter(subscriber=account).values_list("price", flat=True))
    assert prices == [Decimal("25.00"), Decimal("30.00")]


def test_a_new_run_replaces_the_draft_and_changes_nothing(org_b, manager_b, category, tariff):
    SubscriberFactory.create_batch(4, organization=org_b, category=category)
    first = run_period(manager_b, org_b)
    before = sorted(Invoice.objects.filter(run=first).values_list("subscriber_id", "service", "amount"))
    second = run_period(manager_b, org_b)
    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED
    assert not Invoice.objects.filter(run=first).exists()
    assert (
        sorted(Invoice.objects.filter(run=second).values_list("subscriber_id", "service", "amount")) == before
    )


def test_approval_posts_once_and_locks_the_period(org_b, manager_b, category, tariff):
    account = SubscriberFactory(organization=org_b, category=category, residents=2)
    run = run_period(manager_b, org_b)
    services.billing_run_approve(actor=manager_b, run=run)
    services.billing_run_approve(actor=manager_b, run=run)  # a retried approval changes nothing
    assert LedgerEntry.objects.filter(subscriber=account).count() == 1
    assert selectors.subscriber_balance(subscriber=account) == Decimal("50.00")
    with pytest.raises(DomainError) as error:
        run_period(manager_b, org_b)
    assert error.value.code == "period_closed"


def test_a_killed_run_resumes_without_duplicates(org_b, manager_b, category, tariff):
    SubscriberFactory.create_batch(7, organization=org_b, category=category)
    period = BillingPeriodFactory(organization=org_b, month=JAN)
    run = services.billing_run_start(actor=manager_b, period=period)
    # Simulate a crash after the first chunk: a chunk commits with its checkpoint, then the process dies.
    services.billing_run_execute(run_id=run.pk, chunk_size=3)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and run.invoice_count == 7
    assert Invoice.objects.filter(run=run).values("subscriber").distinct().count() == 7


def test_it_refuses_without_a_tariff(org_b, manager_b):
    with pytest.raises(DomainError) as error:
        run_period(manager_b, org_b)
    assert error.value.code == "no_tariff"


def test_an_unfinished_run_can_be_queued_again(org_b, manager_b, category, tariff, client_of):
    from django.core.management import call_command
    from django.urls import reverse

    SubscriberFactory.create_batch(3, organization=org_b, category=category)
    period = BillingPeriodFactory(organization=org_b, month=JAN)
    run = services.billing_run_start(actor=manager_b, period=period)
    client = client_of(manager_b)
    response = client.post(reverse("billing:billingrun_resume", args=[run.pk]))
    assert response.status_code == 302
    call_command("billing_resume")
    services.billing_run_execute(run_id=run.pk)  # what the re-queued task does
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT and run.invoice_count == 3
    with pytest.raises(DomainError) as error:
        services.billing_run_resume(actor=manager_b, run=run)
    assert error.value.code == "run_not_in_progress"


def test_the_ledger_is_indexed_by_invoice_first():
    """Deleting a draft checks the ledger for entries of each invoice (the foreign key): without an index that
    starts with ``invoice_id`` every deleted invoice scanned the whole ledger (re-runs took a minute)."""
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, LedgerEntry._meta.db_table)
    assert any(c["index"] and c["columns"][:1] == ["invoice_id"] for c in constraints.values())


def test_a_rerun_replaces_the_draft_in_chunks(org_b, manager_b, category, tariff):
    SubscriberFactory.create_batch(5, organization=org_b, category=category)
    first = run_period(manager_b, org_b)
    draft_ids = set(Invoice.objects.filter(run=first).values_list("pk", flat=True))
    with patch.object(services, "DRAFT_DELETE_CHUNK", 2):
        second = run_period(manager_b, org_b)
    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED
    assert not Invoice.objects.filter(pk__in=draft_ids).exists()
    assert second.status == RunStatus.DRAFT and second.invoice_count == 5
    assert Invoice.objects.filter(period=second.period).count() == 5


@pytest.mark.parametrize(
    "case",
    ["no_tariff", "period_in_future", "period_before_first"],
)
def test_a_refused_run_leaves_no_period_behind(org_b, manager_b, category, case, client_of):
    from django.urls import reverse
    from rest_framework.test import APIClient

    from khizmat.billing.models import BillingPeriod

    month = JAN
    if case != "no_tariff":
        TariffFactory(organization=org_b, category=category, effective_from=datetime.date(2025, 1, 1))
    if case == "period_in_future":
        month = (services.local_today(org_b).replace(day=28) + datetime.timedelta(days=5)).replace(day=1)
    if case == "period_before_first":
        BillingPeriodFactory(organization=org_b, month=JAN, status="closed")
        month = datetime.date(2025, 12, 1)
    periods = set(BillingPeriod.objects.values_list("pk", flat=True))

    with pytest.raises(DomainError) as error:
        services.billing_run_request(actor=manager_b, organization=org_b, month=month)
    assert error.value.code == case
    page = client_of(manager_b).post(reverse("billing:period_list"), {"month": month.strftime("%Y-%m")})
    assert page.status_code == 400
    api = APIClient()
    api.force_login(manager_b)
    answer = api.post("/api/v1/billing-runs/", {"month": month.isoformat()}, format="json")
    assert answer.status_code == 422 and answer.json()["code"] == case

    assert set(BillingPeriod.objects.values_list("pk", flat=True)) == periods
