"""Municipal orders: a local government orders work from a municipal enterprise for a period, item by item with unit
prices and planned quantities; the enterprise records the work done (by hand, with photos, or from the loads of its
trip log) and each month draws up an act of completed work, which the local government accepts or disputes line by
line.

Every row belongs to the provider (``organization`` = the enterprise doing the work). The ordering local government
(``Contract.customer``) reads them only through the oversight relation (see ``selectors.py`` and
``COUNTERPARTY_MODELS`` in :mod:`khizmat.tenancy.scoping`).

The monthly plan of a work item is its planned quantity for the whole contract divided by the number of calendar
months the contract touches (``WorkItem.monthly_plan``). An act line's actual quantity is always the sum of the work
records of its item in its month: corrections after a dispute are records too (``is_correction``).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khizmat.contracts.choices import (
    ActStatus,
    ContractStatus,
    LineStatus,
    LoadScope,
    WorkSource,
    WorkUnit,
)
from khizmat.tenancy.scoping import TenantModel

MONEY = {"max_digits": 14, "decimal_places": 2}
QUANTITY = {"max_digits": 12, "decimal_places": 3}
THOUSANDTH = Decimal("0.001")


def fulfilment_percent(actual, planned) -> Decimal | None:
    """Actual against planned, in percent with one decimal; None without a plan."""
    if not planned:
        return None
    return (Decimal(actual) * 100 / Decimal(planned)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class Contract(TenantModel):
    """A municipal order: the local government (customer) orders work from the enterprise (organization)."""

    customer = models.ForeignKey(
        "tenancy.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer"),
        help_text=_("The local government that ordered the work."),
    )
    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipal order")
        verbose_name_plural = _("municipal orders")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="contract_unique_number"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="contract_period_forward"),
        ]
        indexes = [models.Index(fields=["organization", "customer"], name="contract_org_customer")]

    def __str__(self) -> str:
        return f"№ {self.number} · {self.title}"

    @property
    def currency(self) -> str:
        return self.organization.currency

    @property
    def month_count(self) -> int:
        """Calendar months the contract touches (January 10 – March 5 is three)."""
        return (self.ends_on.year - self.starts_on.year) * 12 + self.ends_on.month - self.starts_on.month + 1

    def months(self) -> list:
        """The first day of every month the contract touches."""
        month = self.starts_on.replace(day=1)
        result = []
        for _index in range(self.month_count):
            result.append(month)
            month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return result


class WorkItem(TenantModel):
    """One kind of work of a contract: its unit, unit price and the quantity planned for the whole contract."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="items", verbose_name=_("municipal order")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("work"), max_length=200)
    unit = models.CharField(_("unit"), max_length=5, choices=WorkUnit.choices)
    unit_price = models.DecimalField(_("unit price"), **MONEY, validators=[MinValueValidator(Decimal("0"))])
    planned_quantity = models.DecimalField(
        _("planned quantity"),
        **QUANTITY,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("For the whole contract; the monthly plan is this divided by the contract's months."),
    )
    source = models.CharField(
        _("quantities come"), max_length=12, choices=WorkSource.choices, default=WorkSource.MANUAL
    )
    loads_from = models.CharField(
        _("loads counted"),
        max_length=10,
        choices=LoadScope.choices,
        default=LoadScope.PUBLIC_AREAS,
        help_text=_(
            "For quantities from the trip log: a load counts for the share of what its route collected at these "
            "collection points."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["contract", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "contract", "code"], name="workitem_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def monthly_plan(self) -> Decimal:
        return (self.planned_quantity / self.contract.month_count).quantize(
            THOUSANDTH, rounding=ROUND_HALF_UP
        )


class WorkRecord(TenantModel):
    """Work done on one day: a quantity of a work item, with a note and a photo, or one load of the trip log."""

    work_item = models.ForeignKey(
        WorkItem, on_delete=models.PROTECT, related_name="records", verbose_name=_("work item")
    )
    date = models.DateField(_("date"))
    quantity = models.DecimalField(
        _("quantity"), **QUANTITY, help_text=_("A correction after a dispute may be negative.")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    photo = models.ImageField(_("photo"), upload_to="contracts/records/%Y/%m/", blank=True, max_length=255)
    source_load = models.ForeignKey(
        "fieldwork.TripLoad",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("load of the trip log"),
    )
    is_correction = models.BooleanField(_("correction after a dispute"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("work record")
        verbose_name_plural = _("work records")
        ordering = ["date", "pk"]
        constraints = [
            # A load of the trip log is counted once.
            models.UniqueConstraint(fields=["organization", "source_load"], name="workrecord_unique_load"),
        ]
        indexes = [
            models.Index(fields=["organization", "work_item", "date"], name="workrecord_org_item_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.work_item.code} · {self.quantity}"


class Act(TenantModel):
    """The act of completed work of one month: drawn up by the enterprise, accepted or disputed by the customer."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="acts", verbose_name=_("municipal order")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    number = models.CharField(_("number"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=ActStatus.choices, default=ActStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("act of completed work")
        verbose_name_plural = _("acts of completed work")
        ordering = ["contract", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "contract", "month"], name="act_unique_month")
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    @property
    def currency(self) -> str:
        return self.contract.currency


class ActLine(TenantModel):
    """One work item in an act: planned and actual quantity, the amount, and the dispute with its answer."""

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="lines", verbose_name=_("act"))
    work_item = models.ForeignKey(
        WorkItem, on_delete=models.PROTECT, related_name="act_lines", verbose_name=_("work item")
    )
    planned_quantity = models.DecimalField(_("planned"), **QUANTITY)
    actual_quantity = models.DecimalField(_("done"), **QUANTITY)
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=LineStatus.choices, default=LineStatus.OK)
    dispute_comment = models.TextField(_("dispute"), blank=True)
    disputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disputed by"),
    )
    disputed_at = models.DateTimeField(_("disputed"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("line of an act")
        verbose_name_plural = _("lines of acts")
        ordering = ["act", "work_item__code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "act", "work_item"], name="actline_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.act} · {self.work_item.code}"

    @property
    def fulfilment(self) -> Decimal | None:
        return fulfilment_percent(self.actual_quantity, self.planned_quantity)
