from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from khizmat.api.base import TenantViewSet, validated_input
from khizmat.billing import selectors, services
from khizmat.billing.api import serializers as s
from khizmat.billing.models import (
    AccountMonth,
    Adjustment,
    BankProfile,
    BankStatement,
    BillingPeriod,
    BillingRun,
    CashClosing,
    CashDesk,
    Exemption,
    Invoice,
    LedgerEntry,
    MonthTotal,
    Payment,
    StatementImport,
    StatementLine,
    Subscriber,
    SubscriberCategory,
    SubscriberImport,
    Tariff,
)
from khizmat.core.errors import DomainError
from khizmat.tenancy.mixins import PersonalDataViewSetMixin

_READ = (mixins.ListModelMixin, mixins.RetrieveModelMixin)


def _read_viewset(model, serializer, permission, filters, ordering=("-pk",)):
    return type(
        f"{model.__name__}ViewSet",
        (*_READ, TenantViewSet),
        {
            "queryset": model.objects.none(),
            "serializer_class": serializer,
            "permission": permission,
            "filterset_fields": filters,
            "ordering": ordering,
        },
    )


SubscriberCategoryViewSet = _read_viewset(
    SubscriberCategory, s.SubscriberCategorySerializer, "billing.view", ["kind"], ("kind", "code")
)
ExemptionViewSet = _read_viewset(
    Exemption, s.ExemptionSerializer, "billing.view", ["is_active"], ("name", "pk")
)
TariffViewSet = _read_viewset(
    Tariff,
    s.TariffSerializer,
    "billing.view",
    {"category": ["exact"], "service": ["exact"], "effective_from": ["lte", "gte"]},
    ("category", "service", "-effective_from"),
)
BillingPeriodViewSet = _read_viewset(
    BillingPeriod,
    s.BillingPeriodSerializer,
    "billing.view",
    {"status": ["exact"], "month": ["gte", "lte"]},
    ("-month",),
)
InvoiceViewSet = _read_viewset(
    Invoice,
    s.InvoiceSerializer,
    "billing.view",
    {"subscriber": ["exact"], "period": ["exact"], "run": ["exact"], "service": ["exact"]},
)
AdjustmentViewSet = _read_viewset(Adjustment, s.AdjustmentSerializer, "billing.view", ["subscriber"])
LedgerEntryViewSet = _read_viewset(
    LedgerEntry,
    s.LedgerEntrySerializer,
    "billing.view",
    {"subscriber": ["exact"], "kind": ["exact"], "entry_date": ["gte", "lte"], "period": ["exact"]},
)
AccountMonthViewSet = _read_viewset(
    AccountMonth,
    s.AccountMonthSerializer,
    "billing.view",
    {"subscriber": ["exact"], "month": ["exact", "gte", "lte"]},
    ("subscriber", "month"),
)
MonthTotalViewSet = _read_viewset(
    MonthTotal, s.MonthTotalSerializer, "billing.reports", {"month": ["exact", "gte", "lte"]}, ("-month",)
)
CashDeskViewSet = _read_viewset(CashDesk, s.CashDeskSerializer, "billing.view", ["is_active"], ("code",))
CashClosingViewSet = _read_viewset(
    CashClosing,
    s.CashClosingSerializer,
    "billing.reports",
    {"desk": ["exact"], "date": ["gte", "lte"]},
    ("-date", "desk"),
)
BankProfileViewSet = _read_viewset(BankProfile, s.BankProfileSerializer, "billing.statements", [], ("name",))
BankStatementViewSet = _read_viewset(
    BankStatement, s.BankStatementSerializer, "billing.statements", ["status", "profile"]
)
StatementLineViewSet = _read_viewset(
    StatementLine,
    s.StatementLineSerializer,
    "billing.statements",
    ["statement", "status", "subscriber"],
    ("statement", "line_number"),
)
StatementImportViewSet = _read_viewset(
    StatementImport, s.StatementImportSerializer, "billing.statements", ["status", "profile"]
)
SubscriberImportViewSet = _read_viewset(
    SubscriberImport, s.SubscriberImportSerializer, "billing.subscribers", ["status"]
)


