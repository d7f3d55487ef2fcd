"""Functions that change billing state. Each runs in a transaction, checks the actor's permission and is audited.

Guarantees (tested in billing/tests): a balance is always the sum of its ledger entries, and every writer of an entry
adds it to the balance table (``balances.record``) in the same transaction; a document reaches the
ledger once (unique constraints, not isolation levels); a payment key posts at most once; receipt numbers are
gap-free per desk; a billing run writes each account's invoice once even when it is killed and resumed.
"""

import datetime
import hashlib
import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khizmat.billing import balances
from khizmat.billing.choices import (
    EntryKind,
    PaymentMethod,
    PeriodStatus,
    RunStatus,
    SubscriberStatus,
    TariffUnit,
)
from khizmat.billing.models import (
    Adjustment,
    BillingPeriod,
    BillingRun,
    CashClosing,
    CashDesk,
    Exemption,
    Invoice,
    LedgerEntry,
    Payment,
    PaymentRequest,
    Subscriber,
    Tariff,
)
from khizmat.billing.money import prorated_amount, quantize
from khizmat.core.errors import DomainError
from khizmat.core.fieldrules import (
    check_amount,
    check_date,
    field_rule,
    normalize_personal_id,
    normalize_phone,
)
from khizmat.tenancy.localtime import local_date, local_today, organization_zone
from khizmat.tenancy.permissions import require_permission
from khizmat.tenancy.sequences import next_number

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a request that died; the key may then be retried.
PAYMENT_CLAIM_SECONDS = 60
# A second cash payment of the same amount for the same account at the same desk within this time is taken for a
# resubmitted form (Back, then submit again: the page may be shown again with a new key) unless the cashier confirms.
PAYMENT_REPEAT_SECONDS = 300


class PaymentInFlight(DomainError):
    """Another request with the same idempotency key is being posted right now (HTTP 409)."""

    default_code = "payment_in_flight"


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month_label(month: datetime.date) -> str:
    return month.strftime("%Y-%m")


# --- Subscribers ---------------------------------------------------------------------------------------------------


def _next_account_number(organization) -> str:
    return f"{next_number(organization=organization, key='subscriber'):07d}"


@transaction.atomic
def subscriber_save(*, actor, subscriber: Subscriber, fields: list[str] | None = None) -> Subscriber:
    """Create or update an account (number given or the next free one); the status history is kept by the audit."""
    require_permission(actor, subscriber.organization, "billing.subscribers")
    _check_subscriber(subscriber)
    previous = None
    if subscriber.pk is not None:
        previous = (
            Subscriber.objects.select_for_update()
            .filter(pk=subscriber.pk, organization=subscriber.organization)
            .values("contract_start", "contract_end")
            .first()
        )
    if subscriber.status == SubscriberStatus.CLOSED and subscriber.contract_end is None:
        subscriber.contract_end = local_today(subscriber.organization)
    if not subscriber.number:
        subscriber.number = _next_account_number(subscriber.organization)
    subscriber.refresh_search_key()
    subscriber._history_user = actor
    try:
        with transaction.atomic():
            if subscriber.pk is None:
                subscriber.save()
            else:
                update = fields or [
                    f.name
                    for f in Subscriber._meta.concrete_fields
                    if f.name not in ("id", "organization") and not f.primary_key
                ]
                subscriber.save(update_fields=sorted({*update, "search_key", "contract_end", "number"}))
    except IntegrityError as error:
        raise DomainError(
            _("Account number %(number)s is already taken.") % {"number": subscriber.number},
            code="duplicate_number",
        ) from error
    old = (previous["contract_start"], previous["contract_end"]) if previous else None
    _settle_contract_change(
        actor=actor, subscriber=subscriber, old=old, new=(subscriber.contract_start, subscriber.contract_end)
    )
    return subscriber


# The field rules of an account, one per field; every writer (form, API, Excel import) goes through them.
SUBSCRIBER_FIELD_RULES = {
    "phone": lambda value, country_code: normalize_phone(value, country_code=country_code),
    "holder_id_number": lambda value, country_code: normalize_personal_id(value, country_code=country_code),
    "contract_start": lambda value, country_code: check_date(value),
    "contract_end": lambda value, country_code: check_date(value),
}


def subscriber_field_value(field: str, value, *, country_code: str):
    """``value`` of an account's ``field`` as stored (phone in E.164, ID number without spaces), or a DomainError
    naming the field."""
    with field_rule(field):
        return SUBSCRIBER_FIELD_RULES[field](value, country_code)


def _days_covered(interval, period: BillingPeriod) -> int:
    """Days of ``period`` that a contract ``(start, end or None)`` covers (what the run bills); 0 for no contract."""
    if interval is None:
        return 0
    start, end = interval
    first = max(start, period.month)
    last = min(end or period.last_day, period.last_day)
    return max((last - first).days + 1, 0)


