"""``khizmat generate``: the benchmark data obeys the product's invariants, and its logins work."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Sum
from django.urls import reverse

from khizmat.billing.checks import ledger_problems
from khizmat.billing.models import BillingRun, Invoice, LedgerEntry, Payment, Subscriber
from khizmat.billing.selectors import subscriber_search
from khizmat.core.demo import DEMO_PASSWORD
from khizmat.core.generate import SCALES, Generator
from khizmat.reports.models import Report
from khizmat.services.models import Application
from khizmat.tenancy.models import Membership, Organization
from khizmat.tenancy.selectors import organization_ids_visible_to_membership
from khizmat.tenancy.sequences import NumberSequence

AS_OF = datetime.date(2026, 11, 20)
TINY = SCALES["tiny"]


@pytest.fixture
def generated(db):
    call_command("generate", "--scale", "tiny", "--as-of", AS_OF.isoformat(), "--force", stdout=_Null())
    return {org.code: org for org in Organization.objects.filter(code__startswith="g0")}


def test_it_writes_the_scale_and_keeps_the_ledger_consistent(generated):
    assert sorted(generated) == ["g0001", "g0002", "g0003", "g0004"]
    utilities = [generated["g0001"], generated["g0003"]]
    centers = [generated["g0002"], generated["g0004"]]
    assert Subscriber.objects.filter(organization__in=utilities).count() == TINY.subscribers
    assert Application.objects.filter(organization__in=centers).count() == TINY.applications
    assert Report.objects.filter(organization__in=generated.values()).count() == TINY.reports
    payments = Payment.objects.filter(organization__in=utilities).count()
    assert abs(payments - TINY.payments) < TINY.payments * 0.1

    for org in utilities:
        assert ledger_problems(organization=org) == []
        runs = BillingRun.objects.filter(organization=org)
        assert sorted(runs.values_list("status", flat=True)) == ["approved"] * (TINY.months - 1) + ["draft"]
        for run in runs:  # run totals are what the invoices add up to
            totals = Invoice.objects.filter(organization=org, run=run).aggregate(
                n=Count("pk"), s=Sum("amount")
            )
            assert (run.invoice_count, run.total_amount) == (totals["n"], totals["s"])
        # Balances are the ledger: approved invoices minus payments.
        billed = Invoice.objects.filter(organization=org, run__status="approved").aggregate(s=Sum("amount"))[
            "s"
        ]
        paid = Payment.objects.filter(organization=org).aggregate(s=Sum("amount"))["s"]
        balance = LedgerEntry.objects.filter(organization=org).aggregate(s=Sum("amount"))["s"]
        assert balance == billed - paid and paid > Decimal("0")
        assert not Payment.objects.filter(organization=org, received_on__gte=AS_OF).exists()


def test_numbers_are_gap_free_and_the_sequences_continue_after_them(generated):
    for org in generated.values():
        for key, last in NumberSequence.objects.filter(organization=org).values_list("key", "last_value"):
            kind, _, rest = key.partition(":")
            if kind == "application":
                numbers = Application.objects.filter(organization=org, number__contains=f"-{rest}-")
            elif kind == "report":
                numbers = Report.objects.filter(organization=org, number__startswith=f"R-{rest}-")
            elif kind == "receipt":
                receipts = Payment.objects.filter(organization=org, desk_id=int(rest))
                assert receipts.aggregate(m=Max("receipt_number"))["m"] == last == receipts.count()
                continue
            else:
                assert kind == "subscriber"
                assert (
                    Subscriber.objects.filter(organization=org).aggregate(m=Max("number"))["m"]
                    == f"{last:07d}"
                )
                continue
            tails = sorted(
                int(number.rsplit("-", 1)[1]) for number in numbers.values_list("number", flat=True)
            )
            assert tails == list(range(1, last + 1)), key


def test_searches_find_generated_people_and_the_monitor_sees_every_generated_organization(generated):
    org = generated["g0001"]
    account = Subscriber.objects.filter(organization=org).order_by("pk")[5]
    surname = account.holder_name.split()[0]
    assert account in subscriber_search(organization=org, query=surname, limit=1000)
    assert list(subscriber_search(organization=org, query=account.number)) == [account]

    monitor = Membership.objects.get(user__username="gen.monitor")
    assert {org.pk for org in generated.values()} <= set(organization_ids_visible_to_membership(monitor))


def test_logins_work_and_a_second_run_needs_a_fresh_database(generated, client):
    for username in ("g0001.cashier", "g0002.operator", "gen.monitor"):
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get(response.url, follow=True).status_code == 200
        client.logout()
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("generate", "--scale", "tiny", "--force", stdout=_Null())
    out = _Null()
    call_command("generate", "--scale", "tiny", "--if-missing", "--force", stdout=out)
    assert "nothing to do" in out.text


def test_it_refuses_a_production_server_without_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("generate", "--scale", "tiny")


def test_the_skewed_split_gives_every_organization_rows_and_matches_the_sql_rule():
    for total, parts in ((2_000, 2), (50_000, 10), (1_000_000, 200), (37, 5)):
        starts = Generator.first_rows(total, parts)
        assert starts[0] == 1 and starts[-1] == total + 1
        assert all(a < b for a, b in zip(starts, starts[1:], strict=False))
        for k in range(
            parts
        ):  # the SQL rule floor(parts·(g-1)²/total²) puts the first row of part k in part k
            g = starts[k]
            assert (g - 1) ** 2 * parts // total**2 == k
            assert (g - 2) ** 2 * parts // total**2 == k - 1 or g == 1


class _Null:
    def __init__(self):
        self.text = ""

    def write(self, message="", *args, **kwargs):
        self.text += message

    def flush(self):
        pass
