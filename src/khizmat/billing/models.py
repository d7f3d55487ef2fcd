"""Utility billing: subscribers, tariffs, billing runs, payments and the ledger that derives every balance.

Money rules (docs/billing.md): amounts are ``Decimal`` with two places beside a ``currency``; the balance of an
account is always the sum of its :class:`LedgerEntry` rows (positive = the subscriber owes); :class:`AccountMonth`
keeps those sums per account and month for the reports, derived from the ledger and checked against it.
Documents (invoices, payments, adjustments) are never deleted once they reach the ledger: a mistake is corrected
by a reversal or an adjustment, which the ledger records as a new entry.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.billing.choices import (
    BillingService,
    EntryKind,
    ImportStatus,
    ImportTask,
    LineStatus,
    PaymentMethod,
    PeriodStatus,
    RunStatus,
    StatementImportStatus,
    StatementStatus,
    SubscriberKind,
    SubscriberStatus,
    TariffUnit,
)
from khizmat.core.search import search_keys
from khizmat.tenancy.choices import Currency
from khizmat.tenancy.scoping import TenantModel

MONEY = {"max_digits": 14, "decimal_places": 2}
PRICE = {"max_digits": 12, "decimal_places": 2}
QUANTITY = {"max_digits": 12, "decimal_places": 3}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class SubscriberCategory(TenantModel):
    """A tariff category (e.g. private house, apartment, shop, school); tariffs are set per category."""

    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=SubscriberKind.choices)

    class Meta:
        verbose_name = _("subscriber category")
        verbose_name_plural = _("subscriber categories")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="category_unique_code")]

    def __str__(self) -> str:
        return self.name


class Exemption(TenantModel):
    """A discount granted by law or by the council to a social category (e.g. war veterans: 50%)."""

    name = models.CharField(_("name"), max_length=150)
    percent = models.DecimalField(
        _("discount, %"), **PERCENT, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100), name="exemption_percent_0_100"
            )
        ]

    def __str__(self) -> str:
        percent = self.percent.normalize() if hasattr(self.percent, "normalize") else self.percent
        return f"{self.name} ({percent:f}%)"


class Tariff(TenantModel):
    """The price of one service for one category, approved by a council decision and in force from a month.

    The tariff of a period is the one with the latest ``effective_from`` on or before the period's first day; a
    new tariff never changes invoices already written (they copy the price).
    """

    category = models.ForeignKey(
        SubscriberCategory, on_delete=models.PROTECT, related_name="tariffs", verbose_name=_("category")
    )
    service = models.CharField(_("service"), max_length=20, choices=BillingService.choices)
    unit = models.CharField(_("unit"), max_length=20, choices=TariffUnit.choices)
    price = models.DecimalField(_("price"), **PRICE, validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    effective_from = models.DateField(_("in force from"), help_text=_("The first day of a month."))
    decision_number = models.CharField(_("council decision number"), max_length=50)
    decision_date = models.DateField(_("council decision date"))
    council = models.CharField(_("approved by"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["category", "service", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "category", "service", "effective_from"], name="tariff_unique_from"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="tariff_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.category} · {self.get_service_display()} · {self.price} {self.currency}"


class Subscriber(TenantModel):
    """An account: a household, business or institution that the enterprise bills every month."""

    number = models.CharField(_("account number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=SubscriberKind.choices)
    holder_name = models.CharField(_("holder"), max_length=255)
    holder_id_number = models.CharField(_("holder's ID number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    language = models.CharField(
        _("language of notices"), max_length=10, choices=settings.LANGUAGES, default="ky"
    )
    settlement = models.ForeignKey(
        "tenancy.Settlement", on_delete=models.PROTECT, related_name="+", verbose_name=_("settlement")
    )
    street = models.CharField(_("street"), max_length=150)
    house = models.CharField(_("house"), max_length=20)
    apartment = models.CharField(_("apartment"), max_length=20, blank=True)
    category = models.ForeignKey(
        SubscriberCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    residents = models.PositiveSmallIntegerField(_("residents"), default=1)
    units = models.DecimalField(
        _("billing units"),
        **QUANTITY,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Cubic metres, containers or square metres, for tariffs billed by those units."),
    )
    exemption = models.ForeignKey(
        Exemption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exemption"),
    )
    contract_start = models.DateField(_("contract start"))
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SubscriberStatus.choices, default=SubscriberStatus.ACTIVE
    )
    search_key = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_key"])

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="subscriber_unique_number"),
            models.CheckConstraint(condition=Q(units__gte=0), name="subscriber_units_not_negative"),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True) | Q(contract_end__gte=models.F("contract_start")),
                name="subscriber_contract_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "settlement", "street"], name="subscriber_org_street"),
            models.Index(fields=["organization", "holder_id_number"], name="subscriber_org_idnumber"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.holder_name}"

    @property
    def address(self) -> str:
        parts = [str(self.settlement), self.street, self.house]
        if self.apartment:
            parts.append(str(_("apt. %(number)s") % {"number": self.apartment}))
        return ", ".join(p for p in parts if p)

    def refresh_search_key(self) -> None:
        self.search_key = subscriber_search_key(
            self.number, self.holder_name, self.street, self.holder_id_number, self.phone
        )


def subscriber_search_key(*texts: str) -> str:
    """One column the cashier's search reads: number, name and street in every script, ID number and phone."""
    return search_keys(*texts)