def _settle_contract_change(*, actor, subscriber: Subscriber, old, new) -> None:
    """A closed month is never silently re-dated: when a contract's start or end moves across a closed (billed)
    month, its invoices there are recalculated for the old and the new days and the difference becomes one
    adjustment, dated today in the open month; a closed month in which the account had no invoice but now would be billed is
    refused (it would stay unbilled). ``old`` is None for a new account."""
    if old == new:
        return
    organization = subscriber.organization
    difference = Decimal("0")
    months = []
    for period in BillingPeriod.objects.filter(organization=organization, status=PeriodStatus.CLOSED):
        old_days, new_days = _days_covered(old, period), _days_covered(new, period)
        if old_days == new_days:
            continue
        invoices = list(
            Invoice.objects.filter(
                organization=organization,
                subscriber=subscriber,
                period=period,
                run__status=RunStatus.APPROVED,
            )
        )
        if not invoices:
            if new_days == 0:
                continue
            raise DomainError(
                _(
                    "%(month)s is closed and this account was not billed in it: the contract cannot start or run "
                    "in a closed month. Choose a date in an open month and charge the closed months by an "
                    "adjustment."
                )
                % {"month": _month_label(period.month)},
                code="contract_in_closed_period",
            )
        for invoice in invoices:  # by the month's own prices; earlier adjustments are why old days are used
            line = {
                "price": invoice.price,
                "quantity": invoice.quantity,
                "days_in_period": invoice.days_in_period,
                "discount_percent": invoice.discount_percent,
            }
            difference += prorated_amount(days_billed=new_days, **line) - prorated_amount(
                days_billed=old_days, **line
            )
        months.append(_month_label(period.month))
    if difference == 0:
        return
    _adjustment_write(
        actor=actor,
        organization=organization,
        subscriber=subscriber,
        amount=quantize(difference),
        reason=str(
            _("Contract dates changed: recalculation of the closed months %(months)s.")
            % {"months": ", ".join(sorted(months))}
        ),
    )


def _check_subscriber(subscriber: Subscriber) -> None:
    organization = subscriber.organization
    for field in SUBSCRIBER_FIELD_RULES:
        value = subscriber_field_value(
            field, getattr(subscriber, field), country_code=organization.country.code
        )
        setattr(subscriber, field, value)
    if subscriber.category.organization_id != organization.pk:
        raise DomainError(_("Choose a category of this organization."), code="bad_category")
    if subscriber.exemption_id and subscriber.exemption.organization_id != organization.pk:
        raise DomainError(_("Choose an exemption of this organization."), code="bad_exemption")
    if subscriber.contract_end and subscriber.contract_end < subscriber.contract_start:
        raise DomainError(_("The contract cannot end before it starts."), code="contract_dates")


@transaction.atomic
def subscriber_set_status(
    *, actor, subscriber: Subscriber, status: str, on: datetime.date | None = None
) -> Subscriber:
    """Suspend, reactivate or close an account. Closing ends the contract (billing prorates the last month)."""
    require_permission(actor, subscriber.organization, "billing.subscribers")
    locked = Subscriber.objects.select_for_update().get(
        pk=subscriber.pk, organization=subscriber.organization
    )
    if status not in SubscriberStatus.values:
        raise DomainError(_("Unknown status."), code="bad_status")
    before = (locked.contract_start, locked.contract_end)
    reactivated = status == SubscriberStatus.ACTIVE and locked.status == SubscriberStatus.CLOSED
    locked.status = status
    fields = ["status"]
    if status == SubscriberStatus.CLOSED:
        with field_rule("on"):
            end = check_date(on) or local_today(subscriber.organization)
        if end < locked.contract_start:
            raise DomainError(_("The contract cannot end before it starts."), code="contract_dates")
        locked.contract_end = end
        fields.append("contract_end")
    elif locked.contract_end is not None and status == SubscriberStatus.ACTIVE:
        locked.contract_end = None
        fields.append("contract_end")
    locked._history_user = actor
    locked.save(update_fields=fields)
    if not reactivated:
        # Reactivation resumes billing from the next run: the closed months since the account closed stay unbilled,
        # as they were while it was closed.
        _settle_contract_change(
            actor=actor, subscriber=locked, old=before, new=(locked.contract_start, locked.contract_end)
        )
    return locked


# --- Tariffs -------------------------------------------------------------------------------------------------------


