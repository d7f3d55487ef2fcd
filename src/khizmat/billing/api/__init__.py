def register(router):
    from khizmat.billing.api import views

    router.register("subscribers", views.SubscriberViewSet, basename="subscriber")
    router.register("subscriber-categories", views.SubscriberCategoryViewSet, basename="subscribercategory")
    router.register("exemptions", views.ExemptionViewSet, basename="exemption")
    router.register("tariffs", views.TariffViewSet, basename="tariff")
    router.register("billing-periods", views.BillingPeriodViewSet, basename="billingperiod")
    router.register("billing-runs", views.BillingRunViewSet, basename="billingrun")
    router.register("invoices", views.InvoiceViewSet, basename="invoice")
    router.register("payments", views.PaymentViewSet, basename="payment")
    router.register("adjustments", views.AdjustmentViewSet, basename="adjustment")
    router.register("ledger-entries", views.LedgerEntryViewSet, basename="ledgerentry")
    router.register("cash-desks", views.CashDeskViewSet, basename="cashdesk")
    router.register("cash-closings", views.CashClosingViewSet, basename="cashclosing")
    router.register("bank-profiles", views.BankProfileViewSet, basename="bankprofile")
    router.register("bank-statements", views.BankStatementViewSet, basename="bankstatement")
    router.register("statement-lines", views.StatementLineViewSet, basename="statementline")
    router.register("subscriber-imports", views.SubscriberImportViewSet, basename="subscriberimport")
