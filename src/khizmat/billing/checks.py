"""Ledger audit: every document reached the ledger exactly once, with its amount, and the balance table agrees with
the ledger. Used by ``khizmat billing_check``.

What could go wrong is a document without its entry, an entry whose amount differs from its document, or a balance
row (:class:`~khizmat.billing.models.AccountMonth`) that differs from the entries of its account and month or does
not follow from the previous month's closing balance (e.g. a manual database edit, or a writer that bypassed the
services). Each check is one set-based query; ``khizmat billing_balances_rebuild`` rewrites the balance table from
the ledger.
"""

from django.db.models import Exists, F, OuterRef, Q

from khizmat.billing import balances
from khizmat.billing.choices import EntryKind, RunStatus
from khizmat.billing.models import Adjustment, Invoice, LedgerEntry, Payment


def ledger_problems(*, organization) -> list[str]:
    """Human-readable problems of one organization's ledger; an empty list means it is consistent."""
    problems: list[str] = []
    entries = LedgerEntry.objects.filter(organization=organization)

    approved = Invoice.objects.filter(organization=organization, run__status=RunStatus.APPROVED).exclude(
        amount=0
    )
    missing = approved.exclude(
        Exists(entries.filter(organization_id=OuterRef("organization_id"), invoice=OuterRef("pk")))
    )
    wrong = entries.filter(kind=EntryKind.INVOICE).exclude(amount=F("invoice__amount"))
    draft = entries.filter(kind=EntryKind.INVOICE).exclude(invoice__run__status=RunStatus.APPROVED)
    _report(problems, missing, "approved invoice(s) without a ledger entry")
    _report(problems, wrong, "invoice entr(ies) whose amount differs from the invoice")
    _report(problems, draft, "ledger entr(ies) for invoices of a run that is not approved")

    payments = Payment.objects.filter(organization=organization)
    no_entry = payments.exclude(
        Exists(
            entries.filter(
                organization_id=OuterRef("organization_id"), payment=OuterRef("pk"), kind=EntryKind.PAYMENT
            )
        )
    )
    wrong_payment = entries.filter(kind=EntryKind.PAYMENT).exclude(amount=-F("payment__amount"))
    reversed_without = payments.filter(reversed_at__isnull=False).exclude(
        Exists(
            entries.filter(
                organization_id=OuterRef("organization_id"), payment=OuterRef("pk"), kind=EntryKind.REVERSAL
            )
        )
    )
    reversal_unmarked = entries.filter(kind=EntryKind.REVERSAL).filter(
        Q(payment__reversed_at__isnull=True) | ~Q(amount=F("payment__amount"))
    )
    _report(problems, no_entry, "payment(s) without a ledger entry")
    _report(problems, wrong_payment, "payment entr(ies) whose amount differs from the payment")
    _report(problems, reversed_without, "reversed payment(s) without a reversal entry")
    _report(problems, reversal_unmarked, "reversal entr(ies) that do not match a reversed payment")

    adjustments = Adjustment.objects.filter(organization=organization)
    _report(
        problems,
        adjustments.exclude(
            Exists(entries.filter(organization_id=OuterRef("organization_id"), adjustment=OuterRef("pk")))
        ),
        "adjustment(s) without a ledger entry",
    )
    _report(
        problems,
        entries.filter(kind=EntryKind.ADJUSTMENT).exclude(amount=F("adjustment__amount")),
        "adjustment entr(ies) whose amount differs from the adjustment",
    )
    _report(
        problems,
        entries.filter(subscriber__organization__isnull=False).exclude(subscriber__organization=organization),
        "entr(ies) on another organization's account",
    )
    problems.extend(balances.problems(organization=organization))
    return problems


def _report(problems: list[str], queryset, text: str) -> None:
    ids = list(queryset.values_list("pk", flat=True)[:10])
    if ids:
        count = queryset.count()
        problems.append(f"{count} {text} (e.g. ids {', '.join(map(str, ids))})")