@transaction.atomic
def tariff_save(*, actor, tariff: Tariff) -> Tariff:
    """Record a tariff decided by the council. It applies from a month on; invoices already written keep their price.

    A tariff for a month that is already billed (a closed period) would rewrite history and is refused.
    """
    organization = tariff.organization
    require_permission(actor, organization, "billing.tariffs")
    with field_rule("price"):
        tariff.price = check_amount(tariff.price, allow_zero=True)
    with field_rule("effective_from"):
        check_date(tariff.effective_from)
    with field_rule("decision_date"):
        check_date(tariff.decision_date, latest=local_today(organization))
    if tariff.effective_from.day != 1:
        raise DomainError(
            _("A tariff comes into force on the first day of a month."), code="tariff_not_month_start"
        )
    if tariff.currency != organization.currency:
        raise DomainError(
            _("Tariffs of this organization are in %(currency)s.") % {"currency": organization.currency},
            code="tariff_currency",
        )
    if tariff.category.organization_id != organization.pk:
        raise DomainError(_("Choose a category of this organization."), code="bad_category")
    closed = BillingPeriod.objects.filter(
        organization=organization, status=PeriodStatus.CLOSED, month__gte=tariff.effective_from
    ).exists()
    if closed:
        raise DomainError(
            _(
                "A period from this month on is already closed; a new tariff can start after the last closed period."
            ),
            code="tariff_in_closed_period",
        )
    tariff._history_user = actor
    try:
        with transaction.atomic():
            if tariff.pk is None:
                tariff.save()
            else:
                tariff.save(
                    update_fields=[
                        "category",
                        "service",
                        "unit",
                        "price",
                        "currency",
                        "effective_from",
                        "decision_number",
                        "decision_date",
                        "council",
                    ]
                )
    except IntegrityError as error:
        raise DomainError(
            _("This category already has a tariff for this service from that month."), code="tariff_duplicate"
        ) from error
    return tariff


def tariffs_in_force(*, organization, month: datetime.date) -> list[Tariff]:
    """For each category and service, the tariff with the latest start on or before ``month``."""
    chosen: dict[tuple[int, str], Tariff] = {}
    for tariff in Tariff.objects.filter(organization=organization, effective_from__lte=month).order_by(
        "category_id", "service", "-effective_from"
    ):
        chosen.setdefault((tariff.category_id, tariff.service), tariff)
    return list(chosen.values())


# --- Billing periods and runs ----------------------------------------------------------------------------------------


def period_get_or_open(*, organization, month: datetime.date) -> BillingPeriod:
    with field_rule("month"):
        check_date(month)
    period, _created = BillingPeriod.objects.get_or_create(
        organization=organization, month=month_start(month)
    )
    return period