class BillingPeriod(TenantModel):
    """A month of billing. Closed after its run is approved: nothing in it changes afterwards."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("billing period")
        verbose_name_plural = _("billing periods")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["organization", "month"], name="period_unique_month")]

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")

    @property
    def last_day(self) -> datetime.date:
        next_month = (self.month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return next_month - datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        return self.last_day.day


class BillingRun(TenantModel):
    """One billing of a period: a background task writes its invoices in chunks, recording where it stopped.

    At most one run per period is live (queued, running, draft or approved); a new run replaces a draft run, whose
    invoices it deletes. ``last_subscriber_id`` is the checkpoint written in the same transaction as each chunk, so
    a run killed half-way resumes without a duplicate or a gap.
    """

    LIVE = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.DRAFT, RunStatus.APPROVED)

    period = models.ForeignKey(
        BillingPeriod, on_delete=models.PROTECT, related_name="runs", verbose_name=_("period")
    )
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    requested_at = models.DateTimeField(_("requested"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    total_accounts = models.PositiveIntegerField(_("accounts to bill"), default=0)
    processed_accounts = models.PositiveIntegerField(_("accounts done"), default=0)
    last_subscriber_id = models.BigIntegerField(_("checkpoint"), default=0, editable=False)
    invoice_count = models.PositiveIntegerField(_("invoices"), default=0)
    total_amount = models.DecimalField(_("total billed"), **MONEY, default=0)
    error = models.TextField(_("error"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period"],
                condition=Q(status__in=["queued", "running", "draft", "approved"]),
                name="run_one_live_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.get_status_display()}"

    @property
    def percent_done(self) -> int:
        if self.status in (RunStatus.DRAFT, RunStatus.APPROVED):
            return 100
        if not self.total_accounts:
            return 0
        return min(100, int(self.processed_accounts * 100 / self.total_accounts))

    @property
    def is_in_progress(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)


class Invoice(TenantModel):
    """One invoice line: one account, one service, one period, written by a billing run (set-based, immutable)."""

    run = models.ForeignKey(
        BillingRun, on_delete=models.CASCADE, related_name="invoices", verbose_name=_("run"), db_index=False
    )
    period = models.ForeignKey(
        BillingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name=_("period"), db_index=False
    )
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("subscriber"),
        db_index=False,
    )
    tariff = models.ForeignKey(
        Tariff, on_delete=models.PROTECT, related_name="+", verbose_name=_("tariff"), db_index=False
    )
    service = models.CharField(_("service"), max_length=20, choices=BillingService.choices)
    unit = models.CharField(_("unit"), max_length=20, choices=TariffUnit.choices)
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    price = models.DecimalField(_("price"), **PRICE)
    days_billed = models.PositiveSmallIntegerField(_("days billed"))
    days_in_period = models.PositiveSmallIntegerField(_("days in the month"))
    discount_percent = models.DecimalField(_("discount, %"), **PERCENT, default=0)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-period", "subscriber", "service"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "run", "subscriber", "service"],
                name="invoice_one_per_account_service",
            ),
        ]
        indexes = [models.Index(fields=["organization", "subscriber"], name="invoice_org_subscriber")]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.subscriber_id} {self.amount} {self.currency}"


class CashDesk(TenantModel):
    """A cash window; its receipts are numbered 1, 2, 3… without gaps."""

    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cash desk")
        verbose_name_plural = _("cash desks")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="cashdesk_unique_code")]

    def __str__(self) -> str:
        return self.name


class CashClosing(TenantModel):
    """A cashier's daily closing report (Z-report): receipts, reversals and the cash that must be in the drawer."""

    desk = models.ForeignKey(
        CashDesk, on_delete=models.PROTECT, related_name="closings", verbose_name=_("cash desk")
    )
    date = models.DateField(_("date"))
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("cashier")
    )
    payments_count = models.PositiveIntegerField(_("receipts"))
    first_receipt = models.PositiveIntegerField(_("first receipt"), null=True, blank=True)
    last_receipt = models.PositiveIntegerField(_("last receipt"), null=True, blank=True)
    total_received = models.DecimalField(_("received"), **MONEY)
    reversals_count = models.PositiveIntegerField(_("reversals"))
    total_reversed = models.DecimalField(_("paid back"), **MONEY)
    expected_cash = models.DecimalField(_("cash expected"), **MONEY)
    counted_cash = models.DecimalField(_("cash counted"), **MONEY)
    difference = models.DecimalField(_("difference"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    note = models.TextField(_("explanation of a difference"), blank=True)
    closed_at = models.DateTimeField(_("closed"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cash closing")
        verbose_name_plural = _("cash closings")
        ordering = ["-date", "desk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "desk", "date"], name="closing_one_per_desk_day")
        ]

    def __str__(self) -> str:
        return f"{self.desk} · {self.date}"


class Payment(TenantModel):
    """Money received for an account: at a cash desk, by bank transfer or through a payment terminal.

    ``idempotency_key`` is unique per organization, so a retried submit or a re-imported statement line never
    posts twice. A mistaken payment is reversed (``reversed_at``), never deleted; the ledger gets a reversal entry.
    """

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("subscriber"),
        db_index=False,
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    desk = models.ForeignKey(
        CashDesk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cash desk"),
    )
    receipt_number = models.PositiveIntegerField(_("receipt number"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))
    received_on = models.DateField(_("date"))
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cashier"),
    )
    payer_name = models.CharField(_("paid by"), max_length=255, blank=True)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    statement_line = models.ForeignKey(
        "StatementLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("statement line"),
        db_index=False,
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    # The account's balance right after this payment, written with it: a reprinted receipt shows what the first one
    # showed, whatever was charged or paid later (even the same day).
    balance_after = models.DecimalField(_("balance after the payment"), **MONEY, null=True, blank=True)
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reversed by"),
    )
    reversal_reason = models.TextField(_("reason for the reversal"), blank=True)
    reversed_on = models.DateField(_("reversal date"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "idempotency_key"], name="payment_unique_key"),
            models.UniqueConstraint(
                fields=["organization", "desk", "receipt_number"],
                condition=Q(receipt_number__isnull=False),
                name="payment_unique_receipt",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["organization", "subscriber"], name="payment_org_subscriber"),
            models.Index(fields=["organization", "received_on"], name="payment_org_date"),
            # The newest payments first (the API's and the cash desk's lists) without sorting the year's payments.
            models.Index(fields=["organization", "-received_at", "-id"], name="payment_org_received"),
        ]

    def __str__(self) -> str:
        number = self.receipt_number or self.reference or self.pk
        return f"№ {number} · {self.amount} {self.currency}"

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None


class PaymentRequest(TenantModel):
    """The claim of an idempotency key while its payment is being posted (as payment APIs keep them).

    Created and committed before the payment itself: a second request with the same key meanwhile gets HTTP 409;
    after the payment, the same key replays it; a different body under the same key is refused.
    """

    key = models.CharField(_("idempotency key"), max_length=100)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("payment")
    )
    locked_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "key"], name="paymentrequest_unique_key")
        ]

    def __str__(self) -> str:
        return self.key


