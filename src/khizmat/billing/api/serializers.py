from decimal import Decimal

from rest_framework import serializers

from khizmat.api.masking import MaskedFieldsMixin
from khizmat.billing import models as m
from khizmat.billing.choices import PaymentMethod
from khizmat.core.fieldrules import PHONE_API_HELP


def _read_only(model, fields):
    meta = type("Meta", (), {"model": model, "fields": fields, "read_only_fields": fields})
    return type(f"{model.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta})


SubscriberCategorySerializer = _read_only(m.SubscriberCategory, ["id", "code", "name", "kind"])
ExemptionSerializer = _read_only(m.Exemption, ["id", "name", "percent", "basis", "is_active"])
TariffSerializer = _read_only(
    m.Tariff,
    [
        "id",
        "category",
        "service",
        "unit",
        "price",
        "currency",
        "effective_from",
        "decision_number",
        "decision_date",
        "council",
    ],
)
BillingPeriodSerializer = _read_only(m.BillingPeriod, ["id", "month", "status", "closed_at", "closed_by"])
BillingRunSerializer = _read_only(
    m.BillingRun,
    [
        "id",
        "period",
        "status",
        "requested_by",
        "requested_at",
        "started_at",
        "finished_at",
        "approved_by",
        "approved_at",
        "total_accounts",
        "processed_accounts",
        "invoice_count",
        "total_amount",
        "error",
    ],
)
InvoiceSerializer = _read_only(
    m.Invoice,
    [
        "id",
        "run",
        "period",
        "subscriber",
        "tariff",
        "service",
        "unit",
        "quantity",
        "price",
        "days_billed",
        "days_in_period",
        "discount_percent",
        "amount",
        "currency",
    ],
)
PaymentSerializer = _read_only(
    m.Payment,
    [
        "id",
        "subscriber",
        "amount",
        "currency",
        "method",
        "desk",
        "receipt_number",
        "received_at",
        "received_on",
        "cashier",
        "payer_name",
        "reference",
        "statement_line",
        "idempotency_key",
        "reversed_at",
        "reversed_by",
        "reversal_reason",
    ],
)
AdjustmentSerializer = _read_only(
    m.Adjustment, ["id", "subscriber", "amount", "currency", "reason", "created_by", "created_at"]
)
LedgerEntrySerializer = _read_only(
    m.LedgerEntry,
    [
        "id",
        "subscriber",
        "kind",
        "amount",
        "currency",
        "entry_date",
        "period",
        "invoice",
        "payment",
        "adjustment",
    ],
)
AccountMonthSerializer = _read_only(
    m.AccountMonth,
    [
        "id",
        "subscriber",
        "month",
        "billed",
        "paid",
        "adjusted",
        "charged",
        "charged_1",
        "charged_2",
        "charged_3",
        "charged_4",
        "closing_balance",
        "next_month",
    ],
)
MonthTotalSerializer = _read_only(m.MonthTotal, ["id", "month", "billed", "paid", "adjusted", "charged"])
CashDeskSerializer = _read_only(m.CashDesk, ["id", "code", "name", "is_active"])
CashClosingSerializer = _read_only(
    m.CashClosing,
    [
        "id",
        "desk",
        "date",
        "cashier",
        "payments_count",
        "first_receipt",
        "last_receipt",
        "total_received",
        "reversals_count",
        "total_reversed",
        "expected_cash",
        "counted_cash",
        "difference",
        "currency",
        "note",
        "closed_at",
    ],
)
BankProfileSerializer = _read_only(
    m.BankProfile,
    [
        "id",
        "name",
        "method",
        "date_column",
        "amount_column",
        "account_column",
        "payer_column",
        "reference_column",
        "purpose_column",
        "date_format",
    ],
)
BankStatementSerializer = _read_only(
    m.BankStatement,
    [
        "id",
        "profile",
        "file_name",
        "status",
        "uploaded_by",
        "uploaded_at",
        "line_count",
        "total_amount",
        "posted_count",
        "posted_at",
    ],
)
StatementLineSerializer = _read_only(
    m.StatementLine,
    [
        "id",
        "statement",
        "line_number",
        "paid_on",
        "amount",
        "account_text",
        "payer_name",
        "reference",
        "purpose",
        "subscriber",
        "status",
    ],
)
SubscriberImportSerializer = _read_only(
    m.SubscriberImport,
    [
        "id",
        "file_name",
        "status",
        "row_count",
        "imported_count",
        "uploaded_by",
        "uploaded_at",
        "imported_at",
        "task",
        "progress",
        "failure",
    ],
)
StatementImportSerializer = _read_only(
    m.StatementImport,
    [
        "id",
        "profile",
        "file_name",
        "status",
        "progress",
        "failure",
        "problems",
        "statement",
        "uploaded_by",
        "uploaded_at",
    ],
)


class SubscriberSerializer(MaskedFieldsMixin, serializers.ModelSerializer):
    masked_fields = {"holder_id_number": "id_number", "phone": "phone"}

    class Meta:
        model = m.Subscriber
        fields = [
            "id",
            "number",
            "kind",
            "holder_name",
            "holder_id_number",
            "phone",
            "language",
            "settlement",
            "street",
            "house",
            "apartment",
            "category",
            "residents",
            "units",
            "exemption",
            "contract_start",
            "contract_end",
            "status",
        ]
        read_only_fields = ["id", "status"]
        extra_kwargs = {
            "number": {"required": False, "allow_blank": True},
            "phone": {"help_text": PHONE_API_HELP},
        }


class BalanceSerializer(serializers.Serializer):
    balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    days_0_30 = serializers.DecimalField(max_digits=14, decimal_places=2)
    days_31_60 = serializers.DecimalField(max_digits=14, decimal_places=2)
    days_61_90 = serializers.DecimalField(max_digits=14, decimal_places=2)
    days_over_90 = serializers.DecimalField(max_digits=14, decimal_places=2)


class PaymentRequestSerializer(serializers.Serializer):
    subscriber = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    desk = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, allow_null=True)
    payer_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    confirm_repeat = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Take a cash payment although the same account paid the same amount at the same desk minutes ago.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RunRequestSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="Any day of the month to bill.")