def _check_month_billable(*, organization, month: datetime.date) -> None:
    """Why a month cannot be billed at all (before any period row is written for it)."""
    if month > month_start(local_today(organization)):
        raise DomainError(_("A month that has not started yet cannot be billed."), code="period_in_future")
    first_closed = (
        BillingPeriod.objects.filter(organization=organization, status=PeriodStatus.CLOSED)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    if first_closed is not None and month < first_closed:
        raise DomainError(
            _("Billing of this organization starts with %(month)s; an earlier month cannot be billed.")
            % {"month": _month_label(first_closed)},
            code="period_before_first",
        )
    if not tariffs_in_force(organization=organization, month=month):
        raise DomainError(
            _("No tariff is in force for this month. Record the council's tariffs first."), code="no_tariff"
        )


@transaction.atomic
def billing_run_request(*, actor, organization, month: datetime.date) -> BillingRun:
    """Bill a month (any day of it): the checks come before its period is opened, and a refusal rolls the whole
    request back, so a refused run leaves no empty period behind (the web form and the API both call this)."""
    require_permission(actor, organization, "billing.run")
    month = month_start(month)
    _check_month_billable(organization=organization, month=month)
    period = period_get_or_open(organization=organization, month=month)
    return billing_run_start(actor=actor, period=period)


def billable_subscribers(*, organization, period: BillingPeriod):
    """Accounts a run bills: not suspended, with a contract overlapping the month."""
    return Subscriber.objects.filter(
        Q(contract_end__isnull=True) | Q(contract_end__gte=period.month),
        organization=organization,
        contract_start__lte=period.last_day,
    ).exclude(status=SubscriberStatus.SUSPENDED)


@transaction.atomic
def billing_run_start(*, actor, period: BillingPeriod) -> BillingRun:
    """Queue a run for the period. A draft run of the period is replaced; a running or approved one refuses.

    The run itself happens in the background (:func:`billing_run_execute`), enqueued when this transaction commits.
    """
    organization = period.organization
    require_permission(actor, organization, "billing.run")
    period = BillingPeriod.objects.select_for_update().get(pk=period.pk, organization=organization)
    if period.status == PeriodStatus.CLOSED:
        raise DomainError(_("This period is closed: its billing was approved."), code="period_closed")
    _check_month_billable(organization=organization, month=period.month)
    live = BillingRun.objects.filter(
        organization=organization, period=period, status__in=BillingRun.LIVE
    ).first()
    if live is not None and live.is_in_progress:
        raise DomainError(_("Billing of this period is already running."), code="run_in_progress")
    if live is not None:  # a draft: the new run replaces it
        live.status = RunStatus.SUPERSEDED
        live._history_user = actor
        live.save(update_fields=["status"])
    run = BillingRun(
        organization=organization,
        period=period,
        requested_by=actor,
        requested_at=timezone.now(),
        total_accounts=Subscriber.objects.filter(organization=organization).count(),
    )
    run._history_user = actor
    run.save()
    from khizmat.billing.tasks import execute_billing_run

    transaction.on_commit(lambda: execute_billing_run.enqueue(run_id=run.pk))
    return run


def billing_run_resume(*, actor, run: BillingRun) -> BillingRun:
    """Enqueue an unfinished run again (e.g. after its worker was restarted). Safe while it still runs elsewhere:
    each chunk locks the run row and continues from the committed checkpoint, so no account is billed twice."""
    require_permission(actor, run.organization, "billing.run")
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        raise DomainError(
            _("Only a queued or running billing run can be resumed."), code="run_not_in_progress"
        )
    from khizmat.billing.tasks import execute_billing_run

    transaction.on_commit(lambda: execute_billing_run.enqueue(run_id=run.pk))
    return run


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return _quote(model._meta.db_table)


def _days_billed_sql() -> str:
    """Days of the month covered by the contract (proration), in each database's date arithmetic."""
    if connection.vendor == "postgresql":
        return (
            "(LEAST(COALESCE(s.contract_end, %(last_day)s::date), %(last_day)s::date)"
            " - GREATEST(s.contract_start, %(first_day)s::date) + 1)"
        )
    return (
        "(CAST(julianday(MIN(COALESCE(s.contract_end, %(last_day)s), %(last_day)s))"
        " - julianday(MAX(s.contract_start, %(first_day)s)) AS INTEGER) + 1)"
    )


def _amount_sql() -> str:
    """price × quantity × days/days-in-month × (100 − discount)/100, rounded half up to 2 places, exactly."""
    if connection.vendor == "postgresql":
        # numeric division keeps ~16 significant digits by default; 20 decimals keep the half-up rounding exact.
        return (
            "ROUND(x.price * x.quantity * x.days_billed * (100 - x.discount)"
            " / (%(days_in_period)s * 100)::numeric(40, 20), 2)"
        )
    return "khizmat_prorate(x.price, x.quantity, x.days_billed, %(days_in_period)s, x.discount)"


def invoice_insert_sql(target_table: str | None = None) -> str:
    """The INSERT…SELECT that bills one chunk of accounts (``target_table`` lets the benchmark write elsewhere)."""
    table = target_table or _table(Invoice)
    quantity = (
        f"CASE t.unit WHEN '{TariffUnit.PERSON.value}' THEN s.residents "
        f"WHEN '{TariffUnit.HOUSEHOLD.value}' THEN 1 ELSE s.units END"
    )
    return f"""
        INSERT INTO {table} (organization_id, run_id, period_id, subscriber_id, tariff_id, service, unit, quantity,
                             price, days_billed, days_in_period, discount_percent, amount, currency)
        SELECT x.organization_id, %(run)s, %(period)s, x.subscriber_id, x.tariff_id, x.service, x.unit, x.quantity,
               x.price, x.days_billed, %(days_in_period)s, x.discount, {_amount_sql()}, x.currency
        FROM (
            SELECT s.organization_id, s.id AS subscriber_id, t.id AS tariff_id, t.service, t.unit, t.price,
                   t.currency, {quantity} AS quantity, {_days_billed_sql()} AS days_billed,
                   COALESCE(e.percent, 0) AS discount
            FROM {_table(Subscriber)} s
            JOIN {_table(Tariff)} t ON t.organization_id = s.organization_id AND t.category_id = s.category_id
            LEFT JOIN {_table(Exemption)} e
                   ON e.organization_id = s.organization_id AND e.id = s.exemption_id AND e.is_active
            WHERE s.organization_id = %(organization)s AND s.id > %(after)s AND s.id <= %(upto)s
              AND t.id IN ({{tariff_ids}})
              AND s.status <> '{SubscriberStatus.SUSPENDED.value}'
              AND s.contract_start <= %(last_day)s
              AND (s.contract_end IS NULL OR s.contract_end >= %(first_day)s)
        ) x
        WHERE x.quantity > 0 AND x.days_billed > 0
    """


def _chunk_upper_bound(organization_id: int, after: int, size: int) -> int | None:
    ids = Subscriber.objects.filter(organization_id=organization_id, pk__gt=after).order_by("pk")
    bound = ids.values_list("pk", flat=True)[size - 1 : size].first()
    if bound is None:
        bound = ids.order_by("-pk").values_list("pk", flat=True).first()
    return bound


# Rows deleted per transaction when a re-run drops the draft it replaces: short write transactions, so that the cash
# desk's payments (and logins) interleave on SQLite, whose writers take turns on the whole database.
DRAFT_DELETE_CHUNK = 5000


def _delete_invoices_of_replaced_runs(run: BillingRun, chunk: int | None = None) -> None:
    """Drop the invoices of the drafts this run replaces, set-based: one DELETE of at most ``chunk`` rows per
    transaction (draft invoices never reached the ledger; no Python-side collecting or cascading)."""
    replaced = list(
        BillingRun.objects.filter(
            organization_id=run.organization_id, period_id=run.period_id, status=RunStatus.SUPERSEDED
        ).values_list("pk", flat=True)
    )
    if not replaced:
        return
    placeholders = ", ".join(["%s"] * len(replaced))
    table = _table(Invoice)
    sql = (
        f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table}"
        f" WHERE organization_id = %s AND run_id IN ({placeholders}) LIMIT %s)"
    )
    size = chunk or DRAFT_DELETE_CHUNK
    params = [run.organization_id, *replaced, size]
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            deleted = cursor.rowcount
        if deleted < size:
            return


