"""PostgreSQL restarted while a bank statement is posted: posting is one transaction, so the statement is either
posted whole or not at all — no payment, ledger entry, balance row or replay key of a half-posted statement — and
posting again afterwards posts every line once, exactly as an uninterrupted posting does."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.db.models import Sum

from khizmat.billing import statements
from khizmat.billing.checks import ledger_problems
from khizmat.billing.choices import LineStatus, PaymentMethod, StatementStatus
from khizmat.billing.models import (
    AccountMonth,
    BankProfile,
    LedgerEntry,
    Payment,
    PaymentRequest,
    StatementLine,
    Subscriber,
)
from khizmat.billing.tests.factories import BankProfileFactory, SubscriberCategoryFactory
from khizmat.core.errors import DomainError
from khizmat.tenancy.roles import Role
from khizmat.tenancy.tests.factories import SettlementFactory
from tests.faults.helpers import FaultAt, postgresql_only, run_in_thread

pytestmark = [
    postgresql_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LINES = 200
LEDGER_TABLE = LedgerEntry._meta.db_table


def uploaded_statement(organization, cashier):
    category = SubscriberCategoryFactory(organization=organization)
    settlement = SettlementFactory()
    Subscriber.objects.bulk_create(
        Subscriber(
            organization=organization,
            number=f"{n + 1:07d}",
            holder_name=f"Holder {n}",
            settlement=settlement,
            street="Main street",
            house=str(n),
            category=category,
            contract_start=datetime.date(2020, 1, 1),
            search_key="",
        )
        for n in range(LINES)
    )
    profile = BankProfileFactory(
        organization=organization,
        method=PaymentMethod.BANK,
        date_column="Date",
        amount_column="Amount",
        account_column="Account",
        reference_column="Reference",
        payer_column="",
        purpose_column="",
        date_format=BankProfile.DateFormat.DMY,
    )
    rows = [f"{n % 28 + 1:02d}.03.2026;{100 + n}.{n % 100:02d};{n + 1:07d};P-{n}" for n in range(LINES)]
    text = "Date;Amount;Account;Reference\n" + "\n".join(rows) + "\n"
    upload = SimpleUploadedFile("statement.csv", text.encode(), content_type="text/csv")
    statement = statements.statement_upload(actor=cashier, profile=profile, upload=upload)
    # The control: what an uninterrupted posting pays, by account.
    control = {
        Subscriber.objects.get(organization=organization, number=f"{n + 1:07d}").pk: Decimal(
            f"{100 + n}.{n % 100:02d}"
        )
        for n in range(LINES)
    }
    return statement, control


def test_a_posting_cut_off_by_a_restart_leaves_nothing_and_posting_again_posts_each_line_once(org_b, member):
    cashier = member(org_b, Role.CASHIER)
    statement, control = uploaded_statement(org_b, cashier)
    assert StatementLine.objects.filter(statement=statement, status=LineStatus.MATCHED).count() == LINES
    # The connection drops after the payments were copied in, at the ledger's INSERT…SELECT.
    cut = FaultAt(lambda sql: sql.lstrip().startswith("INSERT") and LEDGER_TABLE in sql, 1)

    _posted, error = run_in_thread(
        lambda: statements.statement_post(actor=cashier, statement=statement), fault=cut
    )

    assert cut.fired
    assert isinstance(error, OperationalError), error
    statement.refresh_from_db()
    assert (statement.status, statement.posted_count, statement.posted_at) == (
        StatementStatus.REVIEW,
        0,
        None,
    )
    assert not Payment.objects.filter(organization=org_b).exists()
    assert not LedgerEntry.objects.filter(organization=org_b).exists()
    assert not PaymentRequest.objects.filter(organization=org_b).exists()
    assert not AccountMonth.objects.filter(organization=org_b).exists()
    assert StatementLine.objects.filter(statement=statement, status=LineStatus.MATCHED).count() == LINES

    # Posting again (the cashier presses «Post» once more) posts everything, once.
    assert statements.statement_post(actor=cashier, statement=statement) == LINES

    statement.refresh_from_db()
    assert (statement.status, statement.posted_count) == (StatementStatus.POSTED, LINES)
    paid = dict(Payment.objects.filter(organization=org_b).values_list("subscriber_id", "amount"))
    assert paid == control and Payment.objects.filter(organization=org_b).count() == LINES
    entries = LedgerEntry.objects.filter(organization=org_b)
    assert entries.count() == LINES
    assert entries.aggregate(total=Sum("amount"))["total"] == -sum(control.values())
    assert PaymentRequest.objects.filter(organization=org_b).count() == LINES
    assert ledger_problems(organization=org_b) == []  # balance table agrees with the ledger
    # And a third press changes nothing.
    with pytest.raises(DomainError, match="already posted"):
        statements.statement_post(actor=cashier, statement=statement)
    assert Payment.objects.filter(organization=org_b).count() == LINES