class Adjustment(TenantModel):
    """A manual correction of a balance (e.g. recalculation after a dispute); positive raises the debt."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("subscriber")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("entered"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="adjustment_not_zero")]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


class LedgerEntry(TenantModel):
    """One movement of an account's balance. Balance = sum of ``amount`` (positive = owed by the subscriber).

    Each document reaches the ledger once: unique constraints per invoice, per payment and kind (payment and its
    reversal), and per adjustment make a double entry impossible whatever the isolation level.
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, related_name="+", verbose_name=_("subscriber"), db_index=False
    )
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    entry_date = models.DateField(_("date"))
    period = models.ForeignKey(
        BillingPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("period"),
        db_index=False,
    )
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invoice"),
        db_index=False,
    )
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment"),
        db_index=False,
    )
    adjustment = models.ForeignKey(
        Adjustment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adjustment"),
        db_index=False,
    )

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["entry_date", "pk"]
        constraints = [
            # The invoice leads: deleting a draft's invoices checks the ledger for entries referring to each one
            # (the foreign key), which needs an index starting with ``invoice_id`` (a full ledger scan otherwise).
            models.UniqueConstraint(
                fields=["invoice", "organization"],
                condition=Q(invoice__isnull=False),
                name="entry_once_per_invoice",
            ),
            models.UniqueConstraint(
                fields=["organization", "payment", "kind"],
                condition=Q(payment__isnull=False),
                name="entry_once_per_payment_kind",
            ),
            models.UniqueConstraint(
                fields=["organization", "adjustment"],
                condition=Q(adjustment__isnull=False),
                name="entry_once_per_adjustment",
            ),
        ]
        indexes = [
            # The amount is part of both keys so that balances, arrears and the billed totals of a month are read
            # from the index alone (PostgreSQL's index-only scan), in account order, without visiting the table.
            models.Index(
                fields=["organization", "subscriber", "entry_date", "amount"],
                name="entry_org_sub_date_amount",
            ),
            models.Index(
                fields=["organization", "period", "kind", "amount"], name="entry_org_period_kind_amount"
            ),
            # Payments of a month (the collection rate) without reading the month's invoices.
            models.Index(fields=["organization", "kind", "entry_date"], name="entry_org_kind_date"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_date} {self.get_kind_display()} {self.amount}"


# The ``next_month`` of an account's latest month: its balance holds from then on, until a later movement.
NO_NEXT_MONTH = datetime.date(9999, 12, 1)


class AccountMonth(TenantModel):
    """One account's movements in one month and its balance at the month's end, kept beside the ledger.

    Derived from :class:`LedgerEntry` and written in the same transaction as every entry (``billing/balances.py``),
    so that the collection rate and arrears read a row per account and month instead of every entry. ``month`` is the
    first day of the month of the entries' dates (the organization's local calendar); ``next_month`` is the month of
    the account's next row (:data:`NO_NEXT_MONTH` for its latest), so the row in force on any month is one index
    range away. ``khizmat billing_check`` compares every row with the ledger; ``khizmat billing_balances_rebuild``
    rewrites them from it.
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.PROTECT, related_name="+", verbose_name=_("subscriber"), db_index=False
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    billed = models.DecimalField(_("billed"), **MONEY, default=0)
    paid = models.DecimalField(_("paid"), **MONEY, default=0, help_text=_("Payments less their reversals."))
    adjusted = models.DecimalField(_("adjusted"), **MONEY, default=0)
    charged = models.DecimalField(
        _("charged"),
        **MONEY,
        default=0,
        help_text=_(
            "Every entry that raised the debt (invoices, reversals, positive adjustments): arrears age it."
        ),
    )
    # The charges of the four months before (0 for a month without a row): with them, arrears by age read the one
    # row in force per account instead of summing the rows of the last five months.
    charged_1 = models.DecimalField(_("charged a month before"), **MONEY, default=0)
    charged_2 = models.DecimalField(_("charged two months before"), **MONEY, default=0)
    charged_3 = models.DecimalField(_("charged three months before"), **MONEY, default=0)
    charged_4 = models.DecimalField(_("charged four months before"), **MONEY, default=0)
    closing_balance = models.DecimalField(_("balance at the end of the month"), **MONEY, default=0)
    next_month = models.DateField(_("next month with movements"), default=NO_NEXT_MONTH)

    class Meta:
        verbose_name = _("account month")
        verbose_name_plural = _("account months")
        ordering = ["subscriber", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "subscriber", "month"], name="accountmonth_unique_month"
            ),
        ]
        indexes = [
            # A month's rows (the collection rate by street), read from the index alone (PostgreSQL's index-only
            # scan).
            models.Index(
                fields=["organization", "month", "subscriber", "billed", "paid"],
                name="accountmonth_org_month",
            ),
            # The row in force on a month, with what arrears need: the latest rows of every account are those
            # without a next month, one index range.
            models.Index(
                fields=[
                    "organization",
                    "next_month",
                    "month",
                    "subscriber",
                    "closing_balance",
                    "charged",
                    "charged_1",
                    "charged_2",
                    "charged_3",
                    "charged_4",
                ],
                name="accountmonth_org_next",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} {self.month:%Y-%m}: {self.closing_balance}"

    @property
    def opening_balance(self):
        return self.closing_balance - self.net

    @property
    def net(self):
        return self.billed - self.paid + self.adjusted


class MonthTotal(TenantModel):
    """An organization's month: the sums of its accounts' :class:`AccountMonth` rows (billed, paid, adjusted,
    charged), kept by the same writers in the same transaction, so that the collection rate of a year reads twelve
    rows. ``khizmat billing_check`` compares it with the account rows."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    billed = models.DecimalField(_("billed"), **MONEY, default=0)
    paid = models.DecimalField(_("paid"), **MONEY, default=0, help_text=_("Payments less their reversals."))
    adjusted = models.DecimalField(_("adjusted"), **MONEY, default=0)
    charged = models.DecimalField(_("charged"), **MONEY, default=0)

    class Meta:
        verbose_name = _("month total")
        verbose_name_plural = _("month totals")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="monthtotal_unique_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.billed} / {self.paid}"


class BankProfile(TenantModel):
    """How one bank's or terminal operator's statement files are read: which column holds what."""

    class DateFormat(models.TextChoices):
        DMY = "%d.%m.%Y", "31.12.2026"
        ISO = "%Y-%m-%d", "2026-12-31"
        DMY_SLASH = "%d/%m/%Y", "31/12/2026"

    name = models.CharField(_("name"), max_length=100)
    method = models.CharField(
        _("payment method"), max_length=10, choices=PaymentMethod.choices, default=PaymentMethod.BANK
    )
    date_column = models.CharField(_("date column"), max_length=100)
    amount_column = models.CharField(_("amount column"), max_length=100)
    account_column = models.CharField(_("account number column"), max_length=100, blank=True)
    payer_column = models.CharField(_("payer column"), max_length=100, blank=True)
    reference_column = models.CharField(_("reference column"), max_length=100, blank=True)
    purpose_column = models.CharField(
        _("purpose column"),
        max_length=100,
        blank=True,
        help_text=_("Free text where the payer may have written the account number."),
    )
    date_format = models.CharField(
        _("date format"), max_length=20, choices=DateFormat.choices, default=DateFormat.DMY
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bank statement format")
        verbose_name_plural = _("bank statement formats")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="bankprofile_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class BankStatement(TenantModel):
    """An imported statement file: its lines are matched to accounts, reviewed, then posted as payments."""

    profile = models.ForeignKey(
        BankProfile, on_delete=models.PROTECT, related_name="statements", verbose_name=_("format")
    )
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("checksum"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.REVIEW
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    total_amount = models.DecimalField(_("total"), **MONEY, default=0)
    posted_count = models.PositiveIntegerField(_("payments posted"), default=0)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["organization", "sha256"], name="statement_org_sha")]

    def __str__(self) -> str:
        return self.file_name


class StatementImport(TenantModel):
    """A statement file waiting to be read in the background (billing.tasks.run_statement_import): its progress,
    then the statement it became or why the whole file was refused. The file is dropped once it is read."""

    profile = models.ForeignKey(
        BankProfile, on_delete=models.PROTECT, related_name="+", verbose_name=_("format")
    )
    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=StatementImportStatus.choices,
        default=StatementImportStatus.READING,
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    statement = models.ForeignKey(
        BankStatement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("statement"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    history = HistoricalRecords(excluded_fields=["content", "progress"])

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name


class StatementLine(TenantModel):
    """One line of a statement; ``idempotency_key`` is derived from its content, so a re-import finds it posted."""

    statement = models.ForeignKey(
        BankStatement,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("statement"),
        db_index=False,
    )
    line_number = models.PositiveIntegerField(_("line"))
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    account_text = models.CharField(_("account number as written"), max_length=100, blank=True)
    payer_name = models.CharField(_("payer"), max_length=255, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subscriber"),
        db_index=False,
    )
    status = models.CharField(_("status"), max_length=10, choices=LineStatus.choices)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "line_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "statement", "line_number"], name="statementline_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line_number}: {self.amount}"


class SubscriberImport(TenantModel):
    """An uploaded subscriber list: columns mapped, every row checked (dry run), then imported all at once."""

    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content"), editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    headers = models.JSONField(_("columns"), default=list, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    imported_count = models.PositiveIntegerField(_("imported"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    # Read once at upload: the page shows these, it never opens the file again.
    preview = models.JSONField(_("first rows"), default=list, blank=True)
    # The check or the import running in the background (billing.tasks.run_subscriber_import), its progress in
    # percent, and why the last one stopped (a refusal of the whole file, shown on the page).
    task = models.CharField(_("running"), max_length=10, choices=ImportTask.choices, blank=True)
    task_started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    failure = models.TextField(_("failure"), blank=True)
    history = HistoricalRecords(excluded_fields=["content", "preview", "progress"])

    class Meta:
        verbose_name = _("subscriber import")
        verbose_name_plural = _("subscriber imports")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.file_name