def billing_run_execute(*, run_id: int, chunk_size: int | None = None) -> BillingRun:
    """Write the invoices of a queued (or interrupted) run, one chunk of accounts per transaction.

    Each chunk is one INSERT…SELECT over a range of account ids; the same transaction moves the run's checkpoint,
    so a run killed at any moment resumes exactly after its last committed chunk. Safe to call twice at once: the
    run row is locked per chunk, and a finished run returns at once.
    """
    size = chunk_size or settings.BILLING_CHUNK_SIZE
    run = BillingRun.objects.select_related("period", "organization").get(pk=run_id)
    if run.status not in (RunStatus.QUEUED, RunStatus.RUNNING):
        return run
    BillingRun.objects.filter(pk=run.pk, organization_id=run.organization_id).update(
        status=RunStatus.RUNNING, started_at=Coalesce(F("started_at"), timezone.now())
    )
    _delete_invoices_of_replaced_runs(run)
    period = run.period
    tariff_ids = [t.pk for t in tariffs_in_force(organization=run.organization, month=period.month)]
    if not tariff_ids:
        return _run_fail(run, _("No tariff is in force for this month."))
    sql = invoice_insert_sql().replace("{tariff_ids}", ", ".join(str(int(pk)) for pk in tariff_ids))
    params = {
        "run": run.pk,
        "period": period.pk,
        "organization": run.organization_id,
        "first_day": period.month.isoformat(),
        "last_day": period.last_day.isoformat(),
        "days_in_period": period.days,
    }
    while True:
        with transaction.atomic():
            locked = BillingRun.objects.select_for_update().get(
                pk=run.pk, organization_id=run.organization_id
            )
            if locked.status != RunStatus.RUNNING:
                return locked
            upto = _chunk_upper_bound(run.organization_id, locked.last_subscriber_id, size)
            if upto is None:
                return _run_finish(locked)
            with connection.cursor() as cursor:
                cursor.execute(sql, {**params, "after": locked.last_subscriber_id, "upto": upto})
                written = max(cursor.rowcount, 0)
            scanned = Subscriber.objects.filter(
                organization_id=run.organization_id, pk__gt=locked.last_subscriber_id, pk__lte=upto
            ).count()
            BillingRun.objects.filter(pk=locked.pk, organization_id=run.organization_id).update(
                last_subscriber_id=upto,
                processed_accounts=F("processed_accounts") + scanned,
                invoice_count=F("invoice_count") + written,
            )


def _run_finish(run: BillingRun) -> BillingRun:
    totals = Invoice.objects.filter(organization_id=run.organization_id, run=run).aggregate(
        count=Count("pk"), amount=Sum("amount")
    )
    run.status = RunStatus.DRAFT
    run.finished_at = timezone.now()
    run.invoice_count = totals["count"]
    run.total_amount = quantize(totals["amount"] or 0)
    run.processed_accounts = max(run.processed_accounts, run.total_accounts)
    run.total_accounts = run.processed_accounts
    run.save(
        update_fields=[
            "status",
            "finished_at",
            "invoice_count",
            "total_amount",
            "processed_accounts",
            "total_accounts",
        ]
    )
    return run