class SubscriberViewSet(PersonalDataViewSetMixin, *_READ, mixins.CreateModelMixin, TenantViewSet):
    queryset = Subscriber.objects.none()
    serializer_class = s.SubscriberSerializer
    permission = "billing.view"
    write_permission = "billing.subscribers"
    filterset_fields = {
        "number": ["exact"],
        "status": ["exact"],
        "kind": ["exact"],
        "settlement": ["exact"],
        "category": ["exact"],
        "holder_id_number": ["exact"],
    }
    ordering = ("number", "pk")

    def perform_create(self, serializer):
        subscriber = Subscriber(organization=self.organization, **serializer.validated_data)
        serializer.instance = services.subscriber_save(actor=self.request.user, subscriber=subscriber)

    @extend_schema(responses={200: s.BalanceSerializer})
    @action(detail=True, methods=["get"])
    def balance(self, request, pk=None):
        """An account's balance.

        The balance of the subscriber's account (invoices less payments and adjustments, from the ledger), in the
        organization's currency, with the arrears by age."""
        subscriber = self.get_object()
        aging = selectors.subscriber_aging(subscriber=subscriber)
        return Response(
            s.BalanceSerializer(
                {
                    "balance": selectors.subscriber_balance(subscriber=subscriber),
                    "currency": subscriber.organization.currency,
                    **aging,
                }
            ).data
        )


class BillingRunViewSet(*_READ, TenantViewSet):
    queryset = BillingRun.objects.none()
    serializer_class = s.BillingRunSerializer
    permission = "billing.view"
    write_permission = "billing.run"
    filterset_fields = ["status", "period"]
    ordering = ("-requested_at", "-pk")

    @extend_schema(request=s.RunRequestSerializer, responses={201: s.BillingRunSerializer})
    def create(self, request):
        data = validated_input(request, s.RunRequestSerializer)
        run = services.billing_run_request(
            actor=request.user, organization=self.organization, month=data["month"]
        )
        return Response(s.BillingRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.BillingRunSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a billing run.

        A finished draft run becomes the month's bill: its invoices reach the ledger and the period closes for
        changes. A run in another status is a 409."""
        run = self.get_object()
        run = services.billing_run_approve(actor=request.user, run=run)
        return Response(s.BillingRunSerializer(run).data)


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="A unique key per payment (e.g. a UUID). Retrying with the same key never posts twice.",
)


class PaymentViewSet(*_READ, TenantViewSet):
    queryset = Payment.objects.none()
    serializer_class = s.PaymentSerializer
    permission = "billing.view"
    filterset_fields = {
        "subscriber": ["exact"],
        "method": ["exact"],
        "desk": ["exact"],
        "received_on": ["gte", "lte"],
    }
    ordering = ("-received_at", "-pk")

    @property
    def write_permission(self) -> str:
        return "billing.reverse" if self.action == "reverse" else "billing.cash"

    @extend_schema(
        parameters=[IDEMPOTENCY_HEADER],
        request=s.PaymentRequestSerializer,
        responses={
            201: s.PaymentSerializer,
            200: OpenApiResponse(
                s.PaymentSerializer, description="Replay of the payment posted with this key."
            ),
            409: OpenApiResponse(description="A request with the same key is still being processed."),
        },
    )
    def create(self, request):
        key = request.headers.get("Idempotency-Key", "")
        if not key.strip():
            raise DomainError(
                _("Send an Idempotency-Key header with every payment."), code="bad_key", status=400
            )
        data = validated_input(request, s.PaymentRequestSerializer)
        subscriber = Subscriber.objects.filter(organization=self.organization, pk=data["subscriber"]).first()
        if subscriber is None:
            raise DomainError(_("No such account in your organization."), code="unknown_subscriber")
        desk = None
        if data.get("desk"):
            desk = CashDesk.objects.filter(organization=self.organization, pk=data["desk"]).first()
            if desk is None:
                raise DomainError(_("No such cash desk in your organization."), code="bad_desk")
        try:
            payment, replayed = services.payment_post(
                actor=request.user,
                subscriber=subscriber,
                amount=data["amount"],
                method=data["method"],
                desk=desk,
                payer_name=data["payer_name"],
                reference=data["reference"],
                idempotency_key=key,
                confirm_repeat=data["confirm_repeat"],
            )
        except services.PaymentInFlight as error:
            return Response(
                {"code": error.code, "detail": str(error.message)}, status=status.HTTP_409_CONFLICT
            )
        response = Response(
            s.PaymentSerializer(payment).data,
            status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
        )
        response["Idempotent-Replayed"] = "true" if replayed else "false"
        return response

    @extend_schema(request=s.ReasonSerializer, responses={200: s.PaymentSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Reverse a payment.

        A mistaken payment is never edited: a reversing ledger entry cancels it, with the reason. Reversing twice
        is a 409."""
        payment = self.get_object()
        data = validated_input(request, s.ReasonSerializer)
        payment = services.payment_reverse(actor=request.user, payment=payment, reason=data["reason"])
        return Response(s.PaymentSerializer(payment).data)
