"""Reference data of billing for platform administrators. Money documents (payments, invoices, ledger) are not
editable here: they change only through services, which keep the ledger's invariants and the audit trail."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from khizmat.billing.models import BankProfile, CashDesk, Exemption, SubscriberCategory


@admin.register(SubscriberCategory)
class SubscriberCategoryAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("code", "name", "kind", "organization")
    list_filter = ("organization", "kind")


@admin.register(Exemption)
class ExemptionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ("name", "percent", "organization", "is_active")
    list_filter = ("organization", "is_active")


@admin.register(CashDesk)
class CashDeskAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "organization", "is_active")
    list_filter = ("organization", "is_active")


@admin.register(BankProfile)
class BankProfileAdmin(SimpleHistoryAdmin):
    list_display = ("name", "organization", "method", "date_format")
    list_filter = ("organization",)