def _run_fail(run: BillingRun, message) -> BillingRun:
    BillingRun.objects.filter(pk=run.pk, organization_id=run.organization_id).update(
        status=RunStatus.FAILED, error=str(message), finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


@transaction.atomic
def billing_run_approve(*, actor, run: BillingRun) -> BillingRun:
    """Post a draft run's invoices to the ledger (one INSERT…SELECT) and close its period for good."""
    organization = run.organization
    require_permission(actor, organization, "billing.run")
    locked = (
        BillingRun.objects.select_for_update()
        .select_related("period")
        .get(pk=run.pk, organization=organization)
    )
    if locked.status == RunStatus.APPROVED:
        return locked  # a retried approval changes nothing
    if locked.status != RunStatus.DRAFT:
        raise DomainError(_("Only a finished draft run can be approved."), code="run_not_draft")
    period = BillingPeriod.objects.select_for_update().get(pk=locked.period_id, organization=organization)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {_table(LedgerEntry)} (organization_id, subscriber_id, kind, amount, currency, entry_date,
                                               period_id, invoice_id)
            SELECT organization_id, subscriber_id, %s, amount, currency, %s, period_id, id
            FROM {_table(Invoice)}
            WHERE organization_id = %s AND run_id = %s AND amount <> 0
            """,
            # A month still running is charged as of today: a future-dated entry would escape arrears by age.
            [
                EntryKind.INVOICE.value,
                min(period.last_day, local_today(organization)).isoformat(),
                organization.pk,
                locked.pk,
            ],
        )
    # The period is posted once (approved runs are final), so its invoice entries are exactly those just written.
    balances.record(
        organization_id=organization.pk,
        condition=f"l.period_id = %(period)s AND l.kind = '{EntryKind.INVOICE.value}'",
        params={"period": period.pk},
    )
    now = timezone.now()
    locked.status, locked.approved_by, locked.approved_at = RunStatus.APPROVED, actor, now
    locked._history_user = actor
    locked.save(update_fields=["status", "approved_by", "approved_at"])
    period.status, period.closed_at, period.closed_by = PeriodStatus.CLOSED, now, actor
    period._history_user = actor
    period.save(update_fields=["status", "closed_at", "closed_by"])
    return locked


# --- Payments ------------------------------------------------------------------------------------------------------


def payment_fingerprint(*parts) -> str:
    """What an idempotency key is bound to: account, amount, method and desk (statement imports use it too)."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _claim_key(*, organization, key: str, fingerprint: str) -> tuple[PaymentRequest, Payment | None]:
    """Claim ``key`` for this request, or return the payment it already produced. Raises on misuse or in flight."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return (
                PaymentRequest.objects.create(
                    organization=organization, key=key, fingerprint=fingerprint, locked_at=now, created_at=now
                ),
                None,
            )
    except IntegrityError:
        pass
    claim = (
        PaymentRequest.objects.select_related("payment").filter(organization=organization, key=key).first()
    )
    if (
        claim is None
    ):  # released by a request that failed between our INSERT and this read: let the client retry
        raise PaymentInFlight(
            _("This payment is being posted by another request. Wait a moment and open the account again.")
        )
    if claim.fingerprint != fingerprint:
        raise DomainError(
            _("This payment key was already used for a different account or amount. Start a new payment."),
            code="idempotency_key_reused",
        )
    if claim.payment_id:
        return claim, claim.payment
    stale = now - datetime.timedelta(seconds=PAYMENT_CLAIM_SECONDS)
    taken = PaymentRequest.objects.filter(
        pk=claim.pk, organization=organization, payment__isnull=True, locked_at__lt=stale
    ).update(locked_at=now)
    if not taken:
        raise PaymentInFlight(
            _("This payment is being posted by another request. Wait a moment and open the account again.")
        )
    return claim, None


def payment_post(
    *,
    actor,
    subscriber: Subscriber,
    amount,
    method: str,
    idempotency_key: str,
    desk: CashDesk | None = None,
    payer_name: str = "",
    reference: str = "",
    received_at: datetime.datetime | None = None,
    statement_line=None,
    permission: str = "billing.cash",
    confirm_repeat: bool = False,
) -> tuple[Payment, bool]:
    """Post a payment once per idempotency key. Returns ``(payment, replayed)``.

    The same key with the same account, amount, method and desk returns the first payment (``replayed``); with a
    different body it is refused; while the first request is still running, :class:`PaymentInFlight` (HTTP 409).
    A cash payment takes the desk's next receipt number in the same transaction, so numbers have no gaps. A desk
    payment repeating one of the last minutes (same account and amount, another key) is refused as
    ``possible_duplicate`` unless ``confirm_repeat``.
    """
    organization = subscriber.organization
    require_permission(actor, organization, permission)
    amount = quantize(amount)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise DomainError(_("Every payment needs an idempotency key of 1 to 100 characters."), code="bad_key")
    if amount <= 0:
        raise DomainError(_("The amount must be more than zero."), code="bad_amount")
    if amount > Decimal("100000000"):
        raise DomainError(_("The amount is too large for one payment."), code="bad_amount")
    if method not in PaymentMethod.values:
        raise DomainError(_("Unknown payment method."), code="bad_method")
    if method == PaymentMethod.CASH and desk is None:
        raise DomainError(_("A cash payment is taken at a cash desk."), code="desk_required")
    if desk is not None and desk.organization_id != organization.pk:
        raise DomainError(_("Choose a cash desk of this organization."), code="bad_desk")
    fingerprint = payment_fingerprint(subscriber.pk, amount, method, desk.pk if desk else "")
    claim, existing = _claim_key(organization=organization, key=key, fingerprint=fingerprint)
    if existing is not None:
        return existing, True
    try:
        payment = _payment_write(
            actor=actor,
            subscriber=subscriber,
            amount=amount,
            method=method,
            key=key,
            desk=desk,
            payer_name=payer_name,
            reference=reference,
            received_at=received_at or timezone.now(),
            statement_line=statement_line,
            claim=claim,
            confirm_repeat=confirm_repeat,
        )
    except BaseException:
        # Nothing was posted: release the key so that the same request can be retried.
        PaymentRequest.objects.filter(pk=claim.pk, organization=organization, payment__isnull=True).delete()
        raise
    return payment, False


@transaction.atomic
def _payment_write(
    *,
    actor,
    subscriber,
    amount,
    method,
    key,
    desk,
    payer_name,
    reference,
    received_at,
    statement_line,
    claim,
    confirm_repeat,
) -> Payment:
    organization = subscriber.organization
    received_on = local_date(received_at, organization)  # the cash day in the organization's zone
    receipt_number = None
    if desk is not None:
        desk = CashDesk.objects.select_for_update().get(pk=desk.pk, organization=organization)
        if not desk.is_active:
            raise DomainError(_("This cash desk is not in use."), code="desk_inactive")
        if CashClosing.objects.filter(organization=organization, desk=desk, date=received_on).exists():
            raise DomainError(
                _("This cash desk has closed the day. Payments can be taken again tomorrow."),
                code="desk_closed",
            )
        if not confirm_repeat:
            _refuse_repeated_payment(desk=desk, subscriber=subscriber, amount=amount, received_at=received_at)
        receipt_number = next_number(organization=organization, key=f"receipt:{desk.pk}")
    payment = Payment(
        organization=organization,
        subscriber=subscriber,
        amount=amount,
        currency=organization.currency,
        method=method,
        desk=desk,
        receipt_number=receipt_number,
        received_at=received_at,
        received_on=received_on,
        cashier=actor if method == PaymentMethod.CASH else None,
        payer_name=payer_name[:255],
        reference=reference[:100],
        statement_line=statement_line,
        idempotency_key=key,
        balance_after=quantize(
            LedgerEntry.objects.filter(organization=organization, subscriber=subscriber).aggregate(
                total=Sum("amount")
            )["total"]
            or 0
        )
        - amount,
    )
    payment._history_user = actor
    payment.save()
    entry = LedgerEntry.objects.create(
        organization=organization,
        subscriber=subscriber,
        kind=EntryKind.PAYMENT,
        amount=-amount,
        currency=payment.currency,
        entry_date=received_on,
        payment=payment,
    )
    balances.record_entry(entry)
    PaymentRequest.objects.filter(pk=claim.pk, organization=organization).update(
        payment=payment, locked_at=None
    )
    return payment


def _refuse_repeated_payment(*, desk, subscriber, amount, received_at) -> None:
    """Under the desk's row lock: the same amount for the same account a moment ago is most likely the same cash."""
    since = received_at - datetime.timedelta(seconds=PAYMENT_REPEAT_SECONDS)
    previous = (
        Payment.objects.filter(
            organization_id=subscriber.organization_id,
            subscriber=subscriber,
            desk=desk,
            amount=amount,
            received_at__gte=since,
            reversed_at__isnull=True,
        )
        .order_by("-received_at")
        .first()
    )
    if previous is not None:
        raise DomainError(
            _(
                "A payment of the same amount for this account was taken at this desk at %(time)s (receipt "
                "№ %(number)s). If this is another payment, confirm it and submit again."
            )
            % {
                "time": timezone.localtime(
                    previous.received_at, organization_zone(subscriber.organization)
                ).strftime("%H:%M"),
                "number": previous.receipt_number,
            },
            code="possible_duplicate",
        )


@transaction.atomic
def payment_reverse(*, actor, payment: Payment, reason: str) -> Payment:
    """Cancel a payment by a reversal entry (the payment row stays, marked reversed). A second reversal is refused."""
    organization = payment.organization
    require_permission(actor, organization, "billing.reverse")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Write why the payment is reversed."), code="reason_required")
    locked = Payment.objects.select_for_update().get(pk=payment.pk, organization=organization)
    if locked.is_reversed:
        raise DomainError(_("This payment is already reversed."), code="already_reversed")
    today = local_today(organization)
    if (
        locked.desk_id
        and CashClosing.objects.filter(organization=organization, desk_id=locked.desk_id, date=today).exists()
    ):
        raise DomainError(
            _(
                "The cash desk of this payment has closed the day; reverse it tomorrow, when the cash is paid back."
            ),
            code="desk_closed",
        )
    locked.reversed_at, locked.reversed_by, locked.reversal_reason, locked.reversed_on = (
        timezone.now(),
        actor,
        reason[:2000],
        today,
    )
    locked._history_user = actor
    locked.save(update_fields=["reversed_at", "reversed_by", "reversal_reason", "reversed_on"])
    entry = LedgerEntry.objects.create(
        organization=organization,
        subscriber_id=locked.subscriber_id,
        kind=EntryKind.REVERSAL,
        amount=locked.amount,
        currency=locked.currency,
        entry_date=today,
        payment=locked,
    )
    balances.record_entry(entry)
    return locked


@transaction.atomic
def adjustment_post(*, actor, subscriber: Subscriber, amount, reason: str) -> Adjustment:
    """Correct a balance with a signed amount and a written reason (e.g. recalculation after a dispute)."""
    organization = subscriber.organization
    require_permission(actor, organization, "billing.run")
    amount = quantize(amount)
    reason = (reason or "").strip()
    if amount == 0:
        raise DomainError(_("The adjustment cannot be zero."), code="bad_amount")
    if not reason:
        raise DomainError(_("Write the reason for the adjustment."), code="reason_required")
    return _adjustment_write(
        actor=actor, organization=organization, subscriber=subscriber, amount=amount, reason=reason
    )


def _adjustment_write(*, actor, organization, subscriber: Subscriber, amount, reason: str) -> Adjustment:
    """The adjustment and its ledger entry, dated today in the organization's zone (inside the caller's
    transaction, after its checks)."""
    adjustment = Adjustment(
        organization=organization,
        subscriber=subscriber,
        amount=amount,
        currency=organization.currency,
        reason=reason,
        created_by=actor,
        created_at=timezone.now(),
    )
    adjustment._history_user = actor
    adjustment.save()
    entry = LedgerEntry.objects.create(
        organization=organization,
        subscriber=subscriber,
        kind=EntryKind.ADJUSTMENT,
        amount=amount,
        currency=adjustment.currency,
        entry_date=local_date(adjustment.created_at, organization),
        adjustment=adjustment,
    )
    balances.record_entry(entry)
    return adjustment


# --- Cash desk closing (Z-report) ----------------------------------------------------------------------------------


def cash_day_summary(*, desk: CashDesk, date: datetime.date) -> dict:
    """What the desk took and paid back on ``date``: receipt range and count, totals and the cash expected."""
    organization_id = desk.organization_id
    received = Payment.objects.filter(organization_id=organization_id, desk=desk, received_on=date).aggregate(
        count=Count("pk"),
        total=Sum("amount"),
        first=Min("receipt_number"),
        last=Max("receipt_number"),
    )
    reversed_ = Payment.objects.filter(
        organization_id=organization_id, desk=desk, reversed_on=date, reversed_at__isnull=False
    ).aggregate(count=Count("pk"), total=Sum("amount"))
    total_received = quantize(received["total"] or 0)
    total_reversed = quantize(reversed_["total"] or 0)
    count = received["count"]
    gap_free = count == 0 or (received["last"] - received["first"] + 1 == count)
    return {
        "payments_count": count,
        "first_receipt": received["first"],
        "last_receipt": received["last"],
        "total_received": total_received,
        "reversals_count": reversed_["count"],
        "total_reversed": total_reversed,
        "expected_cash": total_received - total_reversed,
        "gap_free": gap_free,
    }


@transaction.atomic
def cash_closing_create(
    *, actor, desk: CashDesk, date: datetime.date, counted_cash, note: str = ""
) -> CashClosing:
    """Close a desk's day: totals from the payments themselves; a difference with the counted cash must be explained.

    The desk row is locked, so no payment slips in between the totals and the closing; afterwards the desk takes
    no more payments that day.
    """
    organization = desk.organization
    require_permission(actor, organization, "billing.cash")
    if date > local_today(organization):
        raise DomainError(_("A day that has not come yet cannot be closed."), code="closing_in_future")
    desk = CashDesk.objects.select_for_update().get(pk=desk.pk, organization=organization)
    if CashClosing.objects.filter(organization=organization, desk=desk, date=date).exists():
        raise DomainError(_("This day is already closed at this desk."), code="already_closed")
    summary = cash_day_summary(desk=desk, date=date)
    if not summary[
        "gap_free"
    ]:  # cannot happen while receipts come from next_number; refuse rather than hide it
        raise DomainError(
            _("Receipt numbers of the day have a gap. Call the administrator."), code="receipt_gap"
        )
    counted = quantize(counted_cash)
    difference = counted - summary["expected_cash"]
    note = (note or "").strip()
    if difference != 0 and not note:
        raise DomainError(
            _(
                "The counted cash differs from the receipts by %(difference)s. Count again or explain the difference."
            )
            % {"difference": difference},
            code="cash_difference",
        )
    summary.pop("gap_free")
    closing = CashClosing(
        organization=organization,
        desk=desk,
        date=date,
        cashier=actor,
        counted_cash=counted,
        difference=difference,
        currency=organization.currency,
        note=note,
        closed_at=timezone.now(),
        **summary,
    )
    closing._history_user = actor
    closing.save()
    return closing
